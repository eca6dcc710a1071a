"""Throughput and latency of the embedded mock against Prism, under the same wrk load, per operation.

Every operation of the spec gets its own load (bench/workload.py builds it from the spec model: its
method, path, request example or query parameters, the mock's default test key) against both
servers, which answer it with its success code (the mock through its decision chain, Prism with the
first 200 example). Each server process serves every operation in turn, in the spec's order. The
mock runs as `make mock` does, with its credit, asset and rate limits switched off (with the
defaults a load would measure the 1401/16 refusals, not the success path). Every answer is
prefiltered by the Lua script (status, content type, code, paired message, carried data), and a
sample is judged in full by the envelope rule with the response schema.

Prism is measured as `prism mock` runs by default (its per-request log on), which is the goal's
baseline, and again with its log off, as is the mock; those two rows are for information.
"""

from __future__ import annotations

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
from bench.workload import Workload, snake_case, workload_for
from bench.wrk import LoadResult, run_wrk
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT, SPEC_PATH, Contract, Operation, load_contract

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


def workload(
    operation: Operation,
    server: RunningServer,
    contract: Contract | None = None,
    key: str | None = DEFAULT_TEST_KEY,
) -> Workload:
    return workload_for(operation, contract or load_contract(), server.base_url, key=key)


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
    """One server's figures for one operation: the measured load run and the sampled full checks."""

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


def _sampled(name: str, load: LoadResult, contract: Contract, load_workload: Workload) -> ServerRun:
    problems = sample_answers(contract, load_workload, SAMPLE_SIZE)
    failures = [answer for answer in problems if answer]
    distinct = tuple(dict.fromkeys(problem for answer in failures for problem in answer))[:5]
    return ServerRun(name, load, len(problems), len(failures), distinct, answer_without_key(load_workload))


def check_the_checker(wrk: Path, load_workload: Workload) -> None:
    """A short load without a key: every answer is then code 13, so the Lua check must flag them all."""
    canary = run_wrk(wrk, load_workload.without_key(), duration_s=CANARY_S, connections=4, threads=1)
    if canary.checked == 0 or canary.nonconformant != canary.checked:
        raise BenchError(
            f"the wrk conformance check flagged {canary.nonconformant} of {canary.checked} answers to "
            f"{load_workload.operation_id} requests without a key; it must flag all of them "
            "(bench/wrk_workload.lua is broken)"
        )


def _run(
    wrk: Path, load_workload: Workload, settings: LoadSettings, duration_s: float | None = None
) -> LoadResult:
    return run_wrk(
        wrk,
        load_workload,
        duration_s=settings.duration_s if duration_s is None else duration_s,
        connections=settings.connections,
        threads=settings.threads,
    )


@dataclass(frozen=True)
class OperationLoad:
    """The four servers' figures for one operation."""

    operation: Operation
    mock: ServerRun
    prism: ServerRun
    mock_quiet: ServerRun
    prism_quiet: ServerRun


@dataclass(frozen=True)
class LoadComparison:
    operations: tuple[OperationLoad, ...]
    growth: memory.MemoryGrowth


def _measure_mock(
    wrk: Path, contract: Contract, settings: LoadSettings
) -> tuple[dict[str, ServerRun], memory.MemoryGrowth]:
    """Every operation loaded twice on one mock process: the first round is the figure; the second,
    with memory sampled around each operation's run, shows memory that grows with requests."""
    runs: dict[str, ServerRun] = {}
    second: list[memory.RunGrowth] = []
    with serve("mock", mock_command(quiet=False), cwd=REPO_ROOT) as server:
        idle = memory.sample(server.pid)
        loads = [workload(op, server, contract) for op in contract.operations]
        for op, load in zip(contract.operations, loads, strict=True):
            if op.secured:
                check_the_checker(wrk, load)
            _run(wrk, load, settings, WARMUP_S)
            runs[op.operation_id] = _sampled("mock", _run(wrk, load, settings), contract, load)
        after_first = memory.sample(server.pid)
        for op, load in zip(contract.operations, loads, strict=True):
            before = memory.sample(server.pid)
            again = _run(wrk, load, settings)
            if again.nonconformant or again.socket_errors:
                raise BenchError(
                    f"the mock's second {op.operation_id} load run had non-conformant answers: "
                    f"{again.first_nonconformant}"
                )
            second.append(
                memory.RunGrowth(
                    op.operation_id, op.idempotent, before, memory.sample(server.pid), again.requests
                )
            )
    return runs, memory.MemoryGrowth(idle, after_first, tuple(second))


