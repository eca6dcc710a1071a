"""The external tools the benchmarks drive: wrk (Debian's package) and Prism (pinned in package.json).

wrk is not a Python or npm package, so no lock file installs it: :func:`ensure_wrk` installs it
with apt-get when it is missing and we are root (as on CI machines), and otherwise stops with the
exact command to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bench.errors import BenchError
from medux_contract.spec import REPO_ROOT

PRISM = REPO_ROOT / "node_modules" / ".bin" / "prism"
WRK_INSTALL_HINT = "apt-get update && apt-get install -y wrk"


def ensure_wrk(install: bool = True) -> Path:
    """The path of wrk, installing Debian's package first when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return Path(found)
    if not install or shutil.which("apt-get") is None or os.geteuid() != 0:
        raise BenchError(f"wrk is not installed; install Debian's package as root: {WRK_INSTALL_HINT}")
    print("bench: wrk is missing; installing Debian's wrk package with apt-get (one time)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise BenchError(f"`{' '.join(command)}` failed ({' / '.join(tail)}); install wrk by hand")
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get installed wrk but it is not on PATH")
    return Path(found)


def ensure_prism() -> Path:
    if not PRISM.exists():
        raise BenchError(
            f"Prism is not installed at {PRISM}: run `make bench` (it runs `npm ci`) or `npm ci`"
        )
    return PRISM


def tool_version(command: list[str]) -> str:
    """The first line a tool prints about its version, or "unknown" (wrk prints it on stdout and exits 1)."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"
