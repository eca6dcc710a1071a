"""The generated client's version is info.version, and the drift gate catches a bump left unregenerated."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from medux_contract.evolution.version_gate import spec_version
from medux_contract.generation.client_generation import render_client
from medux_contract.generation.drift import main as check_generated
from medux_contract.spec import REPO_ROOT, SPEC_PATH, load_spec


def generated_version(tree: Path) -> str:
    with (tree / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_committed_client_version_is_the_spec_info_version() -> None:
    assert generated_version(REPO_ROOT / "generated") == load_spec()["info"]["version"]


def test_drift_gate_fails_on_a_version_bump_without_regeneration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A client freshly generated from today's spec, so the test does not depend on generated/'s state.
    client = tmp_path / "generated"
    render_client(client, SPEC_PATH)
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    bumped = str(spec_version(spec, "openapi.yaml").bump_minor())
    spec["info"]["version"] = bumped
    bumped_spec = tmp_path / "openapi.yaml"
    bumped_spec.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    status = check_generated(["--spec", str(bumped_spec), "--generated", str(client)])

    err = capsys.readouterr().err
    assert status == 1
    assert generated_version(client) == load_spec()["info"]["version"]
    assert f'+version = "{bumped}"' in err
    current = str(load_spec()["info"]["version"])
    edits = [
        line
        for line in err.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++ ", "--- ")) and line.strip("+-")
    ]
    assert edits, "the drift report shows the changed lines"
    assert all(current in line or bumped in line for line in edits), "only the version may differ"
