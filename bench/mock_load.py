"""Throughput and latency of the embedded mock against Prism, under the same wrk load, in one run.

Both servers get the same request: the spec's official request example with the mock's default
test key, which the mock answers with code 0 and Prism with its first 200 example (code 0 too).
The mock runs as `make mock` does, with its credit, asset and rate limits switched off (with the
defaults a load would measure the 1401/16 refusals, not the success path). Every answer is checked
by the Lua script (status, content type, code, paired message, success payload), and a sample is
validated in full against the spec with httpx.

Prism is measured as `prism mock` runs by default (its per-request log on), which is the goal's
baseline, and again with its log off, as is the mock; those two rows are for information.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import memory
from bench.envelope_check import answer_without_key, sample_answers
from bench.errors import BenchError
from bench.report import Goal, Row, Section, format_value, ratio
from bench.servers import RunningServer, serve
from bench.tools import PRISM
from bench.wrk import Expectation, LoadResult, Workload, run_wrk
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import OPERATION_PATH, REPO_ROOT, SPEC_PATH, code_table, load_spec, operation

GOAL_THROUGHPUT_RATIO = 3.0
SAMPLE_SIZE = 100
# Node's JIT needs seconds before Prism reaches its pace (its first seconds run ~5x slower).
WARMUP_S = 5.0
CANARY_S = 1.0


@dataclass(frozen=True)
class LoadSettings:
    duration_s: float = 10.0
    connections: int = 32
    threads: int = 2


def success_expectation() -> Expectation:
    success = next(entry for entry in code_table() if entry.is_success)
    return Expectation(
        status=success.mock_http_status,
        code=success.code,
        message=success.message,
        data_members=success.carries,
    )


def request_body() -> str:
    """The spec's first request example (the vendor's official sample), as JSON text."""
    examples = operation(load_spec())["requestBody"]["content"]["application/json"]["examples"]
    return json.dumps(next(iter(examples.values()))["value"], separators=(",", ":"))


def workload(server: RunningServer, authorization: str | None = f"Bearer {DEFAULT_TEST_KEY}") -> Workload:
    return Workload(
        url=server.base_url + OPERATION_PATH,
        body=request_body(),
        authorization=authorization,
        expect=success_expectation(),
    )


def mock_command(*, quiet: bool) -> Callable[[int], Sequence[str]]:
    def command(port: int) -> list[str]:
        argv = [sys.executable, "-m", "medux_contract.mock", "--port", str(port)]
        argv += ["--credits", "unlimited", "--asset-limit", "unlimited", "--rate-limit", "off"]
        return argv + (["--log-level", "warning"] if quiet else [])

    return command


def prism_command(*, quiet: bool) -> Callable[[int], Sequence[str]]:
    def command(port: int) -> list[str]:
        argv = [str(PRISM), "mock", str(SPEC_PATH), "--port", str(port), "--host", "127.0.0.1"]
        return argv + (["--verboseLevel", "silent"] if quiet else [])

    return command


@dataclass(frozen=True)
class ServerRun:
    """One server's figures: the measured load run and the sampled full checks."""

    name: str
    load: LoadResult
    sampled: int
    sample_failures: int
    sample_problems: tuple[str, ...]
    keyless_answer: str

    @property
    def nonconformant(self) -> int:
        """Answers that broke the contract or never came (socket errors and timeouts)."""
        return self.load.nonconformant + self.load.socket_errors + self.sample_failures

    def as_dict(self) -> dict[str, object]:
        return {
            **self.load.as_dict(),
            "sampled": self.sampled,
            "sample_failures": self.sample_failures,
            "sample_problems": list(self.sample_problems),
            "nonconformant_total": self.nonconformant,
            "answer_without_key": self.keyless_answer,
        }


def _sampled(name: str, load: LoadResult, load_workload: Workload) -> ServerRun:
    problems = sample_answers(load_workload, SAMPLE_SIZE)
    failures = [answer for answer in problems if answer]
    distinct = tuple(dict.fromkeys(problem for answer in failures for problem in answer))[:5]
    return ServerRun(name, load, len(problems), len(failures), distinct, answer_without_key(load_workload))


def check_the_checker(wrk: Path, server: RunningServer) -> None:
    """A short load without a key: every answer is then code 13, so the Lua check must flag them all."""
    canary = run_wrk(wrk, workload(server, authorization=None), duration_s=CANARY_S, connections=4, threads=1)
    if canary.checked == 0 or canary.nonconformant != canary.checked:
        raise BenchError(
            f"the wrk conformance check flagged {canary.nonconformant} of {canary.checked} answers to "
            "requests without a key; it must flag all of them (bench/wrk_post.lua is broken)"
        )


@dataclass(frozen=True)
class LoadComparison:
    mock: ServerRun
    prism: ServerRun
    mock_quiet: ServerRun
    prism_quiet: ServerRun
    growth: memory.MemoryGrowth


def _run(wrk: Path, server: RunningServer, settings: LoadSettings) -> LoadResult:
    return run_wrk(
        wrk,
        workload(server),
        duration_s=settings.duration_s,
        connections=settings.connections,
        threads=settings.threads,
    )


def _warm_up(wrk: Path, server: RunningServer, settings: LoadSettings) -> None:
    run_wrk(
        wrk, workload(server), duration_s=WARMUP_S, connections=settings.connections, threads=settings.threads
    )


