"""Bounded, jittered retries: only where a repeat cannot create a second avatar or spend credits twice.

Each call carries its operation's :class:`~.rules.OperationRules`. A call is retried when

- the answer's ``code`` is one of the operation's ``retry_codes`` (from the spec: a code whose
  ``retry`` is ``always``, or ``if_idempotent`` on an idempotent operation), waiting ``Retry-After``
  (seconds or an HTTP date) when the response has one, else an exponential backoff with jitter; a
  ``Retry-After`` beyond ``RetryPolicy.max_retry_after`` is not waited for;
- or the connection failed before the request was sent (``httpx.ConnectError``, ``ConnectTimeout``,
  ``PoolTimeout``): nothing reached the server, whatever the operation;
- or, for an idempotent operation only (a read such as List Avatars), the request went out but no
  answer came back (``ReadTimeout``, ``ReadError``, ``RemoteProtocolError``, ``WriteTimeout``,
  ``WriteError``): repeating a read has no further effect.

A request that creates something (Create Avatar by Image) is never repeated after it went out: the
server may have created, and billed, the avatar.

Every call has one deadline (``timeout``: seconds, or the largest finite value of an
``httpx.Timeout``), read once from a monotonic clock when the call starts. It bounds the whole call,
retries and waits included: each attempt's httpx timeouts are cut to the time left, the body is read
against the deadline (httpx's read timeout restarts with every chunk, so a server dripping its answer
would otherwise decide how long a call takes), and no retry starts, nor waits, past it. A call past
its deadline raises :class:`DeadlineExceeded` (an ``httpx.TimeoutException``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import anyio
import httpx
from attrs import define, field, validators

from .decoding import DecodedResponse, code_of, envelope_of
from .rules import OperationRules
from .urls import absolute_url

logger = logging.getLogger(__name__)

# Failures that happen before a byte of the request reaches the server.
UNSENT_REQUEST_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Failures after the request may have reached the server: only an idempotent operation repeats it.
UNANSWERED_REQUEST_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


# What may be retried, by whether the operation is idempotent.
_RETRYABLE_ERRORS = {False: UNSENT_REQUEST_ERRORS, True: UNSENT_REQUEST_ERRORS + UNANSWERED_REQUEST_ERRORS}


class DeadlineExceeded(httpx.TimeoutException):
    """The call's deadline (its ``timeout``, for all attempts together) passed before an answer."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def total_seconds(timeout: httpx.Timeout) -> float | None:
    """A call's time budget: the largest finite bound of ``timeout`` (None: no bound, wait forever)."""
    bounds = [
        bound for bound in (timeout.connect, timeout.read, timeout.write, timeout.pool) if bound is not None
    ]
    return max(bounds) if bounds else None


def _cut(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    def cut(bound: float | None) -> float:
        return remaining if bound is None else min(bound, remaining)

    return httpx.Timeout(
        connect=cut(timeout.connect), read=cut(timeout.read), write=cut(timeout.write), pool=cut(timeout.pool)
    )


@define(frozen=True, kw_only=True)
class RetryPolicy:
    """How long to wait between attempts, and the functions that wait (inject fakes in tests).

    The n-th retry waits ``min(max_delay, initial_delay * 2 ** (n - 1))``, reduced by up to
    ``jitter`` (a fraction) at random so that many clients do not retry in step.
    """

    initial_delay: float = field(default=0.5, validator=validators.ge(0))
    max_delay: float = field(default=8.0, validator=validators.ge(0))
    jitter: float = field(default=0.25, validator=[validators.ge(0), validators.le(1)])
    max_retry_after: float = field(default=60.0, validator=validators.ge(0))
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)
    now: Callable[[], datetime] = field(default=_utc_now, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based) when the server names no delay."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))
        return ceiling * (1 - self.jitter * self.random())

    def retry_after(self, headers: Mapping[str, str]) -> float | None:
        """Seconds the server asks to wait (``Retry-After``: seconds or a date); None if absent/unreadable."""
        value = headers.get("retry-after")
        if value is None:
            return None
        seconds: float | None
        try:
            seconds = float(value)
        except ValueError:
            seconds = self._seconds_until(value)
        # "inf", "nan" or a date out of datetime's range: unreadable, as a garbled value is.
        return max(0.0, seconds) if seconds is not None and math.isfinite(seconds) else None

    def _seconds_until(self, value: str) -> float | None:
        try:
            when = parsedate_to_datetime(value)
            if when.tzinfo is None:  # RFC 9110 dates are GMT
                when = when.replace(tzinfo=UTC)
            return (when - self.now()).total_seconds()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None


