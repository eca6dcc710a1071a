from functools import partial
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...decoding import DecodedResponse, json_value
from ...exceptions import MeduxError, connection_error, raise_for_outcome
from ...models.list_avatars_response import ListAvatarsResponse
from ...operations import OPERATIONS
from ...raw_response import RawResponse
from ...results import ListAvatarsResult
from ...retries import send, send_async
from ...types import UNSET, Response, Unset, http_status

# What this operation may answer and when it may be repeated, from its x-medux-outcomes in the spec.
_RULES = OPERATIONS["list_avatars"]


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/app/v1/clone/avatars",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response, decoded: Any
) -> ListAvatarsResponse:
    if response.status_code == 200:
        response_200 = ListAvatarsResponse.from_dict(json_value(decoded))

        return response_200

    response_default = ListAvatarsResponse.from_dict(json_value(decoded))

    return response_default


def _parse_readable(
    *, client: AuthenticatedClient | Client, response: httpx.Response, decoded: Any
) -> ListAvatarsResponse | None:
    # A body that is not the JSON envelope (an HTML 502, an empty or truncated body) must not raise
    # ValueError & co. from the client: `parsed` stays None and the raising calls report it.
    try:
        return _parse_response(client=client, response=response, decoded=decoded)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _build_response(*, client: AuthenticatedClient | Client, answer: DecodedResponse) -> Response[ListAvatarsResponse]:
    response = answer.response
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_readable(client=client, response=response, decoded=answer.decoded),
    )


def _outcome(client: AuthenticatedClient | Client, answer: DecodedResponse) -> ListAvatarsResult:
    # raise_for_outcome raises unless the answer is a success carrying every member the spec says it
    # carries: only then is the envelope the typed result (a view, no copy). No Response is built:
    # what an error needs, it reads from the httpx response.
    response = answer.response
    envelope = raise_for_outcome(
        response,
        answer.decoded,
        _parse_readable(client=client, response=response, decoded=answer.decoded),
        rules=_RULES,
        secrets=_secrets(client),
    )
    return cast(ListAvatarsResult, envelope)


def _secrets(client: AuthenticatedClient | Client) -> tuple[str, ...]:
    # What the errors must never echo, should the server put it in a body.
    return (client.token,) if isinstance(client, AuthenticatedClient) and client.token else ()


