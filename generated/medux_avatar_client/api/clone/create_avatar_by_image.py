from functools import partial
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...decoding import DecodedResponse, json_value
from ...exceptions import MeduxError, connection_error, raise_for_outcome
from ...models.create_avatar_by_image_request import CreateAvatarByImageRequest
from ...models.create_avatar_by_image_response import CreateAvatarByImageResponse
from ...operations import OPERATIONS
from ...raw_response import RawResponse
from ...results import CreateAvatarByImageResult
from ...retries import send, send_async
from ...types import UNSET, Response, Unset, http_status

# What this operation may answer and when it may be repeated, from its x-medux-outcomes in the spec.
_RULES = OPERATIONS["create_avatar_by_image"]


def _get_kwargs(
    *,
    body: CreateAvatarByImageRequest,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/app/v1/clone/avatar/by_image",
    }

    _kwargs["json"] = body.to_dict()

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response, decoded: Any
) -> CreateAvatarByImageResponse:
    if response.status_code == 200:
        response_200 = CreateAvatarByImageResponse.from_dict(json_value(decoded))

        return response_200

    response_default = CreateAvatarByImageResponse.from_dict(json_value(decoded))

    return response_default


def _parse_readable(
    *, client: AuthenticatedClient | Client, response: httpx.Response, decoded: Any
) -> CreateAvatarByImageResponse | None:
    # A body that is not the JSON envelope (an HTML 502, an empty or truncated body) must not raise
    # ValueError & co. from the client: `parsed` stays None and the raising calls report it.
    try:
        return _parse_response(client=client, response=response, decoded=decoded)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, answer: DecodedResponse
) -> Response[CreateAvatarByImageResponse]:
    response = answer.response
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_readable(client=client, response=response, decoded=answer.decoded),
    )


def _outcome(client: AuthenticatedClient | Client, answer: DecodedResponse) -> CreateAvatarByImageResult:
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
    return cast(CreateAvatarByImageResult, envelope)


def _secrets(client: AuthenticatedClient | Client) -> tuple[str, ...]:
    # What the errors must never echo, should the server put it in a body.
    return (client.token,) if isinstance(client, AuthenticatedClient) and client.token else ()


