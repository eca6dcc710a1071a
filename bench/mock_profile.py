"""Where one mock request's time goes, for the table's notes when a throughput goal is missed.

The mock app and the bare-ASGI floor app (:mod:`bench.floor`) are driven in-process, through ASGI
with no server and no socket, by the operation's load request: the time the mock spends beyond the
floor is its own work (the server stack, the same for both, is left out). Each side's mean time per
request is taken without the profiler; then cProfile names the mock's costliest functions by their
own time per request (the profiler slows every call alike, so only the shares are read from it).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Scope

from bench import floor
from bench.workload import Workload, workload_for
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.spec import Contract, Operation

REQUESTS = 5000
WARMUP_REQUESTS = 500
TOP = 8


@dataclass(frozen=True)
class Cost:
    function: str
    own_us: float  # own time per request, scaled to the unprofiled total
    share: float  # of the mock's profiled time per request


@dataclass(frozen=True)
class RequestProfile:
    operation_id: str
    mock_us: float
    floor_us: float
    costs: tuple[Cost, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "operation_id": self.operation_id,
            "mock_us_per_request": round(self.mock_us, 2),
            "floor_us_per_request": round(self.floor_us, 2),
            "costs": [
                {"function": c.function, "own_us": round(c.own_us, 2), "share": round(c.share, 3)}
                for c in self.costs
            ],
        }

    def lines(self) -> list[str]:
        costs = ", ".join(f"{c.function} {c.own_us:.1f} µs ({c.share:.0%})" for c in self.costs)
        return [
            f"Profile of {self.operation_id} (cProfile, in-process ASGI, no server): the mock's app "
            f"takes {self.mock_us:.1f} µs a request, the floor's {self.floor_us:.1f} µs; own time of "
            f"the costliest functions: {costs}."
        ]


def asgi_request(load: Workload) -> tuple[Scope, Message]:
    """The ASGI scope and body message of the workload's request, as uvicorn would hand them over."""
    path, _, query = load.target.partition("?")
    body = (load.body or "").encode()
    headers = [(b"host", b"127.0.0.1")] + [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in load.headers().items()
    ]
    if load.body is not None:
        headers.append((b"content-length", str(len(body)).encode()))
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": load.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 50000),
    }
    return scope, {"type": "http.request", "body": body, "more_body": False}


async def _drive(app: ASGIApp, load: Workload, requests: int) -> float:
    """Mean seconds per request of ``app`` answering ``load``'s request ``requests`` times."""
    scope, message = asgi_request(load)

    async def receive() -> Message:
        return message

    statuses = []

    async def send(event: Message) -> None:
        if event["type"] == "http.response.start":
            statuses.append(event["status"])

    started = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope), receive, send)
    elapsed = time.perf_counter() - started
    if statuses.count(200) != len(statuses):
        raise RuntimeError(f"{load.operation_id}: the app answered {sorted(set(statuses))} in a profile run")
    return elapsed / requests


def _name(func: tuple[str, int, str]) -> str:
    filename, _, function = func
    return function if filename == "~" else f"{Path(filename).stem}.{function}"


def profile_operations(
    operations: Sequence[Operation], contract: Contract, requests: int = REQUESTS
) -> tuple[RequestProfile, ...]:
    """The mock's per-request time against the floor's for each of ``operations``, and where it goes.

    One mock serves every operation of the contract in the spec's order first, as in the load test
    (so a list returns the full pages of the assets the create made), then each operation is timed."""
    mock: ASGIApp = create_app(
        MockSettings(credits=None, asset_limit=None, rate_limit_burst=None, spec=contract)
    )
    bare: ASGIApp = floor.FloorApp(floor.canned_answers(contract))

    def load_of(operation: Operation) -> Workload:
        return workload_for(operation, contract, "http://127.0.0.1", key=DEFAULT_TEST_KEY)

    async def measure() -> tuple[RequestProfile, ...]:
        for operation in contract.operations:
            await _drive(mock, load_of(operation), WARMUP_REQUESTS)
            await _drive(bare, load_of(operation), WARMUP_REQUESTS)
        profiles = []
        for operation in operations:
            load = load_of(operation)
            mock_s = await _drive(mock, load, requests)
            floor_s = await _drive(bare, load, requests)
            profiler = cProfile.Profile()
            profiler.enable()
            await _drive(mock, load, requests)
            profiler.disable()
            profiles.append(_profile(operation, mock_s, floor_s, pstats.Stats(profiler)))
        return tuple(profiles)

    return asyncio.run(measure())


def _profile(operation: Operation, mock_s: float, floor_s: float, stats: pstats.Stats) -> RequestProfile:
    entries: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values()) or 1.0
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])
    costs = tuple(
        Cost(_name(func), entry[2] / total * mock_s * 1e6, entry[2] / total)
        for func, entry in ranked
        if not func[0].endswith("mock_profile.py")
    )[:TOP]
    return RequestProfile(operation.operation_id, mock_s * 1e6, floor_s * 1e6, costs)