def _send_sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None,
    timeout: httpx.Timeout | float | None | Unset,
) -> DecodedResponse:
    # What sync_detailed and sync share: sync also needs the decoded body, to raise or return from it.
    request = _get_kwargs(
        cursor=cursor,
        limit=limit,
    )
    if not isinstance(timeout, Unset):
        request["timeout"] = timeout
    failure: MeduxError
    try:
        return send(
            client.get_httpx_client(),
            request,
            rules=_RULES,
            max_retries=client.max_retries if max_retries is None else max_retries,
            policy=client.retry_policy,
        )
    except httpx.RequestError as error:
        failure = connection_error(error, rules=_RULES, secrets=_secrets(client))
    # Raised outside the except block: httpx's error (whose message may quote what a server echoed)
    # stays out of __cause__ and __context__ alike.
    raise failure


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[ListAvatarsResponse]:
    """List Avatars

     List reusable avatar assets owned by the authenticated user. Only avatar assets are
    returned.

    **Authentication** is required via the `Authorization` header, as for every Clone
    operation.

    **Paging.** Pass the `next_cursor` of one page as `cursor` to get the next one.
    **Inferred** (the vendor documents only the two parameters and the two `data` members):
    the last page carries no `next_cursor` (clients also treat `null` or an empty string as
    the end); items come oldest first, so paging from the first page while assets are being
    created visits every asset that existed when paging began exactly once; a cursor is
    opaque and only valid for the key that received it.

    **Outcome.** The result is the JSON envelope's `code`. Listing is safe and idempotent
    (RFC 9110): it creates nothing and costs nothing, so a client may repeat it after a
    timeout or a server error. After an unknown outcome of Create Avatar by Image (1405 or
    99), list your avatars to learn whether it was created before creating it again.

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 20.
        max_retries (int | None): Retries for this call where a retry is safe; None uses client.max_retries.
        timeout (httpx.Timeout | float | None | Unset): This call's deadline, for every attempt and wait
            together (seconds, or the largest bound of an httpx.Timeout, whose bounds also cut each
            phase); UNSET uses the client's, None waits forever.

    Raises:
        exceptions.MeduxTimeoutError: If no answer comes in time: an httpx timeout of one attempt, or the
            call's deadline (``timeout``, for every attempt and wait together) passed. A read timeout is
            retried only when this operation is idempotent (``_RULES.idempotent``: else it may have been
            processed). Also an ``httpx.TimeoutException``.
        exceptions.MeduxConnectionError: If the connection fails (retried first when it failed before
            sending, or whenever this operation is idempotent). Also an ``httpx.TransportError``.

    Returns:
        Response[ListAvatarsResponse]: any outcome; ``parsed`` is None when the body is
            not a JSON envelope.
    """

    answer = _send_sync(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _build_response(client=client, answer=answer)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> ListAvatarsResult:
    """List Avatars

     List reusable avatar assets owned by the authenticated user. Only avatar assets are
    returned.

    **Authentication** is required via the `Authorization` header, as for every Clone
    operation.

    **Paging.** Pass the `next_cursor` of one page as `cursor` to get the next one.
    **Inferred** (the vendor documents only the two parameters and the two `data` members):
    the last page carries no `next_cursor` (clients also treat `null` or an empty string as
    the end); items come oldest first, so paging from the first page while assets are being
    created visits every asset that existed when paging began exactly once; a cursor is
    opaque and only valid for the key that received it.

    **Outcome.** The result is the JSON envelope's `code`. Listing is safe and idempotent
    (RFC 9110): it creates nothing and costs nothing, so a client may repeat it after a
    timeout or a server error. After an unknown outcome of Create Avatar by Image (1405 or
    99), list your avatars to learn whether it was created before creating it again.

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 20.
        max_retries (int | None): Retries for this call where a retry is safe; None uses client.max_retries.
        timeout (httpx.Timeout | float | None | Unset): This call's deadline, for every attempt and wait
            together (seconds, or the largest bound of an httpx.Timeout, whose bounds also cut each
            phase); UNSET uses the client's, None waits forever.

    Raises:
        exceptions.MeduxError: A subclass for every outcome but success: one class per code this operation
            lists (``_RULES.codes``), UnknownCodeError for any other code, MalformedResponseError for a
            body that is not a JSON envelope.
        exceptions.MeduxTimeoutError: If no answer comes in time: an httpx timeout of one attempt, or the
            call's deadline (``timeout``, for every attempt and wait together) passed. A read timeout is
            retried only when this operation is idempotent (``_RULES.idempotent``: else it may have been
            processed). Also an ``httpx.TimeoutException``.
        exceptions.MeduxConnectionError: If the connection fails (retried first when it failed before
            sending, or whenever this operation is idempotent). Also an ``httpx.TransportError``.

    Returns:
        ListAvatarsResult: the success envelope, with the members its success carries set.
    """

    answer = _send_sync(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _outcome(client, answer)


def sync_raw(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> RawResponse[ListAvatarsResult]:
    """The HTTP response (status, headers) whatever the outcome; ``.parse()`` returns or raises as ``sync``."""
    answer = _send_sync(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return RawResponse(answer.response, partial(_outcome, client, answer))


async def _send_async(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None,
    timeout: httpx.Timeout | float | None | Unset,
) -> DecodedResponse:
    request = _get_kwargs(
        cursor=cursor,
        limit=limit,
    )
    if not isinstance(timeout, Unset):
        request["timeout"] = timeout
    failure: MeduxError
    try:
        return await send_async(
            client.get_async_httpx_client(),
            request,
            rules=_RULES,
            max_retries=client.max_retries if max_retries is None else max_retries,
            policy=client.retry_policy,
        )
    except httpx.RequestError as error:
        failure = connection_error(error, rules=_RULES, secrets=_secrets(client))
    raise failure


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[ListAvatarsResponse]:
    """List Avatars

     List reusable avatar assets owned by the authenticated user. Only avatar assets are
    returned.

    **Authentication** is required via the `Authorization` header, as for every Clone
    operation.

    **Paging.** Pass the `next_cursor` of one page as `cursor` to get the next one.
    **Inferred** (the vendor documents only the two parameters and the two `data` members):
    the last page carries no `next_cursor` (clients also treat `null` or an empty string as
    the end); items come oldest first, so paging from the first page while assets are being
    created visits every asset that existed when paging began exactly once; a cursor is
    opaque and only valid for the key that received it.

    **Outcome.** The result is the JSON envelope's `code`. Listing is safe and idempotent
    (RFC 9110): it creates nothing and costs nothing, so a client may repeat it after a
    timeout or a server error. After an unknown outcome of Create Avatar by Image (1405 or
    99), list your avatars to learn whether it was created before creating it again.

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 20.
        max_retries (int | None): Retries for this call where a retry is safe; None uses client.max_retries.
        timeout (httpx.Timeout | float | None | Unset): This call's deadline, for every attempt and wait
            together (seconds, or the largest bound of an httpx.Timeout, whose bounds also cut each
            phase); UNSET uses the client's, None waits forever.

    Raises:
        exceptions.MeduxTimeoutError: If no answer comes in time: an httpx timeout of one attempt, or the
            call's deadline (``timeout``, for every attempt and wait together) passed. A read timeout is
            retried only when this operation is idempotent (``_RULES.idempotent``: else it may have been
            processed). Also an ``httpx.TimeoutException``.
        exceptions.MeduxConnectionError: If the connection fails (retried first when it failed before
            sending, or whenever this operation is idempotent). Also an ``httpx.TransportError``.

    Returns:
        Response[ListAvatarsResponse]: any outcome; ``parsed`` is None when the body is
            not a JSON envelope.
    """

    answer = await _send_async(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _build_response(client=client, answer=answer)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> ListAvatarsResult:
    """List Avatars

     List reusable avatar assets owned by the authenticated user. Only avatar assets are
    returned.

    **Authentication** is required via the `Authorization` header, as for every Clone
    operation.

    **Paging.** Pass the `next_cursor` of one page as `cursor` to get the next one.
    **Inferred** (the vendor documents only the two parameters and the two `data` members):
    the last page carries no `next_cursor` (clients also treat `null` or an empty string as
    the end); items come oldest first, so paging from the first page while assets are being
    created visits every asset that existed when paging began exactly once; a cursor is
    opaque and only valid for the key that received it.

    **Outcome.** The result is the JSON envelope's `code`. Listing is safe and idempotent
    (RFC 9110): it creates nothing and costs nothing, so a client may repeat it after a
    timeout or a server error. After an unknown outcome of Create Avatar by Image (1405 or
    99), list your avatars to learn whether it was created before creating it again.

    Args:
        cursor (str | Unset):
        limit (int | Unset):  Default: 20.
        max_retries (int | None): Retries for this call where a retry is safe; None uses client.max_retries.
        timeout (httpx.Timeout | float | None | Unset): This call's deadline, for every attempt and wait
            together (seconds, or the largest bound of an httpx.Timeout, whose bounds also cut each
            phase); UNSET uses the client's, None waits forever.

    Raises:
        exceptions.MeduxError: A subclass for every outcome but success: one class per code this operation
            lists (``_RULES.codes``), UnknownCodeError for any other code, MalformedResponseError for a
            body that is not a JSON envelope.
        exceptions.MeduxTimeoutError: If no answer comes in time: an httpx timeout of one attempt, or the
            call's deadline (``timeout``, for every attempt and wait together) passed. A read timeout is
            retried only when this operation is idempotent (``_RULES.idempotent``: else it may have been
            processed). Also an ``httpx.TimeoutException``.
        exceptions.MeduxConnectionError: If the connection fails (retried first when it failed before
            sending, or whenever this operation is idempotent). Also an ``httpx.TransportError``.

    Returns:
        ListAvatarsResult: the success envelope, with the members its success carries set.
    """

    answer = await _send_async(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _outcome(client, answer)


async def asyncio_raw(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> RawResponse[ListAvatarsResult]:
    """The HTTP response (status, headers) whatever the outcome; ``.parse()`` returns or raises as ``asyncio``."""
    answer = await _send_async(
        client=client,
        cursor=cursor,
        limit=limit,
        max_retries=max_retries,
        timeout=timeout,
    )
    return RawResponse(answer.response, partial(_outcome, client, answer))