class _Attempts:
    """The retry decisions of one call; the sync and async loops share them."""

    __slots__ = ("deadline", "max_retries", "policy", "retries", "retryable_errors", "rules", "timeout")

    def __init__(
        self, rules: OperationRules, max_retries: int, policy: RetryPolicy, timeout: httpx.Timeout
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self.timeout = timeout
        total = total_seconds(timeout)
        # The one clock read a call costs when its first attempt succeeds.
        self.deadline = None if total is None else policy.clock() + total
        self.rules = rules
        self.retryable_errors = _RETRYABLE_ERRORS[rules.idempotent]
        self.max_retries = max_retries
        self.policy = policy
        self.retries = 0

    def attempt_timeout(self) -> httpx.Timeout | None:
        """The httpx timeouts of the next attempt, cut to the time left; None: the call's own are shorter."""
        if self.deadline is None or self.retries == 0:
            return None  # the first attempt starts with the whole budget: no clock read, no bound to cut
        remaining = self.deadline - self.policy.clock()
        if remaining <= 0:
            raise DeadlineExceeded(f"Medux {self.rules.operation_id}: the call's deadline passed")
        return _cut(self.timeout, remaining)

    def left(self) -> float:
        """Seconds until the deadline (infinite without one)."""
        return math.inf if self.deadline is None else self.deadline - self.policy.clock()

    def _next(self, delay: float, reason: str) -> float | None:
        if delay >= self.left():
            # Waiting would end past the deadline: the caller gets this outcome now, not later.
            logger.info("Medux %s: %s; no retry, the deadline comes first", self.rules.operation_id, reason)
            return None
        self.retries += 1
        logger.info(
            "Medux %s: %s; retry %d of %d in %.2fs",
            self.rules.operation_id,
            reason,
            self.retries,
            self.max_retries,
            delay,
        )
        return delay

    def after_response(self, answer: DecodedResponse) -> float | None:
        """Seconds to wait before trying again, or None to hand ``answer`` to the caller."""
        if self.retries >= self.max_retries:
            return None
        code = code_of(envelope_of(answer.decoded))
        if code not in self.rules.retry_codes:
            return None
        asked = self.policy.retry_after(answer.response.headers)
        if asked is not None and asked > self.policy.max_retry_after:
            operation = self.rules.operation_id
            logger.info("Medux %s: code %s asks to wait %.0fs, over max_retry_after", operation, code, asked)
            return None
        delay = self.policy.backoff(self.retries + 1) if asked is None else asked
        return self._next(delay, f"code {code} (HTTP {answer.response.status_code})")

    def after_error(self, error: httpx.TransportError) -> float | None:
        """Seconds to wait before trying again, or None to let ``error`` propagate."""
        if self.retries >= self.max_retries or not isinstance(error, self.retryable_errors):
            return None
        when = "before sending" if isinstance(error, UNSENT_REQUEST_ERRORS) else "on an idempotent request"
        return self._next(self.policy.backoff(self.retries + 1), f"{type(error).__name__} {when}")


def _log_answer(rules: OperationRules, answer: DecodedResponse) -> None:
    # Method, URL, status and code only: the request's headers (the API key) are never logged.
    response = answer.response
    logger.debug(
        "Medux %s: %s %s -> HTTP %d, code %s",
        rules.operation_id,
        response.request.method,
        response.request.url,
        response.status_code,
        code_of(envelope_of(answer.decoded)),
    )


class _DeadlinedStream(httpx.SyncByteStream):
    """A response body that stops at the call's deadline, checked after each chunk."""

    def __init__(self, stream: httpx.SyncByteStream, attempts: _Attempts) -> None:
        self._stream = stream
        self._attempts = attempts

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if self._attempts.left() <= 0:
                raise DeadlineExceeded(
                    f"Medux {self._attempts.rules.operation_id}: the call's deadline passed"
                )
            yield chunk

    def close(self) -> None:
        self._stream.close()


def _effective_timeout(http: httpx.Client | httpx.AsyncClient, request: Mapping[str, Any]) -> httpx.Timeout:
    if "timeout" not in request:
        return http.timeout
    timeout = request["timeout"]
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def _with_absolute_url(http: httpx.Client | httpx.AsyncClient, request: Mapping[str, Any]) -> dict[str, Any]:
    # Joined once per base URL and path (urls.py), not by httpx on every attempt.
    url = request["url"]
    return {**request, "url": absolute_url(http.base_url, url) if isinstance(url, str) else url}


def _attempt(http: httpx.Client, request: Mapping[str, Any], attempts: _Attempts) -> httpx.Response:
    cut = attempts.attempt_timeout()
    built = (
        http.build_request(**request) if cut is None else http.build_request(**{**request, "timeout": cut})
    )
    if attempts.deadline is None:
        return http.send(built)
    response = http.send(built, stream=True)
    try:
        response.stream = _DeadlinedStream(response.stream, attempts)  # type: ignore[arg-type]
        response.read()
    except BaseException:
        response.close()
        raise
    return response


def send(
    http: httpx.Client,
    request: Mapping[str, Any],
    *,
    rules: OperationRules,
    max_retries: int,
    policy: RetryPolicy,
) -> DecodedResponse:
    """``http.request(**request)``, retried where safe, within the deadline; the last answer, decoded."""
    attempts = _Attempts(rules, max_retries, policy, _effective_timeout(http, request))
    request = _with_absolute_url(http, request)
    while True:
        try:
            response = _attempt(http, request, attempts)
        except DeadlineExceeded:
            raise
        except httpx.TransportError as error:
            delay = attempts.after_error(error)
            if delay is None:
                raise
        else:
            answer = DecodedResponse.of(response)
            if logger.isEnabledFor(logging.DEBUG):  # cached: nothing measurable when logging is off
                _log_answer(rules, answer)
            delay = attempts.after_response(answer)
            if delay is None:
                return answer
        policy.sleep(delay)


async def _attempt_async(
    http: httpx.AsyncClient, request: Mapping[str, Any], attempts: _Attempts
) -> httpx.Response:
    cut = attempts.attempt_timeout()
    options = request if cut is None else {**request, "timeout": cut}
    if attempts.deadline is None:
        return await http.request(**options)
    try:
        # One cancel scope over the whole attempt (headers and body): anyio, so trio works as asyncio does.
        with anyio.fail_after(max(0.0, attempts.left())):
            return await http.request(**options)
    except TimeoutError:
        raise DeadlineExceeded(f"Medux {attempts.rules.operation_id}: the call's deadline passed") from None


async def send_async(
    http: httpx.AsyncClient,
    request: Mapping[str, Any],
    *,
    rules: OperationRules,
    max_retries: int,
    policy: RetryPolicy,
) -> DecodedResponse:
    """``await http.request(**request)``, retried where safe, within the call's deadline; the last answer."""
    attempts = _Attempts(rules, max_retries, policy, _effective_timeout(http, request))
    request = _with_absolute_url(http, request)
    while True:
        try:
            response = await _attempt_async(http, request, attempts)
        except DeadlineExceeded:
            raise
        except httpx.TransportError as error:
            delay = attempts.after_error(error)
            if delay is None:
                raise
        else:
            answer = DecodedResponse.of(response)
            if logger.isEnabledFor(logging.DEBUG):  # cached: nothing measurable when logging is off
                _log_answer(rules, answer)
            delay = attempts.after_response(answer)
            if delay is None:
                return answer
        await policy.async_sleep(delay)


__all__ = [
    "UNANSWERED_REQUEST_ERRORS",
    "UNSENT_REQUEST_ERRORS",
    "DeadlineExceeded",
    "RetryPolicy",
    "send",
    "send_async",
    "total_seconds",
]
