"""Throughput and latency of the embedded mock against Prism and against its floors, per operation.

Every operation of the spec gets its own load (bench/workload.py builds it from the spec model: its
method, path, request example or query parameters, the mock's default test key), sent by wrk to
every contender in the same run:

- the mock with its per-request log off (the figure every goal is about), as `make mock
  --log-level warning` runs it, with its credit, asset and rate limits switched off (with the
  defaults a load would measure the 1401/16 refusals, not the success path); it still validates
  every request, authenticates it and keeps each key's assets (the list shows what the create made);
- the mock with its default logging (one line per request), for information;
- Prism with its log off (``--verboseLevel silent``), the baseline of the >= 4x goal;
- the bare-ASGI floor (:mod:`bench.floor`): the mock's own server stack answering canned bytes, the
  baseline of the >= 0.5x goal;
- nginx answering the same bytes (:mod:`bench.nginx_floor`), for information, when installed.

The floors' canned bytes are the mock's own answer to the operation's load request, taken just
before its rounds (the floors are started for each operation), so they send the same JSON: a list
page of the assets the create load made is many times the spec example's one item.

All contenders run at once, each in its own process, and idle while another is loaded. Per
operation, each gets a warm-up, then the measured load runs in ``rounds`` short runs that alternate
between contenders (the order rotating each round), so a busy spell on the shared machine lands on
all of them. Every answer is prefiltered by the Lua script (status, content type, code, paired
message, carried data), and a sample is judged in full by the envelope rule with the response
schema. After the loads, the mock (log off) gets one more short run per operation with its memory
read around it (:mod:`bench.memory`).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import floor, memory, nginx_floor
from bench.envelope_check import answer_problems, answer_without_key, sample_answers, send_request
from bench.errors import BenchError
from bench.report import Goal, Row, Section, ratio
from bench.rounds import rotation
from bench.servers import RunningServer, serve
from bench.tools import PRISM
from bench.workload import Workload, snake_case, workload_for
from bench.wrk import LoadResult, combined, run_wrk
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT, SPEC_PATH, Contract, Operation, load_contract

GOAL_VS_PRISM = 4.0
GOAL_VS_FLOOR = 0.5
SAMPLE_SIZE = 100
# Node's JIT needs seconds before Prism reaches its pace (its first seconds run ~5x slower); the
# Python and C servers only need their connections open and their code paths taken once.
PRISM_WARMUP_S = 5.0
WARMUP_S = 1.0
CANARY_S = 1.0
MEMORY_RUN_S = 4.0

MOCK, MOCK_LOGGING, PRISM_KEY, FLOOR, NGINX = "mock", "mock_logging", "prism", "floor", "nginx"
FLOORS = (FLOOR, NGINX)  # started for each operation, answering the mock's answer to its request
ANSWER_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LoadSettings:
    duration_s: float = 8.0  # measured seconds per contender and operation, over every round
    connections: int = 32
    threads: int = 2
    rounds: int = 4

    @property
    def round_s(self) -> float:
        # wrk counts whole seconds.
        return float(max(1, round(self.duration_s / self.rounds)))


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
class Contender:
    """One server the loads are sent to."""

    key: str
    label: str
    command: Callable[[int], Sequence[str]]
    warmup_s: float
    keyless: bool = False  # whether "the same request without a key" is asked of it (the floors
    # answer anything with success: that is what makes them floors)


def contenders(
    nginx: Path | None, workdir: Path, answers: Mapping[tuple[str, str], bytes]
) -> tuple[Contender, ...]:
    """Every server of the comparison, the floors answering ``answers``; nginx only when it is
    installed."""
    servers = [
        Contender(MOCK, "mock", mock_command(quiet=True), WARMUP_S, keyless=True),
        Contender(MOCK_LOGGING, "mock, default logging", mock_command(quiet=False), WARMUP_S),
        Contender(PRISM_KEY, "Prism", prism_command(quiet=True), PRISM_WARMUP_S, keyless=True),
        Contender(FLOOR, "bare ASGI floor", floor.answering(answers, workdir), WARMUP_S),
    ]
    if nginx is not None:
        servers.append(Contender(NGINX, "nginx", nginx_floor.command(nginx, workdir, answers), WARMUP_S))
    return tuple(servers)


def mock_answer(load: Workload, contract: Contract) -> bytes:
    """The body the mock answers ``load``'s request with, for the floors to send: its success, or
    BenchError (a floor answering a refusal would measure another path)."""
    try:
        with httpx.Client(timeout=ANSWER_TIMEOUT_S) as client:
            response = send_request(client, load)
    except httpx.HTTPError as exc:
        raise BenchError(f"the mock did not answer {load.operation_id}'s load request: {exc}") from None
    problems = answer_problems(contract, load, response)
    if problems:
        raise BenchError(
            f"the mock's answer to {load.operation_id}'s load request is not its success: {problems[0]}"
        )
    return response.content


@dataclass(frozen=True)
class ServerRun:
    """One server's figures for one operation: the measured rounds and the sampled full checks."""

    name: str
    load: LoadResult
    sampled: int
    sample_failures: int
    sample_problems: tuple[str, ...]
    keyless_answer: str | None
    rounds: tuple[float, ...] = ()  # requests/s of each measured round

    @property
    def nonconformant(self) -> int:
        """Answers that broke the contract or never came (socket errors and timeouts)."""
        return self.load.nonconformant + self.load.socket_errors + self.sample_failures

    def as_dict(self) -> dict[str, object]:
        return {
            **self.load.as_dict(),
            "round_requests_per_s": list(self.rounds),
            "sampled": self.sampled,
            "sample_failures": self.sample_failures,
            "sample_problems": list(self.sample_problems),
            "nonconformant_total": self.nonconformant,
            "answer_without_key": self.keyless_answer,
        }


