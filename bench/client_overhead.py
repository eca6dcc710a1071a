"""What the typed client costs per call over a raw httpx POST, with the server taken out of the picture.

Both sides send the same body and headers through the same in-process ``httpx.MockTransport``
(which answers with the spec's success example), and both parse the answer and pick out the asset
id, so the difference is only the client's own work: building the request model, serializing it,
parsing the envelope into typed objects. The two sides alternate in rounds so that a noisy
neighbour slows both, and the figure is the ratio of median per-call times.
"""

from __future__ import annotations

import cProfile
import gc
import json
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from medux_avatar_client import AuthenticatedClient
from medux_avatar_client.api.clone import create_avatar_by_image
from medux_avatar_client.models import CreateAvatarByImageRequest

from bench.errors import BenchError
from bench.report import Goal, Row, Section, ratio
from medux_contract.envelope import build_envelope
from medux_contract.spec import Operation, load_contract

BASE_URL = "http://medux.invalid"
BENCH_KEY = "bench-overhead-key"
GOAL_RATIO = 1.15
# The typed call is the generated function of this operation; its path, examples and codes come
# from the spec model.
OPERATION_ID = "createAvatarByImage"


def measured_operation() -> Operation:
    return load_contract().operation(OPERATION_ID)


def success_example() -> dict[str, Any]:
    """The envelope the mock answers success with: the spec's success example, built by the one
    envelope builder."""
    operation = measured_operation()
    return build_envelope(operation, operation.success.value)


def request_example() -> dict[str, Any]:
    """The spec's first request example (the vendor's official sample)."""
    examples = measured_operation().request_examples
    return dict(next(iter(examples.values())))


def success_transport() -> httpx.MockTransport:
    body = json.dumps(success_example()).encode()
    headers = {"content-type": "application/json"}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=headers)

    return httpx.MockTransport(answer)


@dataclass
class Callers:
    """The two ways to make the call, ready to be timed; close() releases both clients."""

    raw: Callable[[], str]
    typed: Callable[[], str]
    close: Callable[[], None]


def make_callers(transport: httpx.BaseTransport) -> Callers:
    body = request_example()
    operation = measured_operation()
    success_code = operation.success.value
    raw_client = httpx.Client(
        base_url=BASE_URL, transport=transport, headers={"Authorization": f"Bearer {BENCH_KEY}"}
    )
    typed_client = AuthenticatedClient(
        base_url=BASE_URL, token=BENCH_KEY, httpx_args={"transport": transport}
    )

    def raw() -> str:
        envelope = raw_client.request(operation.method, operation.path, json=dict(body)).json()
        if envelope.get("code") != success_code:
            raise BenchError(f"raw call: unexpected code {envelope.get('code')!r}")
        return str(envelope["data"]["asset"]["avatar_asset_id"])

    def typed() -> str:
        # The raise-or-return call style: the success envelope, or a typed error for any other code.
        envelope = create_avatar_by_image.sync(client=typed_client, body=CreateAvatarByImageRequest(**body))
        if envelope is None or envelope.code != success_code:
            raise BenchError(f"typed call: unexpected answer {envelope!r}")
        return str(envelope.data.asset.avatar_asset_id)  # typed: every success carries the asset

    def close() -> None:
        raw_client.close()
        typed_client.get_httpx_client().close()

    return Callers(raw=raw, typed=typed, close=close)


def time_calls(call: Callable[[], object], count: int) -> list[int]:
    """Nanoseconds of each of ``count`` calls of ``call``."""
    clock = time.perf_counter_ns
    samples = []
    for _ in range(count):
        started = clock()
        call()
        samples.append(clock() - started)
    return samples


@dataclass(frozen=True)
class Rounds:
    """Samples of both sides (nanoseconds) and each round's typed ÷ raw median ratio."""

    raw: list[int]
    typed: list[int]
    ratios: tuple[float, ...]


