"""Run wrk with bench/wrk_workload.lua and read the one result line the script prints.

The Lua script reports everything (counts, latency percentiles, non-conformant answers) as one
``BENCH_RESULT {json}`` line, so nothing here depends on wrk's human-readable layout.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.errors import BenchError
from bench.workload import Workload, json_opener

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_workload.lua"
RESULT_PREFIX = "BENCH_RESULT "


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_s: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    socket_errors: int
    non_2xx: int
    checked: int
    nonconformant: int
    first_nonconformant: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_wrk_output(stdout: str) -> LoadResult:
    """The figures of one wrk run, from the ``BENCH_RESULT`` line of its output."""
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if len(lines) != 1:
        raise BenchError(
            f"wrk printed {len(lines)} {RESULT_PREFIX.strip()} lines, expected 1: {stdout[-500:]!r}"
        )
    try:
        raw = json.loads(lines[0][len(RESULT_PREFIX) :])
        duration_s = raw["duration_us"] / 1e6
        if not duration_s > 0:
            raise ValueError("the run lasted no time")
        latency = raw["latency_us"]
        errors = raw["errors"]
        return LoadResult(
            requests=int(raw["requests"]),
            duration_s=round(duration_s, 3),
            requests_per_s=round(raw["requests"] / duration_s, 1),
            p50_ms=latency["p50"] / 1000,
            p90_ms=latency["p90"] / 1000,
            p99_ms=latency["p99"] / 1000,
            mean_ms=round(latency["mean"] / 1000, 3),
            max_ms=latency["max"] / 1000,
            socket_errors=sum(int(errors[kind]) for kind in ("connect", "read", "write", "timeout")),
            non_2xx=int(errors["status"]),
            checked=int(raw["checked"]),
            nonconformant=int(raw["nonconformant"]),
            first_nonconformant=str(raw["first_nonconformant"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"cannot read wrk's result line {lines[0][:300]!r}: {exc!r}") from None


def workload_env(workload: Workload) -> dict[str, str]:
    """The environment that tells wrk_workload.lua what to send and what to expect (all data from
    the spec model, so the script holds no method, path, code, message or key)."""
    expect = workload.expect
    return {
        "BENCH_METHOD": workload.method,
        "BENCH_TARGET": workload.target,
        "BENCH_BODY": workload.body or "",
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in workload.headers().items()),
        "BENCH_EXPECT_STATUS": str(expect.status),
        "BENCH_EXPECT_CODE": str(expect.code),
        "BENCH_EXPECT_MESSAGE": expect.message,
        "BENCH_EXPECT_DATA": ",".join(f"{name}={json_opener(kind)}" for name, kind in expect.data_members),
    }


def wrk_command(
    wrk: Path, url: str, *, duration_s: float, connections: int, threads: int, timeout_s: float = 5
) -> list[str]:
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise BenchError(f"the benchmarks only load loopback servers, not {url}")
    return [
        str(wrk),
        f"--threads={threads}",
        f"--connections={connections}",
        # wrk counts whole seconds ("0.5s" is a usage error); the rate uses the time it measured.
        f"--duration={max(1, math.ceil(duration_s))}s",
        f"--timeout={timeout_s:g}s",
        f"--script={LUA_SCRIPT}",
        url,
    ]


def run_wrk(
    wrk: Path, workload: Workload, *, duration_s: float, connections: int, threads: int
) -> LoadResult:
    command = wrk_command(
        wrk, workload.base_url, duration_s=duration_s, connections=connections, threads=threads
    )
    try:
        result = subprocess.run(
            command,
            env={**os.environ, **workload_env(workload)},
            capture_output=True,
            text=True,
            timeout=duration_s + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {duration_s + 30:g} s") from None
    if result.returncode != 0:
        raise BenchError(f"wrk exited with {result.returncode}: {(result.stderr or result.stdout)[-500:]}")
    return parse_wrk_output(result.stdout)


def combined(runs: Sequence[LoadResult]) -> LoadResult:
    """Several runs of one load as one: totals, the rate over the summed time, the median p50 and
    the worst p90/p99/max (a spell that got slow in one round must show)."""
    requests = sum(run.requests for run in runs)
    duration = sum(run.duration_s for run in runs)
    return LoadResult(
        requests=requests,
        duration_s=round(duration, 3),
        requests_per_s=round(requests / duration, 1),
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p90_ms=max(run.p90_ms for run in runs),
        p99_ms=max(run.p99_ms for run in runs),
        mean_ms=round(sum(run.mean_ms * run.requests for run in runs) / max(requests, 1), 3),
        max_ms=max(run.max_ms for run in runs),
        socket_errors=sum(run.socket_errors for run in runs),
        non_2xx=sum(run.non_2xx for run in runs),
        checked=sum(run.checked for run in runs),
        nonconformant=sum(run.nonconformant for run in runs),
        first_nonconformant=next((run.first_nonconformant for run in runs if run.first_nonconformant), ""),
    )