def _measure_other(
    wrk: Path, name: str, command: Callable[[int], Sequence[str]], contract: Contract, settings: LoadSettings
) -> dict[str, ServerRun]:
    runs = {}
    with serve(name, command, cwd=REPO_ROOT) as server:
        for op in contract.operations:
            load = workload(op, server, contract)
            _run(wrk, load, settings, WARMUP_S)
            runs[op.operation_id] = _sampled(name, _run(wrk, load, settings), contract, load)
    return runs


def measure(wrk: Path, settings: LoadSettings, contract: Contract | None = None) -> LoadComparison:
    contract = contract or load_contract()
    mock, growth = _measure_mock(wrk, contract, settings)
    prism = _measure_other(wrk, "prism", prism_command(quiet=False), contract, settings)
    mock_quiet = _measure_other(wrk, "mock, log off", mock_command(quiet=True), contract, settings)
    prism_quiet = _measure_other(wrk, "prism, log off", prism_command(quiet=True), contract, settings)
    return LoadComparison(
        tuple(
            OperationLoad(
                op,
                mock[op.operation_id],
                prism[op.operation_id],
                mock_quiet[op.operation_id],
                prism_quiet[op.operation_id],
            )
            for op in contract.operations
        ),
        growth,
    )


def operation_section(measured: OperationLoad, settings: LoadSettings) -> Section:
    """One operation's rows: its goals are keyed by the operation (``..._create_avatar_by_image``)."""
    op, mock, prism = measured.operation, measured.mock, measured.prism
    suffix = snake_case(op.operation_id)
    throughput = ratio(mock.load.requests_per_s, prism.load.requests_per_s)
    p99 = ratio(mock.load.p99_ms, prism.load.p99_ms)
    quiet_throughput = ratio(
        measured.mock_quiet.load.requests_per_s, measured.prism_quiet.load.requests_per_s
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
                f"mock_throughput_vs_prism_{suffix}",
                f"{op.operation_id}: mock ÷ Prism requests/s",
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
            Goal(
                f"mock_p99_vs_prism_{suffix}", f"{op.operation_id}: mock p99 ÷ Prism p99", p99, "<", 1.0, "x"
            ),
        ),
        Row(
            f"mock non-conformant answers (of {mock.load.checked:,} + {mock.sampled} sampled)",
            float(mock.nonconformant),
            "count",
            Goal(
                f"mock_nonconformant_{suffix}",
                f"{op.operation_id}: mock answers off the contract",
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
        Row("same request without a key: mock answers", mock.keyless_answer),
        Row("same request without a key: Prism answers", prism.keyless_answer),
        Row(
            "with both logs off: mock / Prism requests/s",
            f"{measured.mock_quiet.load.requests_per_s:,.0f} / "
            f"{measured.prism_quiet.load.requests_per_s:,.0f}"
            + ("" if quiet_throughput is None else f" ({format_value(quiet_throughput, 'x')})"),
        ),
        Row(
            "with both logs off: mock / Prism p99",
            f"{measured.mock_quiet.load.p99_ms:.2f} ms / {measured.prism_quiet.load.p99_ms:.2f} ms",
        ),
    ]
    request = "with its request example as the body" if op.has_body else "with its required query parameters"
    return Section(
        key=f"mock_load_{suffix}",
        title=f"Mock vs Prism, {op.operation_id}",
        figures={
            "operation": {"operation_id": op.operation_id, "method": op.method.upper(), "path": op.path},
            "settings": {
                "duration_s": settings.duration_s,
                "connections": settings.connections,
                "wrk_threads": settings.threads,
                "warmup_s": WARMUP_S,
                "sample_size": SAMPLE_SIZE,
            },
            "mock": mock.as_dict(),
            "prism": prism.as_dict(),
            "mock_log_off": measured.mock_quiet.as_dict(),
            "prism_log_off": measured.prism_quiet.as_dict(),
            "throughput_ratio": None if throughput is None else round(throughput, 3),
            "p99_ratio": None if p99 is None else round(p99, 3),
            "throughput_ratio_log_off": None if quiet_throughput is None else round(quiet_throughput, 3),
        },
        rows=rows,
        notes=[
            f"Same {op.label} for both ({request}, bearer key); wrk and the server share the same cores. "
            "The mock runs as `make mock` with --credits/--asset-limit unlimited and --rate-limit off; "
            "Prism as `prism mock openapi.yaml`. Each server process serves the operations in the spec's "
            "order (so the mock lists the assets the create load made). "
            f"A {WARMUP_S:g} s warm-up precedes each measured run.",
            "Non-conformant = answers the Lua prefilter rejects (status, content type, code, paired "
            "message, carried data) + socket errors/timeouts + sampled answers the envelope rule rejects "
            "(with the response schema).",
        ],
    )


def sections(comparison: LoadComparison, settings: LoadSettings) -> list[Section]:
    return [operation_section(measured, settings) for measured in comparison.operations]
