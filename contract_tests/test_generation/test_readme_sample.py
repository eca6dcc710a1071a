"""The README's client sample runs as written, against the spec's own example answers."""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import httpx
import pytest
import respx

from medux_contract.generation.readme_errors_table import README
from medux_contract.spec import OPERATION_PATH, CodeEntry, code_table, load_spec, operation

SERVER = load_spec()["servers"][0]["url"]


def readme_client_sample() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README.md's 'Using the client' section has no python block"
    return match.group(1)


def example_envelope(name: str) -> dict[str, Any]:
    media = operation(load_spec())["responses"]["200"]["content"]["application/json"]
    value: dict[str, Any] = media["examples"][name]["value"]
    return value


def run_sample(envelope: dict[str, Any]) -> str:
    out = io.StringIO()
    with respx.mock(assert_all_called=True) as router, contextlib.redirect_stdout(out):
        router.post(f"{SERVER}{OPERATION_PATH}").mock(return_value=httpx.Response(200, json=envelope))
        exec(compile(readme_client_sample(), "README.md", "exec"), {"api_key": "sk_readme"})
    return out.getvalue()


def test_readme_sample_prints_the_created_asset_id() -> None:
    success = next(entry for entry in code_table() if entry.is_success)
    envelope = example_envelope(success.example_name)
    assert run_sample(envelope).split() == [envelope["data"]["asset"]["avatar_asset_id"]]


@pytest.mark.parametrize(
    "entry", [e for e in code_table() if e.exception and not e.retryable], ids=lambda e: e.name
)
def test_readme_sample_handles_every_error_code(entry: CodeEntry) -> None:
    envelope = example_envelope(entry.example_name)
    printed = run_sample(envelope)
    # The sample catches InsufficientCreditsError silently and prints every other MeduxError.
    expected = "" if entry.exception == "InsufficientCreditsError" else f"{entry.code} {entry.message} 200\n"
    assert printed == expected