def _send_sync(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None,
    timeout: httpx.Timeout | float | None | Unset,
) -> DecodedResponse:
    # What sync_detailed and sync share: sync also needs the decoded body, to raise or return from it.
    request = _get_kwargs(
        body=body,
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
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[CreateAvatarByImageResponse]:
    """Create Avatar by Image

     Create a reusable avatar asset from an uploaded image file.

    **Preconditions.** Requires a valid image `file_id` (a file uploaded to Medux
    beforehand). Use a clear portrait-style image for best results.

    **Authentication** is required via the `Authorization` header ("Bearer token or API
    key"); the vendor's example sends `Authorization: Bearer $MEDUX_API_KEY`.

    **Outcome.** The result is the JSON envelope's `code` (see `x-medux-codes`), not the HTTP
    status, which the vendor does not document. A successful call may cost credits.

    Args:
        body (CreateAvatarByImageRequest): The request body. `additionalProperties` is left open
            (true) on purpose: the vendor's own official sample sends `model_id`, a field absent from
            its body table, so the vendor demonstrably accepts fields beyond the ones it lists, and it
            never states that unknown fields are rejected. A closed schema would claim a rejection the
            vendor never documented.
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
        Response[CreateAvatarByImageResponse]: any outcome; ``parsed`` is None when the body is
            not a JSON envelope.
    """

    answer = _send_sync(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _build_response(client=client, answer=answer)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> CreateAvatarByImageResult:
    """Create Avatar by Image

     Create a reusable avatar asset from an uploaded image file.

    **Preconditions.** Requires a valid image `file_id` (a file uploaded to Medux
    beforehand). Use a clear portrait-style image for best results.

    **Authentication** is required via the `Authorization` header ("Bearer token or API
    key"); the vendor's example sends `Authorization: Bearer $MEDUX_API_KEY`.

    **Outcome.** The result is the JSON envelope's `code` (see `x-medux-codes`), not the HTTP
    status, which the vendor does not document. A successful call may cost credits.

    Args:
        body (CreateAvatarByImageRequest): The request body. `additionalProperties` is left open
            (true) on purpose: the vendor's own official sample sends `model_id`, a field absent from
            its body table, so the vendor demonstrably accepts fields beyond the ones it lists, and it
            never states that unknown fields are rejected. A closed schema would claim a rejection the
            vendor never documented.
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
        CreateAvatarByImageResult: the success envelope, with the members its success carries set.
    """

    answer = _send_sync(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _outcome(client, answer)


def sync_raw(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> RawResponse[CreateAvatarByImageResult]:
    """The HTTP response (status, headers) whatever the outcome; ``.parse()`` returns or raises as ``sync``."""
    answer = _send_sync(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return RawResponse(answer.response, partial(_outcome, client, answer))


async def _send_async(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None,
    timeout: httpx.Timeout | float | None | Unset,
) -> DecodedResponse:
    request = _get_kwargs(
        body=body,
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
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> Response[CreateAvatarByImageResponse]:
    """Create Avatar by Image

     Create a reusable avatar asset from an uploaded image file.

    **Preconditions.** Requires a valid image `file_id` (a file uploaded to Medux
    beforehand). Use a clear portrait-style image for best results.

    **Authentication** is required via the `Authorization` header ("Bearer token or API
    key"); the vendor's example sends `Authorization: Bearer $MEDUX_API_KEY`.

    **Outcome.** The result is the JSON envelope's `code` (see `x-medux-codes`), not the HTTP
    status, which the vendor does not document. A successful call may cost credits.

    Args:
        body (CreateAvatarByImageRequest): The request body. `additionalProperties` is left open
            (true) on purpose: the vendor's own official sample sends `model_id`, a field absent from
            its body table, so the vendor demonstrably accepts fields beyond the ones it lists, and it
            never states that unknown fields are rejected. A closed schema would claim a rejection the
            vendor never documented.
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
        Response[CreateAvatarByImageResponse]: any outcome; ``parsed`` is None when the body is
            not a JSON envelope.
    """

    answer = await _send_async(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _build_response(client=client, answer=answer)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> CreateAvatarByImageResult:
    """Create Avatar by Image

     Create a reusable avatar asset from an uploaded image file.

    **Preconditions.** Requires a valid image `file_id` (a file uploaded to Medux
    beforehand). Use a clear portrait-style image for best results.

    **Authentication** is required via the `Authorization` header ("Bearer token or API
    key"); the vendor's example sends `Authorization: Bearer $MEDUX_API_KEY`.

    **Outcome.** The result is the JSON envelope's `code` (see `x-medux-codes`), not the HTTP
    status, which the vendor does not document. A successful call may cost credits.

    Args:
        body (CreateAvatarByImageRequest): The request body. `additionalProperties` is left open
            (true) on purpose: the vendor's own official sample sends `model_id`, a field absent from
            its body table, so the vendor demonstrably accepts fields beyond the ones it lists, and it
            never states that unknown fields are rejected. A closed schema would claim a rejection the
            vendor never documented.
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
        CreateAvatarByImageResult: the success envelope, with the members its success carries set.
    """

    answer = await _send_async(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return _outcome(client, answer)


async def asyncio_raw(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
    max_retries: int | None = None,
    timeout: httpx.Timeout | float | None | Unset = UNSET,
) -> RawResponse[CreateAvatarByImageResult]:
    """The HTTP response (status, headers) whatever the outcome; ``.parse()`` returns or raises as ``asyncio``."""
    answer = await _send_async(
        client=client,
        body=body,
        max_retries=max_retries,
        timeout=timeout,
    )
    return RawResponse(answer.response, partial(_outcome, client, answer))
