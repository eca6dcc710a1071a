"""The live-mode safety layer: a ``requests`` session that enforces a :class:`LivePolicy`.

Every HTTP request of a run against a URL, including the probes checks send and the stateful
phase's requests, goes through :class:`GuardedAdapter`, the last point before bytes leave the
machine. The guard judges each request by what it is about to send (never by what the generator
meant to send) and by the facts of the operation it reaches: a request that carries the run's key
to an operation that can bill, and that the spec does not call invalid, may bill and is sent only
within the billable budget; one to an operation that cannot bill (a read) is sent freely; one to
no operation of the spec is withheld. It paces requests to the rate cap, stops at the total cap,
pauses when the server answers with a rate-limit code, and stops the run if the server answers
more requests with codes that bill than the budget allows.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from medux_contract.conformance.codebook import billable_codes, describe, rate_limit_codes
from medux_contract.conformance.credentials import Credentials, classify
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.operations import operation_at
from medux_contract.conformance.request_facts import why_invalid
from medux_contract.spec import Contract, Operation, load_contract

MAX_CONSECUTIVE_RATE_LIMITS = 5
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0

NO_CREDENTIALS = "without credentials"
WRONG_KEY = "with a wrong key"
INVALID_WITH_KEY = "with your key, invalid per the spec"
MAY_BILL = "with your key, valid (may bill)"
CANNOT_BILL = "with your key, to an operation that cannot bill"
OTHER_WITH_KEY = "with your key, to no operation of the contract"


class Withheld(Exception):
    """The policy does not let the run send this request; it was not sent."""


class RunStopped(Exception):
    """The guard stopped the run; it sends nothing more. The message says why."""


class Guard:
    def __init__(
        self,
        policy: LivePolicy,
        key: str | None,
        *,
        contract: Contract | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        say: Callable[[str], None] = print,
    ) -> None:
        self.policy = policy
        self._key = key
        self.contract = contract or load_contract()
        self._base_url = base_url
        self._clock, self._sleep, self._say = clock, sleep, say
        self._lock = threading.RLock()
        self._last_start: float | None = None
        self._rate_limited_in_a_row = 0
        self.sent: Counter[str] = Counter()
        self.withheld: Counter[str] = Counter()
        self.billed_outcomes = 0
        self.backoffs = 0
        self.stopped: str | None = None

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    def operation(self, request: requests.PreparedRequest) -> Operation | None:
        return operation_at(self.contract, request.method, request.url, self._base_url)

    def kind(self, request: requests.PreparedRequest) -> str:
        sent = classify(request.headers, self._key) if self._key else Credentials.MISSING
        if sent is Credentials.MISSING:
            has_header = any(name.lower() == "authorization" for name in request.headers)
            return WRONG_KEY if has_header else NO_CREDENTIALS
        if sent is Credentials.WRONG:
            return WRONG_KEY
        # VALID, or the key in an unusual form that a lenient server may still accept.
        operation = self.operation(request)
        if operation is None:
            return OTHER_WITH_KEY
        if not operation.can_bill:
            return CANNOT_BILL
        return INVALID_WITH_KEY if why_invalid(self.contract, operation, request) is not None else MAY_BILL

    def admit(self, request: requests.PreparedRequest) -> None:
        """Let the request go (pacing it to the rate cap), or raise Withheld / RunStopped."""
        with self._lock:
            if self.stopped:
                raise RunStopped(self.stopped)
            kind = self.kind(request)
            budget = self.policy.billable_budget
            over_budget = kind == OTHER_WITH_KEY or (
                kind == MAY_BILL and self.sent[MAY_BILL] >= (budget or 0)
            )
            if budget is not None and over_budget:
                self.withheld[kind] += 1
                raise Withheld(f"withheld a request {kind} (billable budget {budget})")
            cap = self.policy.max_requests
            if cap is not None and self.total_sent >= cap:
                self._stop(f"reached the cap of {cap} requests (MEDUX_MAX_REQUESTS)")
            self._pace()
            self.sent[kind] += 1

    def observe(
        self,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        operation: Operation | None = None,
    ) -> None:
        """Account for an answer of ``operation`` (None: a request to no operation of the spec): a
        rate-limit code pauses the run, answers with a code that bills there count."""
        code = _envelope_code(content)
        with self._lock:
            budget = self.policy.billable_budget
            billing = self._billing_operations(operation)
            billed_by = next((op for op in billing if code in billable_codes(op)), None)
            if budget is not None and billed_by is not None:
                self.billed_outcomes += 1
                if self.billed_outcomes > budget:
                    self._stop(
                        f"the server answered {self.billed_outcomes} requests with codes that may bill "
                        f"({billed_by.operation_id}: {describe(billed_by, billable_codes(billed_by))}), "
                        f"more than the {budget} this run allows"
                    )
            if code in rate_limit_codes(self.contract.codes):
                self._back_off(headers)
            else:
                self._rate_limited_in_a_row = 0

    def _billing_operations(self, operation: Operation | None) -> tuple[Operation, ...]:
        # An answer from outside the contract is counted as if any operation had given it: the
        # guard cannot know what it cost, so it assumes the worst.
        return (operation,) if operation is not None else self.contract.operations

    def _pace(self) -> None:
        if self.policy.max_rps is not None and self._last_start is not None:
            wait = self._last_start + 1.0 / self.policy.max_rps - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_start = self._clock()

    def _back_off(self, headers: Mapping[str, str]) -> None:
        self._rate_limited_in_a_row += 1
        if self._rate_limited_in_a_row > MAX_CONSECUTIVE_RATE_LIMITS:
            self._stop(
                f"the server answered {self._rate_limited_in_a_row} requests in a row "
                "with the rate-limit code"
            )
        exponential = BACKOFF_BASE_SECONDS * 2 ** (self._rate_limited_in_a_row - 1)
        delay = min(max(_retry_after(headers), exponential), BACKOFF_MAX_SECONDS)
        self.backoffs += 1
        self._say(f"conformance: rate limited by the server; pausing {delay:g}s")
        self._sleep(delay)

    def _stop(self, reason: str) -> None:
        self.stopped = reason
        self._say(f"conformance: stopping the run: {reason}")
        raise RunStopped(reason)


class GuardedAdapter(HTTPAdapter):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.guard.admit(request)
        response = super().send(request, *args, **kwargs)
        self.guard.observe(
            response.status_code, response.headers, response.content, self.guard.operation(request)
        )
        return response


def guarded_session(guard: Guard) -> requests.Session:
    session = requests.Session()
    adapter = GuardedAdapter(guard)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _envelope_code(content: bytes) -> int | None:
    try:
        body = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _retry_after(headers: Mapping[str, str]) -> float:
    value = headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 0.0
