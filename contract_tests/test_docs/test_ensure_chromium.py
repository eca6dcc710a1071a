"""scripts/ensure_chromium.sh: silent when chromium is there, a clear instruction when it cannot install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from medux_contract.spec import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "ensure_chromium.sh"


def run_script(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_present_chromium_is_left_alone_silently() -> None:
    result = run_script({"MEDUX_CHROMIUM": sys.executable, "PATH": "/usr/bin:/bin"})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_without_a_package_manager_it_says_what_to_do(tmp_path: Path) -> None:
    # A PATH with no apt-get: the script cannot install, so it must say how instead of failing blindly.
    result = run_script({"MEDUX_CHROMIUM": str(tmp_path / "chromium"), "PATH": str(tmp_path)})
    assert result.returncode == 1
    assert "apt-get is not available" in result.stderr
    assert "MEDUX_CHROMIUM" in result.stderr
