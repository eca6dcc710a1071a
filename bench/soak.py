"""Soak: the mock's resident memory and open descriptors stay flat under a sustained hostile mix.

The mock runs as `make mock` does (a process of its own; credit, asset and rate limits off) with
1-second peer bounds, so each hostile peer is let go, and replaced, many times per run. For
``SOAK_S`` seconds, normal keep-alive clients send every operation of the spec (each answer checked)
while slow-header, stalled-body, silent, header-flood, Upgrade and reset peers reconnect without
pause (:mod:`medux_contract.testing.hostile`). An operation that is not idempotent is asked for its
success with ``Prefer: example=...``, which keeps no state, so any growth is a leak rather than data
the mock keeps by design. RSS and descriptors are read from /proc after a warm-up of the same mix
and again once the bounds have let every hostile peer go.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import memory
from bench.errors import BenchError
from bench.report import Goal, Row, Section
from bench.servers import serve
from bench.workload import workload_for
from medux_contract.mock import DEFAULT_TEST_KEY, PREFER_HEADER, prefer_example
from medux_contract.spec import REPO_ROOT, Contract, load_contract
from medux_contract.testing.hostile import HostileMix, MixResult, run_mix
from medux_contract.testing.raw import request_bytes

GOAL_GROWTH_MIB = memory.GOAL_GROWTH_MIB
SOAK_S = 30.0
WARMUP_S = 3.0
BOUND_S = "1"  # the mock's header, body and keep-alive timeouts during the soak
# What each kind of hostile peer must get back from the mock (a status, or what happened).
EXPECTED = {
    "slow_headers": "408",
    "stalled_body": "408",
    "silent": "closed",
    "header_flood": "431",
    "upgrade": "200,200",
    "reset": "reset",
}
SETTLE_S = 15.0  # bounds (1 s) + the lingering close (2 s) + slack, before descriptors are read


def requests_for(contract: Contract) -> list[bytes]:
    """One keep-alive request per operation, those with a body first, none of them keeping state."""
    requests = []
    for operation in contract.operations:
        work = workload_for(operation, contract, "http://127.0.0.1", key=DEFAULT_TEST_KEY)
        headers = work.headers()
        if not operation.idempotent:
            headers[PREFER_HEADER] = prefer_example(operation.success)
        body = (work.body or "").encode()
        request = request_bytes(work.method, work.target, headers=headers, body=body)
        requests.append((work.body is None, request))
    return [request for _, request in sorted(requests, key=lambda pair: pair[0])]


def descriptors(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError as exc:
        raise BenchError(f"cannot count the descriptors of process {pid}: {exc}") from None


def settle(pid: int, baseline: int | None) -> int:
    """The mock's descriptor count once it is back to ``baseline`` (or stable, with no baseline yet)."""
    deadline = time.monotonic() + SETTLE_S
    last = descriptors(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = descriptors(pid)
        if (baseline is not None and now <= baseline) or (baseline is None and now == last):
            return now
        last = now
    return last


@dataclass(frozen=True)
class SoakResult:
    duration_s: float
    mix: HostileMix
    result: MixResult
    rss_before: memory.MemorySample
    rss_after: memory.MemorySample
    fds_before: int
    fds_after: int

    @property
    def growth_mib(self) -> float:
        return (self.rss_after.rss_bytes - self.rss_before.rss_bytes) / memory.MIB


def measure(duration_s: float = SOAK_S) -> SoakResult:
    contract = load_contract()
    requests = requests_for(contract)
    success = b'{"code":%d,' % contract.codes.success.code

    def command(port: int) -> list[str]:
        argv = [sys.executable, "-m", "medux_contract.mock", "--port", str(port), "--log-level", "warning"]
        argv += ["--credits", "unlimited", "--asset-limit", "unlimited", "--rate-limit", "off"]
        bounds = ("--header-timeout", "--body-timeout", "--keep-alive-timeout")
        return argv + [part for bound in bounds for part in (bound, BOUND_S)]

    mix = HostileMix(duration_s=duration_s)
    with serve("mock-soak", command, cwd=Path(REPO_ROOT)) as server:
        run_mix(server.port, requests, HostileMix(duration_s=WARMUP_S), success=success)
        fds_before = settle(server.pid, None)
        rss_before = memory.sample(server.pid)
        started = time.monotonic()
        result = run_mix(server.port, requests, mix, success=success)
        ran = time.monotonic() - started
        fds_after = settle(server.pid, fds_before)
        rss_after = memory.sample(server.pid)
    return SoakResult(ran, mix, result, rss_before, rss_after, fds_before, fds_after)


def section(soak: SoakResult) -> Section:
    result = soak.result
    latencies = sorted(result.normal_latencies_ms)
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) >= 100 else None
    hostile = sum(count for kind, count in result.connections.items())
    growth = round(soak.growth_mib, 3)
    extra_fds = soak.fds_after - soak.fds_before
    latency = "n/a" if p99 is None else f"{statistics.median(latencies):.1f} / {p99:.1f} ms"
    memory_goal = Goal(
        "soak_memory_growth",
        "mock RSS growth over a sustained hostile mix",
        growth,
        "<=",
        GOAL_GROWTH_MIB,
        "MiB",
    )
    descriptors_goal = Goal(
        "soak_descriptors_back",
        "mock descriptors over their baseline after the soak",
        extra_fds,
        "==",
        0,
        "count",
    )
    unexpected = sum(
        count
        for answer, count in result.answers.items()
        if EXPECTED.get(answer.split()[0]) != answer.split()[1]
    )
    answers_goal = Goal(
        "soak_hostile_answers",
        "hostile peers that did not get their documented answer (408, 431, close)",
        unexpected,
        "==",
        0,
        "count",
    )
    failures_goal = Goal(
        "soak_normal_failures",
        "normal requests failed under the hostile mix",
        result.normal_failed,
        "==",
        0,
        "count",
    )
    rows = [
        Row(f"hostile connections in {soak.duration_s:.0f} s (every kind of peer)", hostile, "count"),
        Row("normal requests answered under the hostile mix", result.normal_ok, "count"),
        Row("normal request p50 / p99 under the hostile mix", latency),
        Row("hostile peers without their documented answer", unexpected, "count", answers_goal),
        Row("normal requests that failed", result.normal_failed, "count", failures_goal),
        Row("mock RSS growth over the soak", growth, "MiB", memory_goal),
        Row("mock descriptors after the soak, over the baseline", extra_fds, "count", descriptors_goal),
    ]
    return Section(
        key="soak",
        title="Mock soak under hostile peers",
        figures={
            "duration_s": round(soak.duration_s, 1),
            "rss_before_mib": round(soak.rss_before.rss_bytes / memory.MIB, 2),
            "rss_after_mib": round(soak.rss_after.rss_bytes / memory.MIB, 2),
            "growth_mib": growth,
            "descriptors_before": soak.fds_before,
            "descriptors_after": soak.fds_after,
            "hostile_connections": dict(result.connections),
            "answers": dict(result.answers),
            "normal_ok": result.normal_ok,
            "normal_failed": result.normal_failed,
            "normal_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
            "normal_p99_ms": None if p99 is None else round(p99, 2),
        },
        rows=rows,
    )
