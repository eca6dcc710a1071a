"""`make docs` (python -m scripts.build_docs): says where the files went, fails loudly on a bad spec."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, write_fixture_spec
from contract_tests.test_docs.conftest import write_spec
from medux_contract.docs.build import OUTPUTS
from medux_contract.spec import CODE_TABLE_KEY, MCP_TOOL_KEY, REPO_ROOT, load_contract
from medux_contract.spec.refs import lookup


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


def test_two_builds_of_the_same_spec_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_build("--out", str(first)).returncode == 0
    assert run_build("--out", str(second)).returncode == 0
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_fixture_spec_builds_with_no_code_change(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build("--spec", str(write_fixture_spec(tmp_path)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert FIXTURE_OPERATION_ID in (out / "index.html").read_text(encoding="utf-8")
    assert "## Get Widget Status" in (out / "reference.md").read_text(encoding="utf-8")


def _operation_node(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    node = lookup(spec, load_contract().operation(operation_id).pointer, operation_id)
    assert isinstance(node, dict)
    return node


def _with_tool(spec: dict[str, Any]) -> dict[str, Any]:
    [operation] = [op for op in load_contract().operations if op.mcp_tool is not None]
    return _operation_node(spec, operation.operation_id)


def _drop_message_column(spec: dict[str, Any]) -> None:
    del spec[CODE_TABLE_KEY][1]["message"]


def _mismatch_example_message(spec: dict[str, Any]) -> None:
    examples = _with_tool(spec)["responses"]["200"]["content"]["application/json"]["examples"]
    next(iter(examples.values()))["value"]["message"] = "not the paired message"


def _drop_mcp_extension(spec: dict[str, Any]) -> None:
    del _with_tool(spec)[MCP_TOOL_KEY]


@pytest.mark.parametrize(
    ("breakage", "reported"),
    [
        (_drop_message_column, "message: must be a str"),
        (_mismatch_example_message, "not the paired message"),
    ],
    ids=["code-table-row", "example-message"],
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


def test_a_spec_without_an_mcp_tool_fails_the_build_with_a_message(
    tmp_path: Path, spec: dict[str, Any]
) -> None:
    # The lint allows an operation without a tool; mcp-tool.json still needs the one the vendor offers.
    _drop_mcp_extension(spec)
    out = tmp_path / "site"
    result = run_build("--spec", str(write_spec(tmp_path, spec)), "--out", str(out))
    assert result.returncode == 1
    expected = f"exactly one operation needs a {MCP_TOOL_KEY} mapping (declared on: none)"
    assert result.stderr.startswith("docs: FAILED: mcp-tool.json publishes one MCP tool")
    assert expected in result.stderr
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
