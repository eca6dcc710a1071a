"""Test cases per second of the conformance suite, against the in-process mock and over loopback.

Both runs use `python -m scripts.conformance` as users do, in the all-200 status mode with a fixed
seed, reports in a temporary directory. A test case is one request schemathesis generated and the
suite judged (the suite prints "N responses judged" per run). Two rates are reported: over the
command's wall time (what a user waits, interpreter start and schema loading included) and over
the time pytest spent in the suite itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from bench.errors import BenchError
from bench.mock_load import mock_command
from bench.report import Row, Section, ratio
from bench.servers import serve
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT

JUDGED = re.compile(r"^conformance: .*: (\d+) responses judged$", re.MULTILINE)
PYTEST_TIME = re.compile(r"^=*\s*\d+ passed.* in ([0-9.]+)s", re.MULTILINE)
SEED = 1
TIMEOUT_S = 240


@dataclass(frozen=True)
class SuiteRun:
    target: str
    cases: int
    wall_s: float
    suite_s: float | None
    exit_code: int

    @property
    def cases_per_s(self) -> float | None:
        return ratio(self.cases, self.wall_s)

    @property
    def suite_cases_per_s(self) -> float | None:
        return ratio(self.cases, self.suite_s)


def parse_suite_output(stdout: str) -> tuple[int, float | None]:
    """(test cases judged, seconds pytest reported) from `scripts.conformance` output."""
    judged = [int(count) for count in JUDGED.findall(stdout)]
    if not judged:
        raise BenchError(f"the conformance suite printed no 'responses judged' line: {stdout[-400:]!r}")
    times = [float(seconds) for seconds in PYTEST_TIME.findall(stdout)]
    return sum(judged), (sum(times) if times else None)


def run_suite(target: str, extra_env: dict[str, str]) -> SuiteRun:
    with tempfile.TemporaryDirectory(prefix="medux-bench-conformance-") as reports:
        command = [sys.executable, "-m", "scripts.conformance", "--status-mode", "all-200"]
        command += ["--seed", str(SEED), "--reports-dir", reports]
        env = {name: value for name, value in os.environ.items() if not name.startswith("MEDUX_")}
        started = time.monotonic()
        try:
            result = subprocess.run(
                command,
                cwd=REPO_ROOT,
                env={**env, **extra_env},
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BenchError(f"the conformance suite against {target} took over {TIMEOUT_S} s") from None
        wall = time.monotonic() - started
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-8:]
        raise BenchError(f"the conformance suite failed against {target} (exit {result.returncode}): {tail}")
    cases, suite_s = parse_suite_output(result.stdout)
    return SuiteRun(target, cases, round(wall, 3), suite_s, result.returncode)


def measure() -> tuple[SuiteRun, SuiteRun]:
    in_process = run_suite("in-process mock", {})
    with serve("mock", mock_command(quiet=True), cwd=REPO_ROOT) as server:
        loopback = run_suite(
            "mock over loopback", {"MEDUX_BASE_URL": server.base_url, "MEDUX_API_KEY": DEFAULT_TEST_KEY}
        )
    return in_process, loopback


def section(runs: tuple[SuiteRun, SuiteRun]) -> Section:
    rows = []
    for run in runs:
        suite_rate = (
            "" if run.suite_cases_per_s is None else f"; {run.suite_cases_per_s:,.0f}/s inside pytest"
        )
        rows.append(
            Row(
                f"{run.target}: test cases/s",
                f"{run.cases_per_s or 0:,.1f} cases/s ({run.cases} cases in {run.wall_s:.1f} s{suite_rate})",
            )
        )
    return Section(
        key="conformance_rate",
        title="Conformance",
        figures={
            run.target: {
                "cases": run.cases,
                "wall_s": run.wall_s,
                "suite_s": run.suite_s,
                "cases_per_s": None if run.cases_per_s is None else round(run.cases_per_s, 2),
                "suite_cases_per_s": None
                if run.suite_cases_per_s is None
                else round(run.suite_cases_per_s, 2),
            }
            for run in runs
        },
        rows=rows,
        notes=[
            "`python -m scripts.conformance --status-mode all-200 --seed 1` (one status mode; `make "
            "conformance` runs both). The loopback run targets the mock served as `make mock` with its "
            "credit, asset and rate limits off, so the suite's own speed is measured, not the rate limit."
        ],
    )
