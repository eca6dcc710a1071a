"""`make lint` (scripts.lint_spec) passes the committed spec and fails, readably, on broken ones."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, write_fixture_spec
from medux_contract.lint.runner import TYPESCRIPT_LABEL
from medux_contract.spec import REPO_ROOT, SPEC_PATH, load_spec


def run_lint(spec: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.lint_spec", str(spec), *extra],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def write_spec(tmp_path: Path, spec: dict[str, object]) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_committed_spec_passes_every_linter() -> None:
    result = run_lint(SPEC_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok    redocly lint" in result.stdout
    assert f"ok    {TYPESCRIPT_LABEL}" in result.stdout
    assert "lint: passed" in result.stdout


def test_spec_with_the_fixture_operation_passes_every_linter(tmp_path: Path) -> None:
    spec = write_fixture_spec(tmp_path)
    assert FIXTURE_OPERATION_ID in spec.read_text(encoding="utf-8")
    result = run_lint(spec)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok    redocly lint" in result.stdout
    assert f"ok    {TYPESCRIPT_LABEL}" in result.stdout


def test_unparseable_spec_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "openapi.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    result = run_lint(bad, "--no-redocly")
    assert result.returncode == 1
    assert "not valid YAML" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_spec_file_fails_with_a_message(tmp_path: Path) -> None:
    result = run_lint(tmp_path / "nope.yaml", "--no-redocly")
    assert result.returncode == 1
    assert "cannot be read" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_structurally_invalid_spec_fails_openapi_spec_validator(tmp_path: Path) -> None:
    spec = load_spec() | {"info": {"title": "no version"}}
    result = run_lint(write_spec(tmp_path, spec), "--no-redocly", "--no-typescript")
    assert result.returncode == 1
    assert "FAIL  openapi-spec-validator" in result.stdout


@pytest.mark.parametrize("dropped", ["operationId", "summary"])
def test_redocly_rule_violation_fails_lint(tmp_path: Path, dropped: str) -> None:
    spec = load_spec()
    post = dict(spec["paths"]["/api/app/v1/clone/avatar/by_image"]["post"])
    post.pop(dropped)
    broken = spec | {"paths": {"/api/app/v1/clone/avatar/by_image": {"post": post}}}
    result = run_lint(write_spec(tmp_path, broken))
    assert result.returncode == 1
    assert "FAIL  redocly lint" in result.stdout


def test_spec_rule_violation_is_listed_by_rule_name(tmp_path: Path) -> None:
    spec = load_spec()
    schemas = dict(spec["components"]["schemas"])
    schemas["ResponseCode"] = {**schemas["ResponseCode"], "x-enum-varnames": ["OK"]}
    broken = spec | {"components": {**spec["components"], "schemas": schemas}}
    result = run_lint(write_spec(tmp_path, broken), "--no-redocly", "--no-typescript")
    assert result.returncode == 1
    assert "FAIL  rule_enums_match_code_table" in result.stdout
    assert "VALUE_<n>" in result.stdout


def test_an_example_the_generated_typescript_types_reject_fails_lint_at_its_pointer(tmp_path: Path) -> None:
    spec = copy.deepcopy(load_spec())
    post = spec["paths"]["/api/app/v1/clone/avatar/by_image"]["post"]
    post["requestBody"]["content"]["application/json"]["examples"]["minimal"]["value"] = {"file_id": 7}
    result = run_lint(write_spec(tmp_path, spec), "--no-redocly")
    assert result.returncode == 1
    assert f"FAIL  {TYPESCRIPT_LABEL}" in result.stdout
    assert (
        "- /paths/~1api~1app~1v1~1clone~1avatar~1by_image/post/requestBody/content/application~1json"
        "/examples/minimal: Type 'number' is not assignable to type 'string'. (TS2322)"
    ) in result.stdout


def test_without_typescript_the_example_check_is_skipped(tmp_path: Path) -> None:
    result = run_lint(SPEC_PATH, "--no-redocly", "--no-typescript")
    assert result.returncode == 0, result.stdout + result.stderr
    assert TYPESCRIPT_LABEL not in result.stdout
