"""Bounded, jittered retries: only where a retry cannot create a second avatar or spend credits twice.

A call is retried when

- the answer's ``code`` is flagged ``retryable`` in the spec's code table (``exceptions.RETRYABLE_CODES``),
  waiting ``Retry-After`` (seconds or an HTTP date) when the response has one, else an exponential
  backoff with jitter; a ``Retry-After`` beyond ``RetryPolicy.max_retry_after`` is not waited for;
- or the connection failed before the request was sent (``httpx.ConnectError``, ``ConnectTimeout``,
  ``PoolTimeout``).

Never on a read timeout or any other failure after the request went out: the POST is not idempotent
and the server may have created (and billed) the avatar.
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
from .exceptions import RETRYABLE_CODES

logger = logging.getLogger(__name__)

# Failures that happen before a byte of the request reaches the server.
UNSENT_REQUEST_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
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
        """Seconds the server asks to wait (``Retry-After`` as seconds or HTTP date); None if absent or unreadable."""
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

    def __init__(self, max_retries: int, policy: RetryPolicy) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self.max_retries = max_retries
        self.policy = policy
        self.retries = 0

    def _next(self, delay: float, reason: str) -> float:
        self.retries += 1
        logger.info("Medux call: %s; retry %d of %d in %.2fs", reason, self.retries, self.max_retries, delay)
        return delay

    def after_response(self, answer: DecodedResponse) -> float | None:
        """Seconds to wait before trying again, or None to hand ``answer`` to the caller."""
        if self.retries >= self.max_retries:
            return None
        code = code_of(envelope_of(answer.decoded))
        if code not in RETRYABLE_CODES:
            return None
        asked = self.policy.retry_after(answer.response.headers)
        if asked is not None and asked > self.policy.max_retry_after:
            logger.info("Medux call: code %s asks to wait %.0fs, beyond max_retry_after", code, asked)
            return None
        delay = self.policy.backoff(self.retries + 1) if asked is None else asked
        return self._next(delay, f"code {code} (HTTP {answer.response.status_code})")

    def after_error(self, error: httpx.TransportError) -> float | None:
        """Seconds to wait before trying again, or None to let ``error`` propagate."""
        if self.retries >= self.max_retries or not isinstance(error, UNSENT_REQUEST_ERRORS):
            return None
        return self._next(self.policy.backoff(self.retries + 1), f"{type(error).__name__} before sending")


def send(http: httpx.Client, request: Mapping[str, Any], *, max_retries: int, policy: RetryPolicy) -> DecodedResponse:
    """``http.request(**request)``, retried where that is safe; the last response, its body decoded."""
    attempts = _Attempts(max_retries, policy)
    while True:
        try:
            response = http.request(**request)
        except UNSENT_REQUEST_ERRORS as error:
            delay = attempts.after_error(error)
            if delay is None:
                raise
        else:
            answer = DecodedResponse.of(response)
            delay = attempts.after_response(answer)
            if delay is None:
                return answer
        policy.sleep(delay)


async def send_async(
    http: httpx.AsyncClient, request: Mapping[str, Any], *, max_retries: int, policy: RetryPolicy
) -> DecodedResponse:
    """``await http.request(**request)``, retried where that is safe; the last response, its body decoded."""
    attempts = _Attempts(max_retries, policy)
    while True:
        try:
            response = await http.request(**request)
        except UNSENT_REQUEST_ERRORS as error:
            delay = attempts.after_error(error)
            if delay is None:
                raise
        else:
            answer = DecodedResponse.of(response)
            delay = attempts.after_response(answer)
            if delay is None:
                return answer
        await policy.async_sleep(delay)


__all__ = ["UNSENT_REQUEST_ERRORS", "RetryPolicy", "send", "send_async"]
