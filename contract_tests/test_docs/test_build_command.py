"""`make docs` (python -m scripts.build_docs): says where the files went, fails loudly on a bad spec."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract_tests.test_docs.conftest import write_spec
from medux_contract.docs.build import OUTPUTS
from medux_contract.spec import CODE_TABLE_KEY, MCP_TOOL_KEY, REPO_ROOT, operation


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.build_docs", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_build_writes_every_output_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build("--out", str(out))
    assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0
        assert str(out / name) in result.stdout
    assert (out / "index.html").as_uri() in result.stdout


def _drop_message_column(spec: dict[str, Any]) -> None:
    del spec[CODE_TABLE_KEY][1]["message"]


def _mismatch_example_message(spec: dict[str, Any]) -> None:
    examples = operation(spec)["responses"]["200"]["content"]["application/json"]["examples"]
    next(iter(examples.values()))["value"]["message"] = "not the paired message"


def _drop_mcp_extension(spec: dict[str, Any]) -> None:
    del operation(spec)[MCP_TOOL_KEY]


@pytest.mark.parametrize(
    ("breakage", "reported"),
    [
        (_drop_message_column, f"{CODE_TABLE_KEY}[1].message must be a str"),
        (_mismatch_example_message, "not the paired message"),
        (_drop_mcp_extension, f"the operation has no {MCP_TOOL_KEY} mapping"),
    ],
    ids=["code-table-row", "example-message", "mcp-extension"],
)
def test_a_spec_error_fails_the_build_with_the_lint_report(
    tmp_path: Path, spec: dict[str, Any], breakage: Callable[[dict[str, Any]], None], reported: str
) -> None:
    breakage(spec)
    out = tmp_path / "site"
    result = run_build("--spec", str(write_spec(tmp_path, spec)), "--out", str(out))
    assert result.returncode == 1
    assert "docs: FAILED" in result.stderr
    assert "nothing was built" in result.stderr
    assert reported in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()


def test_unparseable_spec_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "openapi.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    result = run_build("--spec", str(broken), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "not valid YAML" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_failed_build_leaves_the_previous_site_as_it_was(tmp_path: Path, spec: dict[str, Any]) -> None:
    out = tmp_path / "site"
    assert run_build("--out", str(out)).returncode == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    _drop_mcp_extension(spec)
    assert run_build("--spec", str(write_spec(tmp_path, spec)), "--out", str(out)).returncode == 1
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
