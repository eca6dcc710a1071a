"""Typed errors of the Medux API, generated from the code table ``x-medux-codes`` in openapi.yaml.

Do not edit: ``make generate`` renders this module (medux_contract/generation/client_extras.py). Hierarchy::

    MeduxError                      every outcome but success (code, message, http_status, envelope)
    ├── <Group>Failure              one per ``group`` of the table, e.g. ProviderFailure, BillingFailure
    │   └── <exception>             one per non-zero code, e.g. ProviderTimeoutError (``code`` is its literal)
    ├── TransientError              marker: the code's ``retry`` is ``always`` (refused before any work)
    ├── UnknownCodeError            a code the operation that answered it does not list
    ├── MalformedResponseError      not a JSON envelope (HTML 502, empty or truncated body, no code)
    └── MeduxConnectionError        no answer: the connection failed (also an ``httpx.TransportError``)
        └── MeduxTimeoutError       no answer in time, or the call's deadline passed (``httpx.TimeoutException``)

Catch a family to catch every code in it: ``except ProviderFailure`` catches 1404 and 1405 alike. No
two names differ by one letter (``make generate`` refuses such a table). The classes are API-wide
(one per code); what an error means for the call that raised it is on the
instance: ``operation`` (the operationId), ``billable`` (whether that operation's answer with this code
may have cost credits) and ``retry_safe`` (whether that operation may be repeated after it: the client
already did, up to ``max_retries``). A code of the table that the operation does not list (1401 from
List Avatars) raises ``UnknownCodeError``: the server left the contract, so the outcome is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import httpx

from .decoding import NOT_JSON, code_of
from .rules import OperationRules
from .types import Unset

T = TypeVar("T")

SUCCESS_CODES: frozenset[int] = frozenset({0})
SNIPPET_LIMIT = 200
_REDACTED = "[redacted]"


class MeduxError(Exception):
    """An answer from the API that is not a success.

    Attributes:
        code: the envelope's ``code`` as sent (None when the body has none).
        message: the envelope's ``message`` as sent (None when absent).
        http_status: the HTTP status of the response (any int, e.g. 520; None: no answer came).
        envelope: the decoded JSON body (None when the body is not a JSON object).
        headers: the response headers (e.g. ``Retry-After``), the API key replaced should they echo it.
        operation: the operationId of the call that got this answer (None when raised by hand).
        billable: whether that operation's answer with this code may have cost credits (None: unknown).
        retry_safe: whether that operation may be repeated after this answer (the client retried it).
    """

    CODE: ClassVar[int | None] = None
    NAME: ClassVar[str | None] = None
    GROUP: ClassVar[str | None] = None
    MEANING: ClassVar[str | None] = None
    # The code table's `retry` column: "always", "if_idempotent" or "never" (None: no code of the table).
    RETRY: ClassVar[str | None] = None
    # True on TransientError: a code after which any request may be repeated (`retry: always`).
    RETRYABLE: ClassVar[bool] = False

    def __init__(
        self,
        *,
        code: int | None,
        message: str | None,
        http_status: int | None,
        envelope: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        operation: str | None = None,
        billable: bool | None = None,
        retry_safe: bool = False,
    ) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        self.envelope = dict(envelope) if envelope is not None else None
        self.headers = dict(headers) if headers is not None else {}
        self.operation = operation
        self.billable = billable
        self.retry_safe = retry_safe
        super().__init__(self._describe())

    def _describe(self) -> str:
        meaning = f": {self.MEANING}" if self.MEANING else ""
        return f"code {self.code} ({self.message}){meaning} [HTTP {self.http_status}]"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, http_status={self.http_status!r})"


class TransientError(MeduxError):
    """Marker for codes whose ``retry`` is ``always``: refused before any work, so later may work.

    The client already retried the call (where its operation lists the code); any request may be
    repeated after it without creating or billing anything twice.
    """

    RETRYABLE = True


class UnknownCodeError(MeduxError):
    """A ``code`` the operation does not list: a newer API, or a server outside the contract.

    The outcome and its cost are unknown; the client never retries it.

    Attributes:
        known_as: the class this client raises for the code where an operation lists it (e.g.
            ``InsufficientCreditsError`` for a 1401 from List Avatars); None for a code the table lacks.
    """

    def __init__(self, *, known_as: type[MeduxError] | None = None, **details: Any) -> None:
        self.known_as = known_as
        super().__init__(**details)

    def _describe(self) -> str:
        operation = self.operation or "this operation"
        listed = f"; elsewhere {self.known_as.__name__}" if self.known_as is not None else ""
        return f"code {self.code} ({self.message}) is not an answer {operation} lists{listed} [HTTP {self.http_status}]"


class MalformedResponseError(MeduxError):
    """The body is not a Medux JSON envelope: not JSON, not an object, or no integer ``code``.

    Attributes:
        body_snippet: the start of the body (at most ``SNIPPET_LIMIT`` characters), for diagnosis.
        reason: what is wrong with it.
    """

    def __init__(
        self,
        *,
        http_status: int | None,
        body_snippet: str,
        reason: str,
        envelope: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        operation: str | None = None,
    ) -> None:
        self.body_snippet = body_snippet
        self.reason = reason
        super().__init__(
            code=None,
            message=None,
            http_status=http_status,
            envelope=envelope,
            headers=headers,
            operation=operation,
        )

    def _describe(self) -> str:
        return f"HTTP {self.http_status}: not a Medux envelope ({self.reason}); body starts {self.body_snippet!r}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(http_status={self.http_status!r}, reason={self.reason!r})"


class MeduxConnectionError(MeduxError, httpx.TransportError):
    """No answer came: the connection failed, before or after the request was sent.

    Raised in place of httpx's own error (still an ``httpx.TransportError``, so code catching that
    keeps working), with the message scrubbed of the API key and nothing chained: httpx's messages
    may quote what the server sent, and the server may echo the key. ``code`` and ``http_status`` are
    None. The client already retried where that is safe (see ``retries``).

    Attributes:
        kind: the name of the httpx error it stands for (``ConnectError``, ``ReadTimeout``,
            ``RemoteProtocolError``..., or ``DeadlineExceeded``).
        detail: that error's message, the key replaced.
    """

    def __init__(self, *, kind: str, detail: str, operation: str | None = None) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(code=None, message=None, http_status=None, operation=operation)

    def _describe(self) -> str:
        return f"{self.operation or 'call'}: no answer ({self.kind}: {self.detail})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, operation={self.operation!r})"


class MeduxTimeoutError(MeduxConnectionError, httpx.TimeoutException):
    """No answer in time: an httpx timeout (connect, read, write, pool) or the call's deadline.

    For an operation that is not idempotent (Create Avatar by Image) the request may have been
    processed: the outcome is unknown.
    """


class InvalidRequestFailure(MeduxError):
    """Family ``invalid_request`` of the code table: catches every code in it (12, 1410, 1402)."""

    GROUP = "invalid_request"


class BillingFailure(MeduxError):
    """Family ``billing`` of the code table: catches every code in it (1409, 1401, 1406)."""

    GROUP = "billing"


class ProviderFailure(MeduxError):
    """Family ``provider`` of the code table: catches every code in it (1404, 1405)."""

    GROUP = "provider"


class AuthenticationFailure(MeduxError):
    """Family ``authentication`` of the code table: catches every code in it (13)."""

    GROUP = "authentication"


class RateLimitFailure(MeduxError):
    """Family ``rate_limit`` of the code table: catches every code in it (16)."""

    GROUP = "rate_limit"


class ServerFailure(MeduxError):
    """Family ``server`` of the code table: catches every code in it (99)."""

    GROUP = "server"


class InvalidInputError(InvalidRequestFailure):
    """12 invalid input: Invalid input

    Meaning from: vendor. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[12]] = 12
    code: Literal[12]
    NAME = "INVALID_INPUT"
    GROUP = "invalid_request"
    MEANING = "Invalid input"
    RETRY = "never"


