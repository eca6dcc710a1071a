"""bench/tools.py: a missing wrk or Prism stops the bench with the command that fixes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import tools
from bench.errors import BenchError


def test_missing_wrk_names_the_debian_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BenchError, match=r"apt-get update && apt-get install -y wrk"):
        tools.ensure_wrk(install=False)


def test_wrk_on_the_path_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "wrk"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tools.ensure_wrk(install=False) == fake


def test_missing_prism_says_how_to_install_the_pinned_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tools, "PRISM", tmp_path / "prism")
    with pytest.raises(BenchError, match="npm ci"):
        tools.ensure_prism()


def test_a_tool_that_cannot_run_has_an_unknown_version(tmp_path: Path) -> None:
    assert tools.tool_version([str(tmp_path / "missing")]) == "unknown"
