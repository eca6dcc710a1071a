"""What the resource-style client (``Medux(...).clone.create_avatar_by_image(...)``) costs per call.

Three sides make the same successful call through the same in-process ``httpx.MockTransport`` as
``client_overhead``: a raw httpx POST + ``json()``, the module function (the lower layer) and the
facade method, which builds the request model from keyword arguments and calls that module
function. They alternate in rounds (each round rotates who goes first), and each typed side is
reported as the ratio of its median per-call time to the raw median of the same run: the facade
adds nothing measurable when its ratio equals the module function's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from medux_avatar_client import Medux

from bench.client_overhead import (
    BASE_URL,
    BENCH_KEY,
    make_callers,
    request_example,
    rotating_rounds,
    success_example,
    success_transport,
    time_calls,
)
from bench.errors import BenchError
from bench.report import Goal, Row, Section, ratio

GOAL_RATIO = 1.08
SIDES = ("raw", "module", "facade")


@dataclass(frozen=True)
class FacadeResult:
    medians_us: dict[str, float]
    calls_per_side: int

    def ratio_of(self, side: str) -> float | None:
        return ratio(self.medians_us[side], self.medians_us["raw"])


def measure(rounds: int = 21, calls_per_round: int = 400, warmup: int = 300) -> FacadeResult:
    transport = success_transport()
    callers = make_callers(transport)
    body = request_example()
    facade_client = Medux(BENCH_KEY, base_url=BASE_URL, httpx_args={"transport": transport})

    def facade() -> str:
        return str(facade_client.clone.create_avatar_by_image(**body).data.asset.avatar_asset_id)

    calls: dict[str, Callable[[], str]] = {"raw": callers.raw, "module": callers.typed, "facade": facade}
    try:
        expected = success_example()["data"]["asset"]["avatar_asset_id"]
        answers = {side: call() for side, call in calls.items()}
        if set(answers.values()) != {expected}:
            raise BenchError(f"the three calls disagree on the answer: {answers} vs {expected!r}")
        for call in calls.values():
            time_calls(call, warmup)
        timed = rotating_rounds(calls, rounds, calls_per_round)
    finally:
        callers.close()
        facade_client.close()
    return FacadeResult(
        medians_us={side: timed.median_us(side) for side in SIDES},
        calls_per_side=len(timed.raw),
    )


def section(result: FacadeResult) -> Section:
    module_ratio, facade_ratio = result.ratio_of("module"), result.ratio_of("facade")
    return Section(
        key="client_facade",
        title="Client facade",
        figures={
            "raw_httpx_median_us": round(result.medians_us["raw"], 2),
            "module_function_median_us": round(result.medians_us["module"], 2),
            "facade_median_us": round(result.medians_us["facade"], 2),
            "module_ratio": None if module_ratio is None else round(module_ratio, 3),
            "facade_ratio": None if facade_ratio is None else round(facade_ratio, 3),
            "calls_per_side": result.calls_per_side,
        },
        rows=[
            Row("raw httpx POST + json(), median per call", result.medians_us["raw"], "µs"),
            Row("module function call, median per call", result.medians_us["module"], "µs"),
            Row("Medux().clone method call, median per call", result.medians_us["facade"], "µs"),
            Row(
                "module function ÷ raw median per-call time",
                module_ratio,
                "x",
                Goal(
                    "client_module_ratio", "module function ÷ raw httpx", module_ratio, "<=", GOAL_RATIO, "x"
                ),
            ),
            Row(
                "facade ÷ raw median per-call time",
                facade_ratio,
                "x",
                Goal("client_facade_ratio", "facade method ÷ raw httpx", facade_ratio, "<=", GOAL_RATIO, "x"),
            ),
        ],
        notes=[
            "Same in-process httpx.MockTransport answering the spec's success example on all three sides; "
            f"{result.calls_per_side} calls per side in rounds that rotate which side goes first.",
        ],
    )
