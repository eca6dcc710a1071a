"""What the typed client costs per call over a raw httpx POST, with the server taken out of the picture.

Both sides send the same body and headers through the same in-process ``httpx.MockTransport``
(which answers with the spec's success example), and both parse the answer and pick out the asset
id. The typed side builds and serializes the request model and parses the envelope into typed
objects, but skips httpx's per-request URL join (it joins each operation's URL once, ``urls.py``),
so a third side, the raw call given that prebuilt URL, shows the typed work alone. The sides take
turns in rounds so that a noisy neighbour slows all, and the figures are ratios of median per-call
times."""

from __future__ import annotations

import cProfile
import gc
import json
import pstats
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from medux_avatar_client import AuthenticatedClient
from medux_avatar_client.api.clone import create_avatar_by_image
from medux_avatar_client.models import CreateAvatarByImageRequest
from medux_avatar_client.urls import join

from bench.errors import BenchError
from bench.report import Goal, Row, Section, ratio
from bench.rounds import rotation
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
    """The ways to make the call, ready to be timed; close() releases the clients.

    ``raw_prebuilt_url`` is the raw call given the operation's absolute URL, joined once, as the typed
    client joins it (``urls.py``); against it, the typed call's ratio is its typed work alone.
    """

    raw: Callable[[], str]
    typed: Callable[[], str]
    close: Callable[[], None]
    raw_prebuilt_url: Callable[[], str]


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

    absolute = join(raw_client.base_url, operation.path)

    def raw_to(url: str | httpx.URL) -> str:
        envelope = raw_client.request(operation.method, url, json=dict(body)).json()
        if envelope.get("code") != success_code:
            raise BenchError(f"raw call: unexpected code {envelope.get('code')!r}")
        return str(envelope["data"]["asset"]["avatar_asset_id"])

    def raw() -> str:
        return raw_to(operation.path)

    def raw_prebuilt_url() -> str:
        return raw_to(absolute)

    def typed() -> str:
        # The raise-or-return call style: the success envelope, or a typed error for any other code.
        envelope = create_avatar_by_image.sync(client=typed_client, body=CreateAvatarByImageRequest(**body))
        if envelope is None or envelope.code != success_code:
            raise BenchError(f"typed call: unexpected answer {envelope!r}")
        return str(envelope.data.asset.avatar_asset_id)  # typed: every success carries the asset

    def close() -> None:
        raw_client.close()
        typed_client.get_httpx_client().close()

    return Callers(raw=raw, typed=typed, close=close, raw_prebuilt_url=raw_prebuilt_url)


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
    """Samples of every side (nanoseconds) and, per side, each round's median ÷ the baseline's."""

    samples: dict[str, list[int]]
    ratios: dict[str, tuple[float, ...]]

    def median_us(self, side: str) -> float:
        return statistics.median(self.samples[side]) / 1000

    @property
    def raw(self) -> list[int]:
        return self.samples["raw"]


def rotating_rounds(sides: Mapping[str, Callable[[], object]], rounds: int, per_round: int) -> Rounds:
    """Time every side in ``rounds`` rounds of ``per_round`` calls each; the first side is the baseline.

    Each round rotates which side goes first, so that a slow spell of a shared machine does not
    always land on the same side.
    """
    names = list(sides)
    baseline = names[0]
    samples: dict[str, list[int]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    for index in range(rounds):
        medians: dict[str, float] = {}
        for name in rotation(names, index):
            timed = time_calls(sides[name], per_round)
            samples[name].extend(timed)
            medians[name] = statistics.median(timed)
        for name in names:
            ratios[name].append(round(medians[name] / medians[baseline], 3))
    return Rounds(samples, {name: tuple(values) for name, values in ratios.items()})


@dataclass(frozen=True)
class OverheadResult:
    raw_median_us: float
    typed_median_us: float
    calls_per_side: int
    round_ratios: tuple[float, ...]
    raw_prebuilt_url_median_us: float | None = None

    @property
    def ratio(self) -> float:
        return self.typed_median_us / self.raw_median_us


def measure_overhead(rounds: int = 20, calls_per_round: int = 500, warmup: int = 300) -> OverheadResult:
    callers = make_callers(success_transport())
    try:
        expected = success_example()["data"]["asset"]["avatar_asset_id"]
        sides = {"raw": callers.raw, "typed": callers.typed, "raw_prebuilt_url": callers.raw_prebuilt_url}
        answers = {side: call() for side, call in sides.items()}
        if set(answers.values()) != {expected}:
            raise BenchError(f"the calls disagree on the answer: {answers} vs {expected!r}")
        for call in sides.values():
            time_calls(call, warmup)
        timed = rotating_rounds(sides, rounds, calls_per_round)
    finally:
        callers.close()
    return OverheadResult(
        raw_median_us=timed.median_us("raw"),
        typed_median_us=timed.median_us("typed"),
        calls_per_side=len(timed.raw),
        round_ratios=timed.ratios["typed"],
        raw_prebuilt_url_median_us=timed.median_us("raw_prebuilt_url"),
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


def prebuilt_url_rows(typed_us: float, prebuilt_us: float | None, what: str, unit: str) -> list[Row]:
    """The raw side again, given the absolute URL the client joins once: against it the typed side's
    ratio is its typed work alone (models, retries, outcome), without the URL join it saves."""
    if prebuilt_us is None:
        return []
    return [
        Row(f"raw httpx {what} with the URL prebuilt, median", prebuilt_us, unit),
        Row("typed ÷ raw with the URL prebuilt (the typed work alone)", ratio(typed_us, prebuilt_us), "x"),
    ]


PREBUILT_URL_NOTE = (
    "The typed client joins each operation's URL to its base URL once (urls.py) where httpx, given a "
    "relative URL, parses and joins it on every request; the 'URL prebuilt' rows give the raw side that "
    "saving too, so their ratio is the cost of the typed work alone."
)


def section(result: OverheadResult, profile: OverheadProfile | None = None) -> Section:
    overhead_ratio = ratio(result.typed_median_us, result.raw_median_us)
    prebuilt = result.raw_prebuilt_url_median_us
    typed_work_ratio = None if prebuilt is None else ratio(result.typed_median_us, prebuilt)
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
            "raw_prebuilt_url_median_us": None if prebuilt is None else round(prebuilt, 2),
            "typed_work_ratio": None if typed_work_ratio is None else round(typed_work_ratio, 3),
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
            *prebuilt_url_rows(result.typed_median_us, prebuilt, "POST + json()", "µs"),
        ],
        notes=[
            "Same in-process httpx.MockTransport answering the spec's success example on every side; "
            f"{result.calls_per_side} calls per side in rounds that rotate which side goes first; "
            f"per-round typed ÷ raw ratios ranged {min(result.round_ratios):.2f}"
            f"-{max(result.round_ratios):.2f}.",
            *([PREBUILT_URL_NOTE] if prebuilt is not None else []),
            *(profile.lines() if profile else []),
        ],
    )
