"""The README's client samples run as written, against the embedded mock and the spec's own example
answers, and pass ``mypy --strict`` as written."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from medux_contract.generation.readme_errors_table import README
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.spec import Outcome, load_contract

CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
SERVER = CONTRACT.servers[0].url.rstrip("/")
# The README's client section: from its heading to the next top-level section.
SECTION_START, SECTION_END = "## Using the client", "\n## "


def client_section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(SECTION_START, 1)[1]
    return section.split(SECTION_END, 1)[0]


def python_blocks() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", client_section(), re.DOTALL)
    assert blocks, "README.md's 'Using the client' section has no python block"
    return blocks


def readme_client_sample() -> str:
    return python_blocks()[0]


def example_envelope(outcome: Outcome) -> dict[str, Any]:
    assert outcome.example is not None
    return dict(outcome.example)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("MEDUX_API_KEY", "sk_readme")
    monkeypatch.delenv("MEDUX_LOG", raising=False)
    monkeypatch.setenv("MEDUX_BASE_URL", SERVER)
    return monkeypatch


def run_sample() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_client_sample(), "README.md", "exec"), {})
    return out.getvalue()


def run_sample_against(envelope: dict[str, Any]) -> str:
    with respx.mock(assert_all_called=True) as router:
        router.post(f"{SERVER}{CREATE.path}").mock(return_value=httpx.Response(200, json=envelope))
        return run_sample()


def test_readme_sample_creates_an_avatar_on_the_embedded_mock_as_written(
    environment: pytest.MonkeyPatch,
) -> None:
    with served(create_app(MockSettings(rate_limit_burst=None))) as url:
        environment.setenv("MEDUX_API_KEY", DEFAULT_TEST_KEY)
        environment.setenv("MEDUX_BASE_URL", url)
        printed = run_sample().split()
    assert len(printed) == 1
    assert printed[0].startswith("avatar_")


def test_readme_sample_prints_the_created_asset_id(environment: pytest.MonkeyPatch) -> None:
    envelope = example_envelope(CREATE.success)
    assert run_sample_against(envelope).split() == [envelope["data"]["asset"]["avatar_asset_id"]]


@pytest.mark.parametrize(
    "outcome",
    [o for o in CREATE.outcomes if not o.is_success and not o.retry_safe],
    ids=lambda o: o.code.name,
)
def test_readme_sample_handles_every_error_code(environment: pytest.MonkeyPatch, outcome: Outcome) -> None:
    printed = run_sample_against(example_envelope(outcome))
    code = outcome.code
    # The sample catches InsufficientCreditsError silently, the provider family (1404, 1405) with
    # one line, and prints every other MeduxError.
    if code.exception == "InsufficientCreditsError":
        expected = ""
    elif code.group == "provider":
        expected = f"provider failed {code.code}\n"
    else:
        expected = f"{code.code} {code.message} 200\n"
    assert printed == expected


def _mypy_strict(tmp_path: Path, sources: list[str]) -> subprocess.CompletedProcess[str]:
    names = []
    for index, source in enumerate(sources):
        path = tmp_path / f"readme_sample_{index}.py"
        path.write_text(source, encoding="utf-8")
        names.append(path.name)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            *names,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


def test_every_python_sample_of_the_client_section_passes_mypy_strict_as_written(tmp_path: Path) -> None:
    result = _mypy_strict(tmp_path, python_blocks())
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_mypy_check_catches_a_member_the_success_does_not_carry(tmp_path: Path) -> None:
    # next_cursor is absent on the last page: using it as set must fail, so the check above can fail.
    sample = (
        "from medux_avatar_client import Medux\n\n"
        "with Medux() as client:\n"
        "    print(client.clone.list_avatars().data.next_cursor.upper())\n"
    )
    result = _mypy_strict(tmp_path, [sample])
    assert result.returncode == 1
    assert "[union-attr]" in result.stdout
