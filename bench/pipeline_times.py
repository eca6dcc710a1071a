"""Wall times of the project's own commands, the way a new contributor and CI meet them.

Everything runs in a fresh ``git clone`` of the committed HEAD in a temporary directory, so the
figures describe what is committed (not the working tree) and nothing here touches the working
tree: first ``make test`` on the fresh clone (it bootstraps uv, the locked .venv and node_modules,
from this machine's package caches when they are warm), then, on that now warm clone,
``make generate``, ``make lint``, ``make test`` and ``make``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.errors import BenchError
from bench.report import Goal, Row, Section
from contract_tests.spec import REPO_ROOT

GOAL_WARM_TEST_S = 60.0
GOAL_GENERATE_S = 3.0
# Variables that would point a clone's commands at this checkout's env or at a live server.
_SCRUBBED = (
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "MEDUX_BASE_URL",
    "MEDUX_API_KEY",
    "MEDUX_ALLOW_BILLABLE",
    "MAKEFLAGS",
)


@dataclass(frozen=True)
class Timed:
    command: str
    seconds: float
    exit_code: int | None  # None: stopped at the time limit

    @property
    def passed(self) -> bool:
        return self.exit_code == 0

    @property
    def status(self) -> str:
        if self.exit_code is None:
            return "timed out"
        return "passed" if self.exit_code == 0 else f"failed (exit {self.exit_code})"


def clean_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in _SCRUBBED}


def timed(command: list[str], cwd: Path, timeout_s: float, log: Path) -> Timed:
    """Run ``command`` with its output in ``log``; its wall time whether it passes, fails or times out."""
    started = time.monotonic()
    with log.open("ab") as sink:
        sink.write(f"\n$ {' '.join(command)}\n".encode())
        sink.flush()
        try:
            code: int | None = subprocess.run(
                command,
                cwd=cwd,
                env=clean_env(),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                timeout=timeout_s,
                check=False,
                start_new_session=True,
            ).returncode
        except subprocess.TimeoutExpired:
            code = None
    return Timed(" ".join(command), round(time.monotonic() - started, 2), code)


def clone_head(dest: Path) -> None:
    result = subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"git clone of {REPO_ROOT} failed: {result.stderr.strip()}")


WARM_TARGETS = ("generate", "lint", "test", "all")


def measure_pipeline(step_timeout_s: float = 240, log: Path | None = None) -> dict[str, Timed]:
    """Time the fresh-clone `make test`, then each warm target; keys are ``fresh test`` and the targets."""
    with tempfile.TemporaryDirectory(prefix="medux-bench-clone-") as scratch:
        clone = Path(scratch) / "medux-contract"
        clone_head(clone)
        log = log or Path(scratch) / "pipeline.log"
        times = {"fresh test": timed(["make", "test"], clone, step_timeout_s, log)}
        for target in WARM_TARGETS:
            times[target] = timed(["make", target], clone, step_timeout_s, log)
        failed = [name for name, result in times.items() if not result.passed]
        if failed and log.parent == Path(scratch):
            # Keep the log of a failing run: the clone and its log vanish with the scratch directory.
            kept = Path(tempfile.gettempdir()) / "medux-bench-pipeline.log"
            kept.write_bytes(log.read_bytes())
    return times


def section(times: dict[str, Timed]) -> Section:
    def seconds(name: str) -> float | None:
        result = times.get(name)
        return result.seconds if result and result.passed else None

    labels = {
        "fresh test": "first `make test` on a fresh clone",
        "generate": "`make generate` (warm)",
        "lint": "`make lint` (warm)",
        "test": "`make test` (warm)",
        "all": "`make` (warm: the main job)",
    }
    goals = {
        "generate": Goal(
            "regeneration_time", "warm `make generate`", seconds("generate"), "<", GOAL_GENERATE_S, "s"
        ),
        "test": Goal("warm_test_time", "warm `make test`", seconds("test"), "<", GOAL_WARM_TEST_S, "s"),
    }
    rows = []
    for name, label in labels.items():
        result = times.get(name)
        value: float | str | None
        if result is None:
            value = None
        elif result.passed:
            value = result.seconds
        else:
            value = f"{result.status} after {result.seconds:.1f} s"
        rows.append(Row(label, value, "s", goals.get(name)))
    failed = {name: result.status for name, result in times.items() if not result.passed}
    notes = [
        "Run in a fresh `git clone` of HEAD in a temporary directory. The fresh clone's first `make test` "
        "bootstraps uv, the locked .venv and node_modules from this machine's uv, pip and npm caches "
        "(warm caches: no large downloads); on a machine with cold caches it takes longer."
    ]
    if failed:
        notes.append(
            "Commands that did not pass (their times are not goal figures; log kept in "
            f"{Path(tempfile.gettempdir()) / 'medux-bench-pipeline.log'}): {failed}"
        )
    return Section(
        key="pipeline",
        title="Pipeline",
        figures={
            name: {"command": result.command, "seconds": result.seconds, "exit_code": result.exit_code}
            for name, result in times.items()
        },
        rows=rows,
        notes=notes,
    )
