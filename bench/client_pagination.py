"""What the client's automatic pagination costs over a raw httpx loop that follows ``next_cursor``.

Both sides walk the same 10,000 avatars, 100 to a page (the largest ``limit`` the spec allows),
through the same in-process ``httpx.MockTransport``, which answers each cursor with a page built by
the one envelope builder; both collect every asset id. The raw side decodes each page and follows
``next_cursor`` by hand; the typed side iterates ``pagination.iter_list_avatars``, which parses each
page into typed models and guards against a repeated cursor; a third side is the raw loop given the
absolute URL the typed client joins once. Walks take turns in rounds so a noisy neighbour slows all,
and the figures are ratios of median walk times.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from medux_avatar_client import AuthenticatedClient, pagination
from medux_avatar_client.urls import join

from bench.client_overhead import (
    PREBUILT_URL_NOTE,
    OverheadProfile,
    prebuilt_url_rows,
    profile_sides,
    rotating_rounds,
    time_calls,
)
from bench.errors import BenchError
from bench.report import Goal, Row, Section, ratio
from medux_contract.envelope import build_envelope
from medux_contract.spec import Operation, load_contract

BASE_URL = "http://medux.invalid"
BENCH_KEY = "bench-pagination-key"
GOAL_RATIO = 1.15
# The paged operation and the paging names its description documents.
OPERATION_ID = "listAvatars"
CURSOR, LIMIT, ITEMS, NEXT_CURSOR = "cursor", "limit", "items", "next_cursor"
ITEM_COUNT = 10_000
PAGE_SIZE = 100


def measured_operation() -> Operation:
    return load_contract().operation(OPERATION_ID)


def asset_ids(count: int = ITEM_COUNT) -> list[str]:
    return [f"avatar_{index:06d}" for index in range(count)]


def pages_transport(count: int = ITEM_COUNT, page_size: int = PAGE_SIZE) -> httpx.MockTransport:
    """Answers the paged operation: the first page without a cursor, the next one for each cursor
    it issued (``page-<n>``), the last page without ``next_cursor``."""
    operation = measured_operation()
    ids = asset_ids(count)
    bodies: dict[str | None, bytes] = {}
    for start in range(0, count, page_size):
        data: dict[str, object] = {ITEMS: [{"avatar_asset_id": i} for i in ids[start : start + page_size]]}
        if start + page_size < count:
            data[NEXT_CURSOR] = f"page-{start + page_size}"
        cursor = None if start == 0 else f"page-{start}"
        bodies[cursor] = json.dumps(build_envelope(operation, operation.success.value, data)).encode()
    headers = {"content-type": "application/json"}
    path = operation.path

    def answer(request: httpx.Request) -> httpx.Response:
        body = bodies.get(request.url.params.get(CURSOR)) if request.url.path == path else None
        if body is None:
            return httpx.Response(404, json={"unexpected": str(request.url)})
        return httpx.Response(200, content=body, headers=headers)

    return httpx.MockTransport(answer)


@dataclass
class Walkers:
    """The ways to collect every asset id, ready to be timed; close() releases the clients.

    ``raw_prebuilt_url`` is the raw loop given the operation's absolute URL, joined once as the typed
    client joins it (``urls.py``).
    """

    raw: Callable[[], list[str]]
    typed: Callable[[], list[object]]
    close: Callable[[], None]
    raw_prebuilt_url: Callable[[], list[str]]


def make_walkers(transport: httpx.BaseTransport, page_size: int = PAGE_SIZE) -> Walkers:
    operation = measured_operation()
    success_code = operation.success.value
    raw_client = httpx.Client(
        base_url=BASE_URL, transport=transport, headers={"Authorization": f"Bearer {BENCH_KEY}"}
    )
    typed_client = AuthenticatedClient(
        base_url=BASE_URL, token=BENCH_KEY, httpx_args={"transport": transport}
    )

    absolute = join(raw_client.base_url, operation.path)

    def raw_from(url: str | httpx.URL) -> list[str]:
        ids: list[str] = []
        params: dict[str, str | int] = {LIMIT: page_size}
        while True:
            envelope = raw_client.request(operation.method, url, params=params).json()
            if envelope.get("code") != success_code:
                raise BenchError(f"raw walk: unexpected code {envelope.get('code')!r}")
            data = envelope["data"]
            ids.extend(item["avatar_asset_id"] for item in data[ITEMS])
            cursor = data.get(NEXT_CURSOR)
            if not cursor:
                return ids
            params = {LIMIT: page_size, CURSOR: cursor}

    def raw() -> list[str]:
        return raw_from(operation.path)

    def raw_prebuilt_url() -> list[str]:
        return raw_from(absolute)

    def typed() -> list[object]:
        # The ids as the models hold them (str): the raw side converts nothing either.
        return [
            asset.avatar_asset_id
            for asset in pagination.iter_list_avatars(client=typed_client, limit=page_size)
        ]

    def close() -> None:
        raw_client.close()
        typed_client.get_httpx_client().close()

    return Walkers(raw=raw, typed=typed, close=close, raw_prebuilt_url=raw_prebuilt_url)


@dataclass(frozen=True)
class PaginationResult:
    raw_median_ms: float
    typed_median_ms: float
    walks_per_side: int
    round_ratios: tuple[float, ...]
    items: int = ITEM_COUNT
    page_size: int = PAGE_SIZE
    raw_prebuilt_url_median_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.typed_median_ms / self.raw_median_ms


def measure(rounds: int = 10, walks_per_round: int = 5, warmup: int = 3) -> PaginationResult:
    walkers = make_walkers(pages_transport())
    try:
        expected = asset_ids()
        sides: dict[str, Callable[[], list[Any]]] = {
            "raw": walkers.raw,
            "typed": walkers.typed,
            "raw_prebuilt_url": walkers.raw_prebuilt_url,
        }
        if any(walk() != expected for walk in sides.values()):
            raise BenchError("the walks do not all collect every asset once, in order")
        for walk in sides.values():
            time_calls(walk, warmup)
        timed = rotating_rounds(sides, rounds, walks_per_round)
    finally:
        walkers.close()
    return PaginationResult(
        raw_median_ms=timed.median_us("raw") / 1000,
        typed_median_ms=timed.median_us("typed") / 1000,
        walks_per_side=len(timed.raw),
        round_ratios=timed.ratios["typed"],
        raw_prebuilt_url_median_ms=timed.median_us("raw_prebuilt_url") / 1000,
    )


def profile_pagination(walks: int = 20) -> OverheadProfile:
    """Where the typed walk spends the time the raw loop does not (cProfile, per walk)."""
    walkers = make_walkers(pages_transport())
    try:
        return profile_sides(walkers.raw, walkers.typed, walks, warmup=2)
    finally:
        walkers.close()


def section(result: PaginationResult, profile: OverheadProfile | None = None) -> Section:
    pagination_ratio = ratio(result.typed_median_ms, result.raw_median_ms)
    walk = f"{result.items:,} items, {result.page_size} per page"
    return Section(
        key="client_pagination",
        title="Client pagination",
        figures={
            "operation_id": OPERATION_ID,
            "items": result.items,
            "page_size": result.page_size,
            "raw_httpx_median_ms": round(result.raw_median_ms, 3),
            "typed_client_median_ms": round(result.typed_median_ms, 3),
            "ratio": None if pagination_ratio is None else round(pagination_ratio, 3),
            "walks_per_side": result.walks_per_side,
            "round_ratios": list(result.round_ratios),
            "raw_prebuilt_url_median_ms": (
                None
                if result.raw_prebuilt_url_median_ms is None
                else round(result.raw_prebuilt_url_median_ms, 3)
            ),
            "profile": None if profile is None else profile.as_dict(),
        },
        rows=[
            Row(f"raw httpx loop following next_cursor ({walk}), median walk", result.raw_median_ms, "ms"),
            Row(f"pagination.iter_list_avatars ({walk}), median walk", result.typed_median_ms, "ms"),
            Row(
                "typed ÷ raw median walk time",
                pagination_ratio,
                "x",
                Goal(
                    "client_pagination_ratio",
                    "typed pagination ÷ raw httpx cursor loop",
                    pagination_ratio,
                    "<=",
                    GOAL_RATIO,
                    "x",
                ),
            ),
            *prebuilt_url_rows(
                result.typed_median_ms, result.raw_prebuilt_url_median_ms, "cursor loop", "ms"
            ),
        ],
        notes=[
            "Same in-process httpx.MockTransport on every side, answering each cursor with a page built "
            f"by the envelope builder; {result.walks_per_side} walks per side in rounds that rotate which "
            f"side goes first; per-round typed ÷ raw ratios ranged {min(result.round_ratios):.2f}"
            f"-{max(result.round_ratios):.2f}.",
            *([PREBUILT_URL_NOTE] if result.raw_prebuilt_url_median_ms is not None else []),
            *(profile.lines("walk") if profile else []),
        ],
    )
