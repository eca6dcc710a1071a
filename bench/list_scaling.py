"""Whether a List Avatars page costs O(limit), not O(assets held): the mock's list throughput when
the key holds 100,000 assets against 10, under the same wrk load.

Two mocks, alike but for the assets each key holds at start (``--seed-assets``, as if created
before the mock started), run as `make mock` does with their limits and per-request log off. Both
loads ask for the same page: ``limit`` items after a cursor into the middle of the key's list,
reached by paging with the largest limit the spec allows. Both pages hold ``limit`` items, so a
mock that walked or copied the list to serve a page would show it in the ratio. The two loads
alternate in short rounds, so a busy spell on the shared machine slows both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.errors import BenchError
from bench.mock_load import LoadSettings, mock_command
from bench.report import Goal, Row, Section, ratio
from bench.rounds import rotation
from bench.servers import serve
from bench.workload import Workload, workload_for
from bench.wrk import LoadResult, combined, run_wrk
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT, Contract, Operation, load_contract

# The operation and the paging names its description documents (the page's `items` and
# `next_cursor`, the `cursor` and `limit` query parameters).
OPERATION_ID = "listAvatars"
CURSOR, LIMIT, ITEMS, NEXT_CURSOR = "cursor", "limit", "items", "next_cursor"
FEW_ASSETS = 10
MANY_ASSETS = 100_000
PAGE_SIZE = 5
GOAL_RATIO = 0.8
WARMUP_S = 3.0
ROUNDS = 5


@dataclass(frozen=True)
class ScalingResult:
    few: LoadResult
    many: LoadResult
    few_assets: int = FEW_ASSETS
    many_assets: int = MANY_ASSETS
    page_size: int = PAGE_SIZE

    @property
    def ratio(self) -> float | None:
        return ratio(self.many.requests_per_s, self.few.requests_per_s)


def max_limit(operation: Operation) -> int:
    for parameter in operation.parameters_in("query"):
        if parameter.name == LIMIT:
            return int(parameter.schema.get("maximum", PAGE_SIZE))
    raise BenchError(f"{operation.operation_id} has no {LIMIT!r} query parameter")


def _page(client: httpx.Client, operation: Operation, params: dict[str, Any]) -> dict[str, Any]:
    response = client.request(operation.method, operation.path, params=params)
    try:
        envelope = response.json()
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict) or envelope.get("code") != operation.success.value:
        raise BenchError(f"{operation.operation_id} {params}: unexpected answer {response.text[:200]!r}")
    data = envelope.get("data")
    return data if isinstance(data, dict) else {}


def cursor_at(base_url: str, operation: Operation, key: str, position: int) -> str:
    """The cursor the mock issues after the first ``position`` assets of ``key``, got by paging."""
    headers = {"Authorization": f"Bearer {key}"}
    step, seen, cursor = max_limit(operation), 0, None
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        while seen < position:
            params: dict[str, Any] = {LIMIT: min(step, position - seen)}
            if cursor is not None:
                params[CURSOR] = cursor
            data = _page(client, operation, params)
            seen += len(data.get(ITEMS) or [])
            cursor = data.get(NEXT_CURSOR)
            if not cursor:
                raise BenchError(f"the list ended after {seen} assets, before position {position}")
    if cursor is None:
        raise BenchError("a cursor needs a position after at least one asset")
    return str(cursor)


def seeded_mock_command(assets: int) -> Callable[[int], Sequence[str]]:
    """The load test's mock (limits off, log off) whose keys each hold ``assets`` assets at start."""
    command = mock_command(quiet=True)

    def seeded(port: int) -> list[str]:
        return [*command(port), "--seed-assets", str(assets)]

    return seeded


def middle_page_workload(contract: Contract, base_url: str, assets: int) -> Workload:
    operation = contract.operation(OPERATION_ID)
    cursor = cursor_at(base_url, operation, DEFAULT_TEST_KEY, assets // 2)
    query = {CURSOR: cursor, LIMIT: str(PAGE_SIZE)}
    return workload_for(operation, contract, base_url, key=DEFAULT_TEST_KEY, query=query)


def measure(wrk: Path, settings: LoadSettings, contract: Contract | None = None) -> ScalingResult:
    """Both mocks run side by side; their loads alternate in ``ROUNDS`` short runs (in turn going
    first), so a busy spell on the shared machine lands on both."""
    contract = contract or load_contract()
    sizes = (FEW_ASSETS, MANY_ASSETS)
    runs: dict[int, list[LoadResult]] = {size: [] for size in sizes}

    def run(load: Workload, duration_s: float) -> LoadResult:
        return run_wrk(
            wrk, load, duration_s=duration_s, connections=settings.connections, threads=settings.threads
        )

    with contextlib.ExitStack() as stack:
        loads = {}
        for size in sizes:
            server = stack.enter_context(
                serve(f"mock holding {size:,} assets", seeded_mock_command(size), cwd=REPO_ROOT)
            )
            loads[size] = middle_page_workload(contract, server.base_url, size)
        for size in sizes:
            run(loads[size], WARMUP_S)
        for index in range(ROUNDS):
            for size in rotation(sizes, index):
                runs[size].append(run(loads[size], max(1.0, round(settings.duration_s / ROUNDS))))
    for size in sizes:
        result = combined(runs[size])
        if result.nonconformant or result.socket_errors:
            raise BenchError(
                f"the list load against {size:,} assets had non-conformant answers: "
                f"{result.first_nonconformant}"
            )
    return ScalingResult(combined(runs[FEW_ASSETS]), combined(runs[MANY_ASSETS]))


def section(result: ScalingResult) -> Section:
    scaling = result.ratio
    return Section(
        key="list_scaling",
        title="Mock list",
        figures={
            "operation_id": OPERATION_ID,
            "page_size": result.page_size,
            "few_assets": result.few_assets,
            "many_assets": result.many_assets,
            "few": result.few.as_dict(),
            "many": result.many.as_dict(),
            "ratio": None if scaling is None else round(scaling, 3),
        },
        rows=[
            Row(
                f"{OPERATION_ID} requests/s, key holding {result.few_assets:,} assets",
                result.few.requests_per_s,
                "req/s",
            ),
            Row(
                f"{OPERATION_ID} requests/s, key holding {result.many_assets:,} assets",
                result.many.requests_per_s,
                "req/s",
            ),
            Row(
                f"{result.many_assets:,} ÷ {result.few_assets:,} assets requests/s",
                scaling,
                "x",
                Goal(
                    "mock_list_scaling",
                    f"list throughput with {result.many_assets:,} assets ÷ with {result.few_assets:,}",
                    scaling,
                    ">=",
                    GOAL_RATIO,
                    "x",
                ),
            ),
        ],
        notes=[
            f"Both loads ask for {result.page_size} items after a cursor into the middle of the key's list "
            "(a page is O(limit) when the ratio stays near 1). Each mock runs as `make mock` does, plus "
            "`--seed-assets N`, with its limits and per-request log off; after a "
            f"{WARMUP_S:g} s warm-up each, the two loads alternate in {ROUNDS} rounds (the figures sum them)."
        ],
    )