def alternating_rounds(
    raw: Callable[[], object], typed: Callable[[], object], rounds: int, per_round: int
) -> Rounds:
    """Time both sides in ``rounds`` rounds of ``per_round`` calls each."""
    raw_samples: list[int] = []
    typed_samples: list[int] = []
    ratios = []
    gc.collect()
    for index in range(rounds):
        # Alternate which side goes first so a slow spell does not always land on the same one.
        order = (("raw", raw), ("typed", typed))
        if index % 2:
            order = order[::-1]
        medians: dict[str, float] = {}
        for side, call in order:
            samples = time_calls(call, per_round)
            (raw_samples if side == "raw" else typed_samples).extend(samples)
            medians[side] = statistics.median(samples)
        ratios.append(medians["typed"] / medians["raw"])
    return Rounds(raw_samples, typed_samples, tuple(round(value, 3) for value in ratios))


@dataclass(frozen=True)
class OverheadResult:
    raw_median_us: float
    typed_median_us: float
    calls_per_side: int
    round_ratios: tuple[float, ...]

    @property
    def ratio(self) -> float:
        return self.typed_median_us / self.raw_median_us


def measure_overhead(rounds: int = 20, calls_per_round: int = 500, warmup: int = 300) -> OverheadResult:
    callers = make_callers(success_transport())
    try:
        expected = success_example()["data"]["asset"]["avatar_asset_id"]
        answers = {callers.raw(), callers.typed()}
        if answers != {expected}:
            raise BenchError(f"the raw and typed calls disagree on the answer: {answers} vs {expected!r}")
        time_calls(callers.raw, warmup)
        time_calls(callers.typed, warmup)
        timed = alternating_rounds(callers.raw, callers.typed, rounds, calls_per_round)
    finally:
        callers.close()
    return OverheadResult(
        raw_median_us=statistics.median(timed.raw) / 1000,
        typed_median_us=statistics.median(timed.typed) / 1000,
        calls_per_side=len(timed.raw),
        round_ratios=timed.ratios,
    )


@dataclass(frozen=True)
class Cost:
    """One part of the typed call, as cProfile sees it (profiling inflates times; shares hold)."""

    where: str
    us_per_call: float
    share: float


@dataclass(frozen=True)
class OverheadProfile:
    typed_us_per_call: float
    raw_us_per_call: float
    costs: tuple[Cost, ...]
    json_decodes_per_call: tuple[float, float]  # (typed, raw)
    httpx_request_us: tuple[float, float]  # httpx's build_request + send per call (typed, raw)

    def lines(self, unit: str = "call") -> list[str]:
        typed_json, raw_json = self.json_decodes_per_call
        typed_httpx, raw_httpx = self.httpx_request_us
        parts = ", ".join(f"{cost.where} {cost.share:.0%}" for cost in self.costs)
        return [
            f"Profile (cProfile; {self.typed_us_per_call:,.0f} vs {self.raw_us_per_call:,.0f} µs per {unit} "
            f"under the profiler): the typed {unit}'s own work outside httpx: {parts} of the {unit}.",
            f"JSON decodes of the body per {unit}: {typed_json:g} typed vs {raw_json:g} raw; httpx's "
            f"build_request + send: {typed_httpx:,.0f} vs {raw_httpx:,.0f} µs per {unit}.",
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "typed_us_per_call_profiled": round(self.typed_us_per_call, 1),
            "raw_us_per_call_profiled": round(self.raw_us_per_call, 1),
            "costs": [
                {
                    "where": cost.where,
                    "us_per_call": round(cost.us_per_call, 1),
                    "share": round(cost.share, 3),
                }
                for cost in self.costs
            ],
            "json_decodes_per_call": {
                "typed": self.json_decodes_per_call[0],
                "raw": self.json_decodes_per_call[1],
            },
            "httpx_request_us": {
                "typed": round(self.httpx_request_us[0], 1),
                "raw": round(self.httpx_request_us[1], 1),
            },
        }


def _profile(call: Callable[[], object], calls: int) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    return pstats.Stats(profiler)


def _entries(stats: pstats.Stats) -> dict[tuple[str, int, str], tuple[int, float, dict[Any, Any]]]:
    raw = stats.stats  # type: ignore[attr-defined]
    return {func: (nc, ct, callers) for func, (_cc, nc, _tt, ct, callers) in raw.items()}


def _per_call(
    entries: dict[Any, Any], match: Callable[[tuple[str, int, str]], bool], calls: int
) -> tuple[float, float]:
    """(calls, cumulative µs) per typed call of the functions ``match`` selects (summed)."""
    found = [value for func, value in entries.items() if match(func)]
    return sum(nc for nc, _, _ in found) / calls, sum(ct for _, ct, _ in found) * 1e6 / calls


