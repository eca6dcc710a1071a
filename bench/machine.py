"""What the figures were measured on: cores, CPU model, memory, Python, tool versions, date, commit."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.tools import PRISM, tool_version
from medux_contract.spec import REPO_ROOT

MIB = 1024 * 1024


def cpu_model(cpuinfo: str) -> str:
    """The first ``model name`` of /proc/cpuinfo (ARM kernels name it ``Hardware``/``CPU part``)."""
    for key in ("model name", "Hardware", "Processor", "cpu model"):
        for line in cpuinfo.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key and value.strip():
                return value.strip()
    return "unknown"


def total_memory_bytes(meminfo: str) -> int | None:
    for line in meminfo.splitlines():
        name, _, value = line.partition(":")
        if name == "MemTotal":
            number, _, unit = value.strip().partition(" ")
            if number.isdigit() and unit.strip() == "kB":
                return int(number) * 1024
    return None


def load_average(loadavg: str) -> float | None:
    """The 1-minute load average when the run started: other work on a shared machine skews figures."""
    first = loadavg.split(" ", 1)[0]
    try:
        return float(first)
    except ValueError:
        return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def describe(now: datetime | None = None) -> dict[str, Any]:
    memory = total_memory_bytes(_read("/proc/meminfo"))
    return {
        "nproc": os.cpu_count() or 0,
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(_read("/proc/cpuinfo")),
        "memory_gib": round(memory / (1024 * MIB), 1) if memory else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "node": tool_version(["node", "--version"]),
        "wrk": tool_version(["wrk", "--version"]).split(" [")[0],
        "prism": tool_version([str(PRISM), "--version"]),
        "load_average": load_average(_read("/proc/loadavg")),
        "date": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
    }