class InvalidModelError(InvalidRequestFailure):
    """1410 invalid model: The requested model is not valid.

    Meaning from: inferred. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1410]] = 1410
    code: Literal[1410]
    NAME = "INVALID_MODEL"
    GROUP = "invalid_request"
    MEANING = "The requested model is not valid."
    RETRY = "never"


class PaidPlanRequiredError(BillingFailure):
    """1409 paid plan required: The operation needs a paid plan.

    Meaning from: inferred. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1409]] = 1409
    code: Literal[1409]
    NAME = "PAID_PLAN_REQUIRED"
    GROUP = "billing"
    MEANING = "The operation needs a paid plan."
    RETRY = "never"


class InsufficientCreditsError(BillingFailure):
    """1401 insufficient credits: Insufficient credits

    Meaning from: vendor. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1401]] = 1401
    code: Literal[1401]
    NAME = "INSUFFICIENT_CREDITS"
    GROUP = "billing"
    MEANING = "Insufficient credits"
    RETRY = "never"


class AssetLimitReachedError(BillingFailure):
    """1406 asset limit reached: The account's asset limit is reached.

    Meaning from: inferred. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1406]] = 1406
    code: Literal[1406]
    NAME = "ASSET_LIMIT_REACHED"
    GROUP = "billing"
    MEANING = "The account's asset limit is reached."
    RETRY = "never"


