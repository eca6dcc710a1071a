"""The generated client is an installable, typed distribution with meaningful names."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from medux_avatar_client.models.response_code import ResponseCode
from medux_avatar_client.models.response_message import ResponseMessage

from medux_contract.generation.client_generation import GENERATED
from medux_contract.spec import REPO_ROOT, load_contract

CODES = load_contract().codes


def test_response_code_members_are_named_from_the_code_table() -> None:
    assert {member.name: member.value for member in ResponseCode} == {code.name: code.code for code in CODES}


def test_response_message_members_are_named_from_the_code_table() -> None:
    assert {m.name: m.value for m in ResponseMessage} == {code.name: code.message for code in CODES}


def test_distribution_is_named_and_versioned_from_the_contract() -> None:
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "medux-avatar-client"
    assert project["version"] == load_contract().version
    assert (GENERATED / "medux_avatar_client" / "py.typed").is_file()


@pytest.fixture(scope="module")
def installed_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the client installed from a wheel built out of generated/."""
    uv = REPO_ROOT / ".tools" / "uv" / "bin" / "uv"
    if not uv.exists():
        pytest.fail(f"uv not found at {uv}: run `make test`, which bootstraps it")
    work = tmp_path_factory.mktemp("wheel")

    def run(*command: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"

    run(str(uv), "build", "--wheel", "--quiet", str(GENERATED), "--out-dir", str(work / "dist"))
    wheels = list((work / "dist").glob("medux_avatar_client-*.whl"))
    assert len(wheels) == 1, wheels
    run(str(uv), "venv", "--quiet", "--python", sys.executable, str(work / "venv"))
    python = work / "venv" / "bin" / "python"
    run(str(uv), "pip", "install", "--quiet", "--python", str(python), str(wheels[0]))
    return python


def test_wheel_installs_and_imports_with_its_type_marker(installed_client: Path) -> None:
    probe = (
        "import importlib.metadata as m, pathlib, medux_avatar_client as c;"
        "print(m.version('medux-avatar-client'));"
        "print((pathlib.Path(c.__file__).parent / 'py.typed').is_file());"
        "print(c.AuthenticatedClient.__name__)"
    )
    result = subprocess.run([str(installed_client), "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [load_contract().version, "True", "AuthenticatedClient"]