def _judged(
    name: str, rounds: Sequence[LoadResult], contract: Contract, load_workload: Workload, keyless: bool
) -> ServerRun:
    problems = sample_answers(contract, load_workload, SAMPLE_SIZE)
    failures = [answer for answer in problems if answer]
    distinct = tuple(dict.fromkeys(problem for answer in failures for problem in answer))[:5]
    return ServerRun(
        name,
        combined(rounds),
        len(problems),
        len(failures),
        distinct,
        answer_without_key(load_workload) if keyless else None,
        tuple(run.requests_per_s for run in rounds),
    )


def check_the_checker(wrk: Path, load_workload: Workload) -> None:
    """A short load without a key: every answer is then code 13, so the Lua check must flag them all."""
    canary = run_wrk(wrk, load_workload.without_key(), duration_s=CANARY_S, connections=4, threads=1)
    if canary.checked == 0 or canary.nonconformant != canary.checked:
        raise BenchError(
            f"the wrk conformance check flagged {canary.nonconformant} of {canary.checked} answers to "
            f"{load_workload.operation_id} requests without a key; it must flag all of them "
            "(bench/wrk_workload.lua is broken)"
        )


@dataclass(frozen=True)
class OperationLoad:
    """Every contender's figures for one operation (``nginx`` None when it is not installed)."""

    operation: Operation
    mock: ServerRun
    mock_logging: ServerRun
    prism: ServerRun
    floor: ServerRun
    nginx: ServerRun | None


@dataclass(frozen=True)
class LoadComparison:
    operations: tuple[OperationLoad, ...]
    growth: memory.MemoryGrowth
    nginx_version: str = "not installed"
    settings: LoadSettings = field(default_factory=LoadSettings)


def _memory_round(
    wrk: Path, server: RunningServer, contract: Contract, settings: LoadSettings
) -> tuple[memory.RunGrowth, ...]:
    """One more short run per operation on the mock, memory read around each."""
    growth = []
    for op in contract.operations:
        load = workload(op, server, contract)
        before = memory.sample(server.pid)
        again = run_wrk(
            wrk, load, duration_s=MEMORY_RUN_S, connections=settings.connections, threads=settings.threads
        )
        if again.nonconformant or again.socket_errors:
            raise BenchError(
                f"the mock's {op.operation_id} memory run had non-conformant answers: "
                f"{again.first_nonconformant}"
            )
        growth.append(
            memory.RunGrowth(
                op.operation_id, op.idempotent, before, memory.sample(server.pid), again.requests
            )
        )
    return tuple(growth)


