"""The mock's knobs, with the defaults the README documents.

Everything a test or `make mock` may want to vary lives in one frozen :class:`MockSettings`, so a
running mock's behaviour is fully described by the value it was created with.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from medux_contract.spec import Contract

Plan = Literal["free", "paid"]
StatusMode = Literal["all-200", "mapped"]

PLANS: tuple[Plan, ...] = get_args(Plan)
STATUS_MODES: tuple[StatusMode, ...] = get_args(StatusMode)

DEFAULT_TEST_KEY = "sk_test_medux_mock"
"""A free-plan key the mock accepts by default (documented in the README)."""
DEFAULT_PAID_TEST_KEY = "sk_test_medux_mock_paid"
"""A paid-plan key the mock accepts by default (documented in the README)."""

DEFAULT_CATALOG_PATH = Path(__file__).resolve().parent / "fixtures" / "catalog.json"


def _default_api_keys() -> dict[str, Plan]:
    return {DEFAULT_TEST_KEY: "free", DEFAULT_PAID_TEST_KEY: "paid"}


@dataclass(frozen=True)
class MockSettings:
    """How a mock instance behaves. ``None`` for a limit means "no limit".

    api_keys: accepted keys and the plan of each (default: :data:`DEFAULT_TEST_KEY` on the free
        plan, :data:`DEFAULT_PAID_TEST_KEY` on the paid plan). Kept out of ``repr``.
    status_mode: ``"all-200"`` (every envelope with HTTP 200, as the vendor shows a single
        response) or ``"mapped"`` (each code's ``mock_http_status`` from the code table).
    credits: credits per key at start; each successful clone costs one (then code 1401).
    asset_limit: assets a key may create (then code 1406).
    rate_limit_burst / rate_limit_per_second: token bucket per key (then code 16); a burst of
        ``None`` turns rate limiting off.
    max_body_bytes: the largest request body read; larger bodies get code 12 unread.
    catalog_path: JSON fixture of known files (id -> category) and models (id -> plan).
    extra_files / extra_models: merged over the catalog (tests add files without a fixture).
    clock: monotonic seconds, injectable so tests can move time for the rate limit.
    spec: the contract to serve: ``None`` for ``openapi.yaml``, the path of another spec file, or a
        :class:`~medux_contract.spec.Contract` (every operation of it gets a route).
    seed_assets: avatar assets each key holds at start (and after ``reset()``), oldest first, as if
        created before the mock started; they count toward ``asset_limit``.

    What a peer may hold when the mock is served over HTTP (:mod:`~medux_contract.mock.server`):
    header_timeout: seconds from the connection (or the first byte of a request) to the end of its
        headers; then 408 and close (nginx ``client_header_timeout``, 60 s there).
    body_timeout: seconds from the end of the headers to the end of the body; then 408 and close
        (nginx ``client_body_timeout`` times each read; the mock bounds the whole body).
    keep_alive_timeout: seconds an idle keep-alive connection is kept (uvicorn's default, 5 s).
    max_header_bytes: request line and header section, in bytes; then 431 and close (16 KiB, as
        Node.js ``maxHeaderSize`` and uvicorn/h11's ``h11_max_incomplete_event_size``).
    max_header_count: header fields per request; then 431 and close (Apache ``LimitRequestFields``).
    max_connections: open connections; one more evicts the peer that has waited longest on its
        own request (nginx drains idle connections so), so a normal client is still served. Capped
        at start to the descriptor limit minus a reserve.
    """

    api_keys: Mapping[str, Plan] = field(default_factory=_default_api_keys, repr=False)
    status_mode: StatusMode = "all-200"
    credits: int | None = 100
    asset_limit: int | None = 50
    rate_limit_burst: int | None = 20
    rate_limit_per_second: float = 10.0
    max_body_bytes: int = 64 * 1024
    catalog_path: Path = DEFAULT_CATALOG_PATH
    extra_files: Mapping[str, str] = field(default_factory=dict)
    extra_models: Mapping[str, Plan] = field(default_factory=dict)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    spec: Path | Contract | None = field(default=None, repr=False)
    seed_assets: int = 0
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    max_header_bytes: int = 16 * 1024
    max_header_count: int = 100
    max_connections: int = 1024

    def __post_init__(self) -> None:
        problems = [*self._key_problems(), *self._limit_problems()]
        if self.status_mode not in STATUS_MODES:
            problems.append(f"status_mode must be one of {STATUS_MODES}, got {self.status_mode!r}")
        for model, plan in self.extra_models.items():
            if plan not in PLANS:
                problems.append(f"extra_models[{model!r}]: plan must be one of {PLANS}, got {plan!r}")
        if problems:
            raise ValueError("invalid MockSettings: " + "; ".join(problems))

    def _key_problems(self) -> list[str]:
        problems = [] if self.api_keys else ["api_keys: at least one key is needed"]
        for index, (key, plan) in enumerate(self.api_keys.items()):
            # The key itself never goes into a message: name it by position.
            if not isinstance(key, str) or not key or any(c.isspace() for c in key):
                problems.append(f"api_keys[{index}]: a key must be a non-empty string without whitespace")
            if plan not in PLANS:
                problems.append(f"api_keys[{index}]: plan must be one of {PLANS}, got {plan!r}")
        return problems

    def _limit_problems(self) -> list[str]:
        problems = []
        seed = self.seed_assets
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            problems.append(f"seed_assets must be a non-negative integer, got {seed!r}")
        for name in ("credits", "asset_limit"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                problems.append(f"{name} must be a non-negative integer or None, got {value!r}")
        burst = self.rate_limit_burst
        if burst is not None and (isinstance(burst, bool) or not isinstance(burst, int) or burst < 1):
            problems.append(f"rate_limit_burst must be a positive integer or None, got {burst!r}")
        if not self.rate_limit_per_second > 0:
            problems.append(f"rate_limit_per_second must be positive, got {self.rate_limit_per_second!r}")
        for name in ("max_body_bytes", "max_header_bytes", "max_header_count", "max_connections"):
            size = getattr(self, name)
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                problems.append(f"{name} must be a positive integer, got {size!r}")
        for name in ("header_timeout", "body_timeout", "keep_alive_timeout"):
            seconds = getattr(self, name)
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
                problems.append(f"{name} must be a positive number of seconds, got {seconds!r}")
        return problems