class AssetCategoryMismatchError(InvalidRequestFailure):
    """1402 asset category mismatch: Asset category does not match this operation

    Meaning from: vendor. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1402]] = 1402
    code: Literal[1402]
    NAME = "ASSET_CATEGORY_MISMATCH"
    GROUP = "invalid_request"
    MEANING = "Asset category does not match this operation"
    RETRY = "never"


class ProviderReturnedError(ProviderFailure):
    """1404 provider error: Provider returned an error

    Meaning from: vendor. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[1404]] = 1404
    code: Literal[1404]
    NAME = "PROVIDER_ERROR"
    GROUP = "provider"
    MEANING = "Provider returned an error"
    RETRY = "never"


class ProviderTimeoutError(ProviderFailure):
    """1405 provider timeout: Provider request timed out

    Meaning from: vendor. A request may be repeated after it: only an idempotent operation (the outcome is unknown).
    """

    CODE: ClassVar[Literal[1405]] = 1405
    code: Literal[1405]
    NAME = "PROVIDER_TIMEOUT"
    GROUP = "provider"
    MEANING = "Provider request timed out"
    RETRY = "if_idempotent"


class UnauthenticatedError(AuthenticationFailure):
    """13 unauthenticated: Authentication is required

    Meaning from: vendor. A request may be repeated after it: no (a repeat gets the same answer, or could bill twice).
    """

    CODE: ClassVar[Literal[13]] = 13
    code: Literal[13]
    NAME = "UNAUTHENTICATED"
    GROUP = "authentication"
    MEANING = "Authentication is required"
    RETRY = "never"


class RateLimitedError(RateLimitFailure, TransientError):
    """16 rate limit: Rate limit exceeded

    Meaning from: vendor. A request may be repeated after it: always (refused before any work).
    """

    CODE: ClassVar[Literal[16]] = 16
    code: Literal[16]
    NAME = "RATE_LIMITED"
    GROUP = "rate_limit"
    MEANING = "Rate limit exceeded"
    RETRY = "always"


class InternalServerError(ServerFailure):
    """99 server error: Server error

    Meaning from: vendor. A request may be repeated after it: only an idempotent operation (the outcome is unknown).
    """

    CODE: ClassVar[Literal[99]] = 99
    code: Literal[99]
    NAME = "SERVER_ERROR"
    GROUP = "server"
    MEANING = "Server error"
    RETRY = "if_idempotent"