def measure(wrk: Path, settings: LoadSettings, contract: Contract | None = None) -> LoadComparison:
    contract = contract or load_contract()
    nginx = nginx_floor.find_nginx()

    def run(load: Workload, duration_s: float) -> LoadResult:
        return run_wrk(
            wrk, load, duration_s=duration_s, connections=settings.connections, threads=settings.threads
        )

    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="medux-bench-")))
        canned = floor.canned_answers(contract)
        steady = [c for c in contenders(nginx, workdir, canned) if c.key not in FLOORS]
        running = {c.key: stack.enter_context(serve(c.label, c.command, cwd=REPO_ROOT)) for c in steady}
        idle = memory.sample(running[MOCK].pid)
        measured = []
        for op in contract.operations:
            loads = {key: workload(op, server, contract) for key, server in running.items()}
            if op.secured:
                check_the_checker(wrk, loads[MOCK])
            answers = {**canned, (op.method.upper(), op.path): mock_answer(loads[MOCK], contract)}
            servers = contenders(nginx, workdir, answers)
            with contextlib.ExitStack() as floors:
                for c in servers:
                    if c.key in FLOORS:
                        server = floors.enter_context(serve(c.label, c.command, cwd=REPO_ROOT))
                        loads[c.key] = workload(op, server, contract)
                for contender in servers:
                    run(loads[contender.key], contender.warmup_s)
                rounds: dict[str, list[LoadResult]] = {c.key: [] for c in servers}
                for index in range(settings.rounds):
                    for key in rotation([c.key for c in servers], index):
                        rounds[key].append(run(loads[key], settings.round_s))
                runs = {
                    c.key: _judged(c.label, rounds[c.key], contract, loads[c.key], c.keyless) for c in servers
                }
            measured.append(
                OperationLoad(
                    op, runs[MOCK], runs[MOCK_LOGGING], runs[PRISM_KEY], runs[FLOOR], runs.get(NGINX)
                )
            )
        after_loads = memory.sample(running[MOCK].pid)
        second = _memory_round(wrk, running[MOCK], contract, settings)
    return LoadComparison(
        tuple(measured),
        memory.MemoryGrowth(idle, after_loads, second),
        nginx_floor.version(nginx),
        settings,
    )


def _latency(run: ServerRun) -> str:
    return f"{run.load.p50_ms:.2f} ms / {run.load.p99_ms:.2f} ms"


def _throughput_goal(suffix: str, what: str, figure: float | None, target: float) -> Goal:
    return Goal(f"mock_throughput_vs_{suffix}", what, figure, ">=", target, "x")


