"""Wall times of the project's own commands, the way a new contributor and CI meet them.

Everything runs in a fresh ``git clone`` of the committed HEAD in a temporary directory, so the
figures describe what is committed (not the working tree) and nothing here touches the working
tree: first ``make test`` on the fresh clone (it bootstraps uv, the locked .venv and node_modules,
from this machine's package caches when they are warm), then, on that now warm clone,
``make generate``, ``make lint``, ``make test`` and ``make``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.errors import BenchError
from bench.processes import signal_group, wait_group_gone
from bench.report import Goal, Row, Section
from medux_contract.spec import REPO_ROOT

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
    steps: tuple[tuple[str, float], ...] = ()  # the pipeline's own per-step summary, when it printed one
    ran: bool = True  # False: not started, the bench's time budget was spent

    @property
    def passed(self) -> bool:
        return self.exit_code == 0

    @property
    def status(self) -> str:
        if not self.ran:
            return "not run (time budget spent)"
        if self.exit_code is None:
            return "timed out"
        return "passed" if self.exit_code == 0 else f"failed (exit {self.exit_code})"


STEP_LINE = re.compile(r"^\s+(?:PASS|FAIL)\s+(\S+)\s+([0-9.]+)s$", re.MULTILINE)


def parse_steps(output: str) -> tuple[tuple[str, float], ...]:
    """The per-step times of the last `==> summary` block scripts/pipeline.py printed, if any."""
    _, marker, summary = output.rpartition("==> summary of")
    if not marker:
        return ()
    return tuple((name, float(seconds)) for name, seconds in STEP_LINE.findall(summary))


def clean_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in _SCRUBBED}


def timed(command: list[str], cwd: Path, timeout_s: float, log: Path) -> Timed:
    """Run ``command`` with its output appended to ``log``; its wall time whether it passes, fails or
    times out (then its whole process group is killed: make's children must not outlive it)."""
    with log.open("ab") as sink:
        sink.write(f"\n$ {' '.join(command)}\n".encode())
        sink.flush()
        offset = sink.tell()
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        code: int | None
        try:
            code = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            signal_group(process.pid, signal.SIGKILL)
            process.wait()
            wait_group_gone(process.pid, 10)
            code = None
        seconds = round(time.monotonic() - started, 2)
    with log.open("rb") as source:
        source.seek(offset)
        output = source.read().decode("utf-8", errors="replace")
    return Timed(" ".join(command), seconds, code, parse_steps(output))


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
LOG_PATH = Path(tempfile.gettempdir()) / "medux-bench-pipeline.log"
MIN_STEP_S = 5.0


def measure_pipeline(budget_s: float, step_timeout_s: float = 240, log: Path = LOG_PATH) -> dict[str, Timed]:
    """Time the fresh-clone `make test`, then each warm target; keys are ``fresh test`` and the targets.

    The commands share ``budget_s`` (so that `make bench` keeps its own time limit): each gets what
    is left, at most ``step_timeout_s``; those left without time are reported as not run. Every
    command's output goes to ``log`` (kept after the run, for reading where the time went)."""
    deadline = time.monotonic() + budget_s
    log.write_bytes(b"")
    times: dict[str, Timed] = {}
    with tempfile.TemporaryDirectory(prefix="medux-bench-clone-") as scratch:
        clone = Path(scratch) / "medux-contract"
        clone_head(clone)
        for name, target in (("fresh test", "test"), *((target, target) for target in WARM_TARGETS)):
            command = ["make", target]
            left = deadline - time.monotonic()
            if left < MIN_STEP_S:
                times[name] = Timed(" ".join(command), 0.0, None, ran=False)
                continue
            times[name] = timed(command, clone, min(step_timeout_s, left), log)
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
        elif not result.ran:
            value = result.status
        else:
            value = f"{result.status} after {result.seconds:.1f} s"
        rows.append(Row(label, value, "s", goals.get(name)))
    failed = {name: result.status for name, result in times.items() if not result.passed}
    notes = [
        "Run in a fresh `git clone` of HEAD in a temporary directory. The fresh clone's first `make test` "
        "bootstraps uv, the locked .venv and node_modules from this machine's uv, pip and npm caches "
        "(warm caches: no large downloads); on a machine with cold caches it takes longer."
    ]
    warm_test = times.get("test")
    if warm_test and warm_test.steps:
        spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in warm_test.steps)
        notes.append(f"Where warm `make test` spends its time (the pipeline's own summary): {spent}.")
    if failed:
        notes.append(
            f"Commands that did not pass (their times are not goal figures; log in {LOG_PATH}): {failed}"
        )
    return Section(
        key="pipeline",
        title="Pipeline",
        figures={
            name: {
                "command": result.command,
                "seconds": result.seconds,
                "exit_code": result.exit_code,
                "steps": dict(result.steps),
            }
            for name, result in times.items()
        },
        rows=rows,
        notes=notes,
    )
