"""The drift gate: generated/ is exactly what openapi.yaml, the config and templates/ produce.

The failure cases run on a temporary copy of the repository, so they can break it freely.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from medux_contract.generation.client_generation import GENERATED, render_client
from medux_contract.generation.drift import main as check_generated
from medux_contract.generation.drift import tree_diff
from medux_contract.spec import REPO_ROOT

# What a copy needs to regenerate and check: everything but environments, caches and history.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "node_modules", "site", "reports", "bench", "*_cache", "__pycache__"
)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(REPO_ROOT, copy, ignore=_NOT_COPIED)
    return copy


def run_gate(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.check_generated"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_client_matches_a_fresh_render() -> None:
    assert check_generated([]) == 0


def test_two_renders_are_byte_identical(tmp_path: Path) -> None:
    render_client(tmp_path / "one")
    render_client(tmp_path / "two")
    assert tree_diff(tmp_path / "one", tmp_path / "two") == []


def test_untouched_copy_passes_the_gate(repo_copy: Path) -> None:
    result = run_gate(repo_copy)
    assert result.returncode == 0, result.stderr


def test_hand_edit_in_generated_fails_the_gate_with_a_diff(repo_copy: Path) -> None:
    client = repo_copy / "generated" / "medux_avatar_client" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "HAND_EDIT = True\n", encoding="utf-8")
    result = run_gate(repo_copy)
    assert result.returncode == 1
    assert "-HAND_EDIT = True" in result.stderr
    assert "make generate" in result.stderr


def test_spec_change_without_regeneration_fails_the_gate(repo_copy: Path) -> None:
    spec_path = repo_copy / "openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["CreateAvatarByImageRequest"]["properties"]["webhook_url"] = {
        "type": "string",
        "description": "A field the committed client does not know.",
    }
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = run_gate(repo_copy)
    assert result.returncode == 1
    assert "webhook_url" in result.stderr


def test_stale_file_left_in_generated_fails_the_gate(repo_copy: Path) -> None:
    (repo_copy / "generated" / "medux_avatar_client" / "models" / "removed_model.py").write_text("x = 1\n")
    result = run_gate(repo_copy)
    assert result.returncode == 1
    assert "generated/medux_avatar_client/models/removed_model.py" in result.stderr


def test_caches_from_running_the_client_do_not_count_as_drift(repo_copy: Path) -> None:
    cache = repo_copy / "generated" / "medux_avatar_client" / "__pycache__"
    cache.mkdir()
    (cache / "client.cpython-311.pyc").write_bytes(b"\x00cache")
    assert run_gate(repo_copy).returncode == 0


def test_generate_rejects_a_broken_spec_and_leaves_generated_alone(repo_copy: Path) -> None:
    (repo_copy / "openapi.yaml").write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    before = tree_diff(GENERATED, repo_copy / "generated")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.generate"], cwd=repo_copy, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "generated/ was left as it was" in result.stderr
    assert "Field required" in result.stderr  # the generator's own reason, passed through
    assert "Traceback" not in result.stderr
    assert tree_diff(GENERATED, repo_copy / "generated") == before == []
