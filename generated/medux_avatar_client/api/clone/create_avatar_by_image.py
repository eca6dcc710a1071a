from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.create_avatar_by_image_request import CreateAvatarByImageRequest
from ...models.create_avatar_by_image_response import CreateAvatarByImageResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateAvatarByImageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/app/v1/clone/avatar/by_image",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreateAvatarByImageResponse:
    if response.status_code == 200:
        response_200 = CreateAvatarByImageResponse.from_dict(response.json())

        return response_200

    response_default = CreateAvatarByImageResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateAvatarByImageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateAvatarByImageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
) -> CreateAvatarByImageResponse | None:
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateAvatarByImageResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateAvatarByImageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateAvatarByImageRequest,
) -> CreateAvatarByImageResponse | None:
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateAvatarByImageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
