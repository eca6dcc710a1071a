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
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from attrs import define, field, validators

from .decoding import DecodedResponse, code_of, envelope_of
from .rules import OperationRules

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


def _utc_now() -> datetime:
    return datetime.now(UTC)


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

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based) when the server names no delay."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))
        return ceiling * (1 - self.jitter * self.random())

    def retry_after(self, headers: Mapping[str, str]) -> float | None:
        """Seconds the server asks to wait (``Retry-After``: seconds or a date); None if absent/unreadable."""
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - self.now()).total_seconds())


class _Attempts:
    """The retry decisions of one call; the sync and async loops share them."""

    def __init__(self, rules: OperationRules, max_retries: int, policy: RetryPolicy) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self.rules = rules
        self.retryable_errors = (
            UNSENT_REQUEST_ERRORS + UNANSWERED_REQUEST_ERRORS if rules.idempotent else UNSENT_REQUEST_ERRORS
        )
        self.max_retries = max_retries
        self.policy = policy
        self.retries = 0

    def _next(self, delay: float, reason: str) -> float:
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


def send(
    http: httpx.Client,
    request: Mapping[str, Any],
    *,
    rules: OperationRules,
    max_retries: int,
    policy: RetryPolicy,
) -> DecodedResponse:
    """``http.request(**request)``, retried where that is safe; the last response, its body decoded."""
    attempts = _Attempts(rules, max_retries, policy)
    while True:
        try:
            response = http.request(**request)
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


async def send_async(
    http: httpx.AsyncClient,
    request: Mapping[str, Any],
    *,
    rules: OperationRules,
    max_retries: int,
    policy: RetryPolicy,
) -> DecodedResponse:
    """``await http.request(**request)``, retried where that is safe; the last response, its body decoded."""
    attempts = _Attempts(rules, max_retries, policy)
    while True:
        try:
            response = await http.request(**request)
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


__all__ = ["UNANSWERED_REQUEST_ERRORS", "UNSENT_REQUEST_ERRORS", "RetryPolicy", "send", "send_async"]
