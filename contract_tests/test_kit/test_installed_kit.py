"""The test kit as a user gets it: both wheels in a fresh virtualenv, far from this repository, and a
small application test suite that uses the fixture with nothing but the installed distributions."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from medux_contract.generation.client_generation import GENERATED
from medux_contract.loopback import free_port, wait_until_listening
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT, load_contract

UV = REPO_ROOT / ".tools" / "uv" / "bin" / "uv"

pytestmark = pytest.mark.installs_wheels
LIST = next(op for op in load_contract().operations if op.path == "/api/app/v1/clone/avatars")

# A user's suite: three lines a test. The second test passes only if the fixture reset the mock
# after the first created an avatar.
USER_SUITE = textwrap.dedent(
    """
    import pytest
    from medux_avatar_client import AsyncMedux, InsufficientCreditsError, Medux


    def test_create_then_list(medux_mock_server):
        client = Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url)
        created = client.clone.create_avatar_by_image(file_id="FILE_ID", title="Portrait")
        assert [a.avatar_asset_id for a in client.clone.list_avatars().data.items] == [
            created.data.asset.avatar_asset_id
        ]


    def test_each_test_starts_from_a_reset_mock(medux_mock_server):
        client = Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url)
        assert client.clone.list_avatars().data.items == []


    def test_magic_outcome_raises_the_typed_error(medux_mock_server):
        client = Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url)
        with pytest.raises(InsufficientCreditsError):
            client.clone.create_avatar_by_image(file_id=medux_mock_server.magic_file_id(1401))


    @pytest.mark.anyio  # anyio's pytest plugin comes with httpx
    async def test_in_process_with_the_async_client(medux_mock):
        key, url, args = medux_mock.api_key, medux_mock.base_url, {"transport": medux_mock.transport}
        async with AsyncMedux(api_key=key, base_url=url, httpx_args=args) as client:
            assert (await client.clone.create_avatar_by_image(file_id="FILE_ID")).data.asset.avatar_asset_id


    @pytest.mark.medux_mock(credits=0)
    def test_marker_settings(medux_mock_server):
        client = Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url)
        with pytest.raises(InsufficientCreditsError):
            client.clone.create_avatar_by_image(file_id="FILE_ID")
    """
)


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # A clean environment: no PYTHONPATH or VIRTUAL_ENV of this repository's run leaks in.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, cwd=cwd, env=env
    )
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the library's and the client's wheels and pytest installed, their
    dependencies at the versions of uv.lock (uv's warm cache; uv's ``--offline`` refuses to resolve
    from the cache alone, so the index is asked whether they are current)."""
    if not UV.exists():
        pytest.fail(f"uv not found at {UV}: run `make env`, which bootstraps it")
    work = tmp_path_factory.mktemp("kit")
    dist = work / "dist"
    for project in (REPO_ROOT, GENERATED):
        _run(UV, "build", "--wheel", "--quiet", project, "--out-dir", dist)
    wheels = sorted(dist.glob("*.whl"))
    assert [wheel.name.split("-")[0] for wheel in wheels] == ["medux_avatar_client", "medux_contract"]
    venv = work / "venv"
    _run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    locked = work / "locked.txt"
    _run(
        UV,
        "export",
        "--frozen",
        "--all-groups",
        "--no-emit-project",
        "--no-hashes",
        "--quiet",
        "--project",
        REPO_ROOT,
        "-o",
        locked,
    )
    _run(
        UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", "-c", locked, *wheels, "pytest"
    )
    return venv


def readme_sample() -> str:
    """The Python block of the README's "Testing your application against the mock" subsection."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Testing your application against the mock", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README's test kit subsection has no Python block"
    return match.group(1)


def test_user_suite_passes_with_the_fixture_from_the_installed_wheels(
    user_venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "test_my_app.py").write_text(USER_SUITE, encoding="utf-8")
    (tmp_path / "test_readme_sample.py").write_text(readme_sample(), encoding="utf-8")
    result = _run(
        user_venv / "bin" / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--strict-markers",
        cwd=tmp_path,
    )
    assert "7 passed" in result.stdout, result.stdout


def test_installed_library_reads_the_spec_packaged_in_its_wheel(user_venv: Path, tmp_path: Path) -> None:
    probe = "import medux_contract.spec as s; print(s.SPEC_PATH); print(s.load_contract().version)"
    lines = _run(user_venv / "bin" / "python", "-c", probe, cwd=tmp_path).stdout.split()
    assert Path(lines[0]).is_relative_to(user_venv), lines
    assert Path(lines[0]).read_bytes() == (REPO_ROOT / "openapi.yaml").read_bytes()


def test_console_script_runs_from_the_virtualenv(user_venv: Path, tmp_path: Path) -> None:
    result = _run(user_venv / "bin" / "medux-mock", "--help", cwd=tmp_path)
    assert "--port" in result.stdout


def test_console_script_serves_the_packaged_spec_on_a_loopback_port(user_venv: Path, tmp_path: Path) -> None:
    port = free_port()
    command = [str(user_venv / "bin" / "medux-mock"), "--port", str(port), "--log-level", "warning"]
    with subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as mock:
        try:
            wait_until_listening(mock, port)
            answer = httpx.get(
                f"http://127.0.0.1:{port}{LIST.path}", headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}"}
            )
        finally:
            mock.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it: a clean exit, status 0
            mock.communicate(timeout=15)
    assert answer.json()["code"] == 0
    assert mock.returncode == 0