ERRORS_BY_CODE: Mapping[int, type[MeduxError]] = {
    12: InvalidInputError,
    1410: InvalidModelError,
    1409: PaidPlanRequiredError,
    1401: InsufficientCreditsError,
    1406: AssetLimitReachedError,
    1402: AssetCategoryMismatchError,
    1404: ProviderReturnedError,
    1405: ProviderTimeoutError,
    13: UnauthenticatedError,
    16: RateLimitedError,
    99: InternalServerError,
}


def _redact_text(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, _REDACTED)
    return text


def _redact(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (decoded JSON) with every secret replaced, at any depth.

    A loop over an explicit stack rather than recursion: a body nested a thousand levels deep (the
    json module decodes that much) must not raise ``RecursionError`` from the error that reports it.
    """
    if not secrets:
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]  # (source, target container, target slot)
    while stack:
        source, target, slot = stack.pop()
        if isinstance(source, str):
            target[slot] = _redact_text(source, secrets)
        elif isinstance(source, dict):
            copy: dict[Any, Any] = {}
            target[slot] = copy
            for key, item in source.items():
                redacted_key = _redact_text(key, secrets) if isinstance(key, str) else key
                copy[redacted_key] = None
                stack.append((item, copy, redacted_key))
        elif isinstance(source, list):
            items: list[Any] = [None] * len(source)
            target[slot] = items
            stack.extend((item, items, index) for index, item in enumerate(source))
        else:
            target[slot] = source
    return root[0]


def redact_headers(headers: Mapping[str, str], secrets: Iterable[str]) -> dict[str, str]:
    """``headers`` as a dict, every secret replaced in names and values (a server may echo the key)."""
    hidden = _hidden(secrets)
    return {_redact_text(name, hidden): _redact_text(value, hidden) for name, value in headers.items()}


def connection_error(error: httpx.RequestError, *, rules: OperationRules, secrets: Iterable[str] = ()) -> MeduxError:
    """The documented error for httpx's ``error``: its name and its message, scrubbed; nothing chained.

    A body httpx cannot decode (a broken ``Content-Encoding``) is a ``MalformedResponseError``; every
    other failure is a ``MeduxConnectionError``, a ``MeduxTimeoutError`` for timeouts and the deadline.

    Raise it outside the ``except`` block that caught ``error``, so that neither ``__cause__`` nor
    ``__context__`` holds httpx's original (its message, its request with the Authorization header).
    """
    detail = _redact_text(str(error), _hidden(secrets))[:SNIPPET_LIMIT]
    if isinstance(error, httpx.DecodingError):
        return MalformedResponseError(
            http_status=None, body_snippet="", reason=f"body cannot be decoded: {detail}", operation=rules.operation_id
        )
    kind = MeduxTimeoutError if isinstance(error, httpx.TimeoutException) else MeduxConnectionError
    return kind(kind=type(error).__name__, detail=detail, operation=rules.operation_id)


def _snippet(content: bytes, secrets: tuple[str, ...]) -> str:
    # Redact before truncating, so that a cut cannot leave half a secret behind; decode no more
    # than the snippet can show (4 bytes per character at most in UTF-8).
    window = (SNIPPET_LIMIT + max((len(secret) for secret in secrets), default=0)) * 4
    text = _redact_text(content[:window].decode("utf-8", errors="replace"), secrets)
    return text if len(text) <= SNIPPET_LIMIT else text[:SNIPPET_LIMIT] + "..."


def _hidden(secrets: Iterable[str]) -> tuple[str, ...]:
    return tuple(secret for secret in secrets if secret)


def error_for(
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    *,
    decoded: Any,
    rules: OperationRules,
    secrets: Iterable[str] = (),
) -> MeduxError | None:
    """The error a response of the operation ``rules`` describes stands for, or None for a success.

    ``decoded`` is the body as ``decoding.decode_body(content)`` returned it (the caller decoded it once
    already); ``content`` only feeds the error's snippet. ``secrets`` (e.g. the API key) are replaced in
    everything the error carries, should the server echo them.
    """
    operation = rules.operation_id
    if not isinstance(decoded, dict):
        hidden = _hidden(secrets)
        return MalformedResponseError(
            http_status=status_code,
            body_snippet=_snippet(content, hidden),
            reason="not JSON" if decoded is NOT_JSON else "JSON, but not an object",
            headers=redact_headers(headers, hidden),
            operation=operation,
        )
    code = code_of(decoded)
    if code in SUCCESS_CODES:
        return None
    hidden = _hidden(secrets)
    headers = redact_headers(headers, hidden)
    envelope: dict[str, Any] = _redact(decoded, hidden)
    if code is None:
        return MalformedResponseError(
            http_status=status_code,
            body_snippet=_snippet(content, hidden),
            reason="no integer code",
            envelope=envelope,
            headers=headers,
            operation=operation,
        )
    message = envelope.get("message")
    details: dict[str, Any] = {
        "code": code,
        "message": message if isinstance(message, str) else None,
        "http_status": status_code,
        "envelope": envelope,
        "headers": headers,
        "operation": operation,
    }
    if code not in rules.codes:
        return UnknownCodeError(known_as=ERRORS_BY_CODE.get(code), **details)
    return ERRORS_BY_CODE[code](billable=code in rules.billable_codes, retry_safe=code in rules.retry_codes, **details)


def raise_for_outcome(
    response: httpx.Response, decoded: Any, parsed: T | None, *, rules: OperationRules, secrets: Iterable[str] = ()
) -> T:
    """``parsed``, the success envelope of ``response`` as the models read it; raises the typed error
    for every other outcome.

    ``decoded`` is ``response.content`` decoded (``decoding.DecodedResponse.decoded``), so that the
    outcome is read from the same single decode as the retry decision and ``parsed`` (None when the
    models could not read the body); ``rules`` are those of the operation that answered.
    """
    hidden = tuple(secrets)
    status = response.status_code
    error = error_for(status, response.content, response.headers, decoded=decoded, rules=rules, secrets=hidden)
    if error is not None:
        raise error
    if parsed is None:  # a success code, in an envelope the models could not read
        raise MalformedResponseError(
            http_status=status,
            body_snippet=_snippet(response.content, _hidden(hidden)),
            reason="success envelope does not match the schema",
            headers=redact_headers(response.headers, hidden),
            operation=rules.operation_id,
        )
    missing = _missing_member(parsed, rules.carries)
    if missing is not None:  # the typed result declares the carried members set: never return without one
        raise MalformedResponseError(
            http_status=status,
            body_snippet=_snippet(response.content, _hidden(hidden)),
            reason=f"success envelope lacks {missing}, which this operation's success carries",
            envelope=_redact(decoded, _hidden(hidden)),
            headers=redact_headers(response.headers, hidden),
            operation=rules.operation_id,
        )
    return parsed


def _missing_member(parsed: Any, carries: tuple[str, ...]) -> str | None:
    if not carries:
        return None
    data = getattr(parsed, "data", None)
    if data is None or isinstance(data, Unset):
        return "data"
    for member in carries:
        value = getattr(data, member, None)
        if value is None or isinstance(value, Unset):
            return f"data.{member}"
    return None


# The error classes only: the package re-exports these names.
__all__ = [
    "MalformedResponseError",
    "MeduxConnectionError",
    "MeduxError",
    "MeduxTimeoutError",
    "TransientError",
    "UnknownCodeError",
    "InvalidRequestFailure",
    "BillingFailure",
    "ProviderFailure",
    "AuthenticationFailure",
    "RateLimitFailure",
    "ServerFailure",
    "InvalidInputError",
    "InvalidModelError",
    "PaidPlanRequiredError",
    "InsufficientCreditsError",
    "AssetLimitReachedError",
    "AssetCategoryMismatchError",
    "ProviderReturnedError",
    "ProviderTimeoutError",
    "UnauthenticatedError",
    "RateLimitedError",
    "InternalServerError",
]