def operation_section(measured: OperationLoad, settings: LoadSettings, nginx_version: str = "") -> Section:
    """One operation's rows: its goals are keyed by the operation (``..._create_avatar_by_image``)."""
    op, mock, prism, bare = measured.operation, measured.mock, measured.prism, measured.floor
    suffix = snake_case(op.operation_id)
    vs_prism = ratio(mock.load.requests_per_s, prism.load.requests_per_s)
    vs_floor = ratio(mock.load.requests_per_s, bare.load.requests_per_s)
    p99 = ratio(mock.load.p99_ms, prism.load.p99_ms)
    load = f"{settings.connections} connections, {settings.rounds} rounds of {settings.round_s:g} s"
    nginx = measured.nginx
    rows = [
        Row(f"mock requests/s, log off ({load})", mock.load.requests_per_s, "req/s"),
        Row("mock with its default logging: requests/s", measured.mock_logging.load.requests_per_s, "req/s"),
        Row("Prism requests/s, log off", prism.load.requests_per_s, "req/s"),
        Row(
            "bare ASGI floor requests/s (the mock's server stack, the mock's answer as canned bytes)",
            bare.load.requests_per_s,
            "req/s",
        ),
        Row(
            "nginx requests/s (one worker, the same bytes)",
            nginx.load.requests_per_s if nginx else f"not available ({nginx_floor.INSTALL_HINT})",
            "req/s",
        ),
        Row(
            "mock ÷ Prism requests/s (both logs off)",
            vs_prism,
            "x",
            _throughput_goal(
                f"prism_{suffix}", f"{op.operation_id}: mock ÷ Prism requests/s", vs_prism, GOAL_VS_PRISM
            ),
        ),
        Row(
            "mock ÷ bare ASGI floor requests/s",
            vs_floor,
            "x",
            _throughput_goal(
                f"floor_{suffix}",
                f"{op.operation_id}: mock ÷ bare ASGI floor requests/s",
                vs_floor,
                GOAL_VS_FLOOR,
            ),
        ),
        Row("mock latency p50 / p99", _latency(mock)),
        Row("mock with its default logging: latency p50 / p99", _latency(measured.mock_logging)),
        Row("Prism latency p50 / p99", _latency(prism)),
        Row("bare ASGI floor latency p50 / p99", _latency(bare)),
        *([Row("nginx latency p50 / p99", _latency(nginx))] if nginx else []),
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
            "mock with its default logging: non-conformant answers "
            f"(of {measured.mock_logging.load.checked:,} + {measured.mock_logging.sampled} sampled)",
            float(measured.mock_logging.nonconformant),
            "count",
        ),
        Row(
            f"Prism non-conformant answers (of {prism.load.checked:,} + {prism.sampled} sampled)",
            float(prism.nonconformant),
            "count",
        ),
        Row("same request without a key: mock answers", mock.keyless_answer),
        Row("same request without a key: Prism answers", prism.keyless_answer),
    ]
    request = "with its request example as the body" if op.has_body else "with its required query parameters"
    return Section(
        key=f"mock_load_{suffix}",
        title=f"Mock load, {op.operation_id}",
        figures={
            "operation": {"operation_id": op.operation_id, "method": op.method.upper(), "path": op.path},
            "settings": {
                "duration_s": settings.duration_s,
                "rounds": settings.rounds,
                "round_s": settings.round_s,
                "connections": settings.connections,
                "wrk_threads": settings.threads,
                "warmup_s": WARMUP_S,
                "prism_warmup_s": PRISM_WARMUP_S,
                "sample_size": SAMPLE_SIZE,
            },
            "mock": mock.as_dict(),
            "mock_logging": measured.mock_logging.as_dict(),
            "prism": prism.as_dict(),
            "floor": bare.as_dict(),
            "nginx": None if nginx is None else nginx.as_dict(),
            "nginx_version": nginx_version,
            "throughput_ratio_vs_prism": None if vs_prism is None else round(vs_prism, 3),
            "throughput_ratio_vs_floor": None if vs_floor is None else round(vs_floor, 3),
            "p99_ratio": None if p99 is None else round(p99, 3),
        },
        rows=rows,
        notes=[
            f"Same {op.label} for every server ({request}, bearer key); wrk and the servers share the same "
            "cores, every server's log off but the default-logging mock's. The mock runs as `make mock` "
            "with --credits/--asset-limit unlimited and --rate-limit off (it still validates, "
            "authenticates and keeps each key's assets); Prism as `prism mock openapi.yaml "
            "--verboseLevel silent`; the floor is the mock's own uvicorn + httptools + uvloop with its "
            "bounded protocol class, answering as canned bytes the mock's own answer to the same request, "
            "taken just before the operation's rounds (bench/floor.py), so both send the same JSON; "
            f"nginx ({nginx_version}) one worker answering the same bytes. Each server process serves the "
            "operations in the spec's order (so the mock lists the assets the create load made). After a "
            f"warm-up ({PRISM_WARMUP_S:g} s Prism, {WARMUP_S:g} s the others) the loads alternate in "
            f"{settings.rounds} rounds of {settings.round_s:g} s; requests/s is over their summed time, "
            "p50 the median round's, p99 the worst round's. Prism with its per-request log on is no longer "
            "measured: no goal compares with it.",
            "Non-conformant = answers the Lua prefilter rejects (status, content type, code, paired "
            "message, carried data) + socket errors/timeouts + sampled answers the envelope rule rejects "
            "(with the response schema).",
        ],
    )


def missed(section: Section) -> bool:
    """Whether a throughput goal of this operation's section was missed (then a profile is due)."""
    return any(goal.met is False and goal.key.startswith("mock_throughput_") for goal in section.goals)


def sections(comparison: LoadComparison, settings: LoadSettings) -> list[Section]:
    return [
        operation_section(measured, settings, comparison.nginx_version) for measured in comparison.operations
    ]