def _measure_mock(wrk: Path, settings: LoadSettings) -> tuple[ServerRun, memory.MemoryGrowth]:
    with serve("mock", mock_command(quiet=False), cwd=REPO_ROOT) as server:
        idle = memory.sample(server.pid)
        check_the_checker(wrk, server)
        _warm_up(wrk, server, settings)
        first = _run(wrk, server, settings)
        after_first = memory.sample(server.pid)
        run = _sampled("mock", first, workload(server))
        second = _run(wrk, server, settings)
        after_second = memory.sample(server.pid)
        if second.nonconformant or second.socket_errors:
            raise BenchError(
                f"the mock's second load run had non-conformant answers: {second.first_nonconformant}"
            )
    growth = memory.MemoryGrowth(idle, after_first, after_second, second.requests)
    return run, growth


def _measure_other(
    wrk: Path, name: str, command: Callable[[int], Sequence[str]], settings: LoadSettings
) -> ServerRun:
    with serve(name, command, cwd=REPO_ROOT) as server:
        _warm_up(wrk, server, settings)
        load = _run(wrk, server, settings)
        return _sampled(name, load, workload(server))


def measure(wrk: Path, settings: LoadSettings) -> LoadComparison:
    mock, growth = _measure_mock(wrk, settings)
    prism = _measure_other(wrk, "prism", prism_command(quiet=False), settings)
    mock_quiet = _measure_other(wrk, "mock, log off", mock_command(quiet=True), settings)
    prism_quiet = _measure_other(wrk, "prism, log off", prism_command(quiet=True), settings)
    return LoadComparison(mock, prism, mock_quiet, prism_quiet, growth)


def section(comparison: LoadComparison, settings: LoadSettings) -> Section:
    mock, prism = comparison.mock, comparison.prism
    throughput = ratio(mock.load.requests_per_s, prism.load.requests_per_s)
    p99 = ratio(mock.load.p99_ms, prism.load.p99_ms)
    quiet_throughput = ratio(
        comparison.mock_quiet.load.requests_per_s, comparison.prism_quiet.load.requests_per_s
    )
    load = f"{settings.connections} connections, {settings.duration_s:g} s"
    rows = [
        Row(f"mock requests/s ({load})", mock.load.requests_per_s, "req/s"),
        Row("Prism requests/s (same load)", prism.load.requests_per_s, "req/s"),
        Row(
            "mock ÷ Prism requests/s",
            throughput,
            "x",
            Goal(
                "mock_throughput_vs_prism",
                "mock ÷ Prism requests/s",
                throughput,
                ">=",
                GOAL_THROUGHPUT_RATIO,
                "x",
            ),
        ),
        Row("mock latency p50 / p99", f"{mock.load.p50_ms:.2f} ms / {mock.load.p99_ms:.2f} ms"),
        Row("Prism latency p50 / p99", f"{prism.load.p50_ms:.2f} ms / {prism.load.p99_ms:.2f} ms"),
        Row(
            "mock p99 ÷ Prism p99",
            p99,
            "x",
            Goal("mock_p99_vs_prism", "mock p99 ÷ Prism p99", p99, "<", 1.0, "x"),
        ),
        Row(
            f"mock non-conformant answers (of {mock.load.checked:,} + {mock.sampled} sampled)",
            float(mock.nonconformant),
            "count",
            Goal(
                "mock_nonconformant",
                "mock answers off the contract",
                float(mock.nonconformant),
                "==",
                0,
                "count",
            ),
        ),
        Row(
            f"Prism non-conformant answers (of {prism.load.checked:,} + {prism.sampled} sampled)",
            float(prism.nonconformant),
            "count",
        ),
        Row("same POST without a key: mock answers", mock.keyless_answer),
        Row("same POST without a key: Prism answers", prism.keyless_answer),
        Row(
            "with both logs off: mock / Prism requests/s",
            f"{comparison.mock_quiet.load.requests_per_s:,.0f} / "
            f"{comparison.prism_quiet.load.requests_per_s:,.0f}"
            + ("" if quiet_throughput is None else f" ({format_value(quiet_throughput, 'x')})"),
        ),
        Row(
            "with both logs off: mock / Prism p99",
            f"{comparison.mock_quiet.load.p99_ms:.2f} ms / {comparison.prism_quiet.load.p99_ms:.2f} ms",
        ),
    ]
    return Section(
        key="mock_load",
        title="Mock vs Prism",
        figures={
            "settings": {
                "duration_s": settings.duration_s,
                "connections": settings.connections,
                "wrk_threads": settings.threads,
                "warmup_s": WARMUP_S,
                "sample_size": SAMPLE_SIZE,
            },
            "mock": mock.as_dict(),
            "prism": prism.as_dict(),
            "mock_log_off": comparison.mock_quiet.as_dict(),
            "prism_log_off": comparison.prism_quiet.as_dict(),
            "throughput_ratio": None if throughput is None else round(throughput, 3),
            "p99_ratio": None if p99 is None else round(p99, 3),
            "throughput_ratio_log_off": None if quiet_throughput is None else round(quiet_throughput, 3),
        },
        rows=rows,
        notes=[
            "Same POST for both (the spec's official request example, bearer key); wrk and the server share "
            "the same cores. The mock runs as `make mock` with --credits/--asset-limit unlimited and "
            "--rate-limit off; Prism as `prism mock openapi.yaml`. A 5 s warm-up precedes each measured run.",
            "Non-conformant = answers the Lua check rejects (status, content type, code, paired message, "
            "success payload) + socket errors/timeouts + sampled answers failing full schema validation.",
        ],
    )