def profile_overhead(calls: int = 3000) -> OverheadProfile:
    """Where the typed call spends the time a raw httpx call does not (see :func:`profile_sides`)."""
    callers = make_callers(success_transport())
    try:
        return profile_sides(callers.raw, callers.typed, calls, warmup=300)
    finally:
        callers.close()


def profile_sides(
    raw_call: Callable[[], object], typed_call: Callable[[], object], calls: int, warmup: int
) -> OverheadProfile:
    """Where ``typed_call`` spends the time ``raw_call`` does not: the client's own frames directly
    under the call's entry points, JSON decodes, and httpx's request building."""
    for _ in range(warmup):
        raw_call()
        typed_call()
    typed = _entries(_profile(typed_call, calls))
    raw = _entries(_profile(raw_call, calls))

    def is_request(func: tuple[str, int, str]) -> bool:
        # What both sides pay httpx for: building the request and sending it (httpx's
        # Client.request is just these two; the client may call them itself, with a deadline).
        return func[0].endswith("httpx/_client.py") and func[2] in ("build_request", "send")

    def is_json_decode(func: tuple[str, int, str]) -> bool:
        return func[0].endswith("json/__init__.py") and func[2] == "loads"

    request_ct = sum(ct for func, (_, ct, _) in typed.items() if is_request(func))
    client = {func: value for func, value in typed.items() if "medux_avatar_client" in func[0]}
    # Frames that enclose httpx's request (sync, sync_detailed, the retry loop) are the call itself;
    # the costs are the client frames they call directly, besides the request.
    enclosing = {func for func, (_, ct, _) in client.items() if ct >= request_ct}
    # The outermost frame of each profile is the bench's own closure: the whole call as timed.
    typed_total = max(ct for _, ct, _ in typed.values()) * 1e6 / calls
    outer = [
        (func, ct)
        for func, (_, ct, func_callers) in client.items()
        if func not in enclosing and any(caller in enclosing for caller in func_callers)
    ]
    costs = tuple(
        Cost(f"{Path(func[0]).stem}.{func[2]}", ct * 1e6 / calls, ct * 1e6 / calls / typed_total)
        for func, ct in sorted(outer, key=lambda item: -item[1])[:6]
        if ct * 1e6 / calls >= typed_total / 200
    )
    raw_total = max(ct for _, ct, _ in raw.values()) * 1e6 / calls
    return OverheadProfile(
        typed_us_per_call=typed_total,
        raw_us_per_call=raw_total,
        costs=costs,
        json_decodes_per_call=(
            _per_call(typed, is_json_decode, calls)[0],
            _per_call(raw, is_json_decode, calls)[0],
        ),
        httpx_request_us=(_per_call(typed, is_request, calls)[1], _per_call(raw, is_request, calls)[1]),
    )


def section(result: OverheadResult, profile: OverheadProfile | None = None) -> Section:
    overhead_ratio = ratio(result.typed_median_us, result.raw_median_us)
    return Section(
        key="client_overhead",
        title="Client",
        figures={
            "raw_httpx_median_us": round(result.raw_median_us, 2),
            "typed_client_median_us": round(result.typed_median_us, 2),
            "ratio": None if overhead_ratio is None else round(overhead_ratio, 3),
            "calls_per_side": result.calls_per_side,
            "round_ratio_min": min(result.round_ratios),
            "round_ratio_max": max(result.round_ratios),
            "round_ratios": list(result.round_ratios),
            "profile": None if profile is None else profile.as_dict(),
        },
        rows=[
            Row("raw httpx POST + json(), median per call", result.raw_median_us, "µs"),
            Row("typed client call, median per call", result.typed_median_us, "µs"),
            Row(
                "typed ÷ raw median per-call time",
                overhead_ratio,
                "x",
                Goal(
                    "client_overhead_ratio", "typed client ÷ raw httpx", overhead_ratio, "<=", GOAL_RATIO, "x"
                ),
            ),
        ],
        notes=[
            "Same in-process httpx.MockTransport answering the spec's success example on both sides; "
            f"{result.calls_per_side} calls per side in alternating rounds; "
            f"per-round ratios ranged {min(result.round_ratios):.2f}-{max(result.round_ratios):.2f}.",
            *(profile.lines() if profile else []),
        ],
    )
