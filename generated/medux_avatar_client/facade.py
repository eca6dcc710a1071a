"""The resource-style client: ``Medux`` and ``AsyncMedux``, one resource per tag and one method per operation.

Do not edit: ``make generate`` renders this module from openapi.yaml (medux_contract/generation/
facade_methods.py). Each method calls its operation's module function (``api.<tag>.<operation>``, the
lower layer), so it retries, raises and returns exactly as that function does::

    from medux_avatar_client import Medux

    with Medux() as client:  # key from MEDUX_API_KEY, base URL from MEDUX_BASE_URL (else https://api.medux.io)
        result = client.clone.create_avatar_by_image(file_id="FILE_ID", title="Portrait")
        print(result.data.asset.avatar_asset_id)
        raw = client.with_raw_response.clone.create_avatar_by_image(file_id="FILE_ID")
        print(raw.status_code, raw.headers.get("retry-after"), raw.parse().data.asset)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import httpx

from .api.clone import create_avatar_by_image, list_avatars
from .client import DEFAULT_MAX_RETRIES, AuthenticatedClient
from .configuration import api_key_from, base_url_from, redact, setup_logging
from .models import CreateAvatarByImageRequest
from .raw_response import RawResponse
from .results import CreateAvatarByImageResult, ListAvatarsResult
from .retries import RetryPolicy
from .types import UNSET, Unset

# The first server of the spec (its production API).
DEFAULT_BASE_URL = "https://api.medux.io"


class _Options:
    """What a client's methods share: the lower-layer client and the per-call defaults of ``with_options``."""

    __slots__ = ("api_client", "base_url", "max_retries", "timeout")

    def __init__(
        self,
        api_client: AuthenticatedClient,
        base_url: str,
        timeout: httpx.Timeout | float | None | Unset,
        max_retries: int | None,
    ) -> None:
        if max_retries is not None and max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self.api_client = api_client
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries


def _api_client(
    api_key: str | None,
    base_url: str | None,
    timeout: httpx.Timeout | float | None | Unset,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    headers: Mapping[str, str] | None,
    httpx_args: Mapping[str, Any] | None,
) -> tuple[AuthenticatedClient, str]:
    setup_logging()
    key = api_key_from(api_key)
    redact(key)  # never through the MEDUX_LOG handler, should anything echo it
    options: dict[str, Any] = {"max_retries": max_retries, "headers": dict(headers or {})}
    if not isinstance(timeout, Unset):
        options["timeout"] = None if timeout is None else httpx.Timeout(timeout)
    if retry_policy is not None:
        options["retry_policy"] = retry_policy
    if httpx_args:
        options["httpx_args"] = dict(httpx_args)
    url = base_url_from(base_url, DEFAULT_BASE_URL)
    return AuthenticatedClient(base_url=url, token=key, **options), url


class CloneResource:
    """The ``clone`` operations."""

    __slots__ = ("_options",)

    def __init__(self, options: _Options) -> None:
        self._options = options

    def create_avatar_by_image(
        self,
        *,
        file_id: str,
        title: str | Unset = UNSET,
        model_id: str | Unset = "avatar-image-clone-standard",
        extra_body: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> CreateAvatarByImageResult:
        """Create Avatar by Image (createAvatarByImage): the typed success, or the typed error raised.

        The body is built from the fields of CreateAvatarByImageRequest (``extra_body``: members it does not name).
        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        body = CreateAvatarByImageRequest(
            file_id=file_id,
            title=title,
            model_id=model_id,
        )
        if extra_body:
            body.additional_properties.update(extra_body)
        options = self._options
        return create_avatar_by_image.sync(
            client=options.api_client,
            body=body,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )

    def list_avatars(
        self,
        *,
        cursor: str | Unset = UNSET,
        limit: int | Unset = 20,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> ListAvatarsResult:
        """List Avatars (listAvatars): the typed success, or the typed error raised.

        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        options = self._options
        return list_avatars.sync(
            client=options.api_client,
            cursor=cursor,
            limit=limit,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )


class CloneResourceWithRawResponse:
    """The ``clone`` operations, answering with raw responses."""

    __slots__ = ("_options",)

    def __init__(self, options: _Options) -> None:
        self._options = options

    def create_avatar_by_image(
        self,
        *,
        file_id: str,
        title: str | Unset = UNSET,
        model_id: str | Unset = "avatar-image-clone-standard",
        extra_body: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[CreateAvatarByImageResult]:
        """Create Avatar by Image (createAvatarByImage): the HTTP response; ``parse()`` returns or raises.

        The body is built from the fields of CreateAvatarByImageRequest (``extra_body``: members it does not name).
        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        body = CreateAvatarByImageRequest(
            file_id=file_id,
            title=title,
            model_id=model_id,
        )
        if extra_body:
            body.additional_properties.update(extra_body)
        options = self._options
        return create_avatar_by_image.sync_raw(
            client=options.api_client,
            body=body,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )

    def list_avatars(
        self,
        *,
        cursor: str | Unset = UNSET,
        limit: int | Unset = 20,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[ListAvatarsResult]:
        """List Avatars (listAvatars): the HTTP response; ``parse()`` returns or raises.

        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        options = self._options
        return list_avatars.sync_raw(
            client=options.api_client,
            cursor=cursor,
            limit=limit,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )


class MeduxWithRawResponse:
    """Every resource of the API, answering with raw responses."""

    __slots__ = ("clone",)

    def __init__(self, options: _Options) -> None:
        self.clone = CloneResourceWithRawResponse(options)


class AsyncCloneResource:
    """The ``clone`` operations (async)."""

    __slots__ = ("_options",)

    def __init__(self, options: _Options) -> None:
        self._options = options

    async def create_avatar_by_image(
        self,
        *,
        file_id: str,
        title: str | Unset = UNSET,
        model_id: str | Unset = "avatar-image-clone-standard",
        extra_body: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> CreateAvatarByImageResult:
        """Create Avatar by Image (createAvatarByImage): the typed success, or the typed error raised.

        The body is built from the fields of CreateAvatarByImageRequest (``extra_body``: members it does not name).
        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        body = CreateAvatarByImageRequest(
            file_id=file_id,
            title=title,
            model_id=model_id,
        )
        if extra_body:
            body.additional_properties.update(extra_body)
        options = self._options
        return await create_avatar_by_image.asyncio(
            client=options.api_client,
            body=body,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )

    async def list_avatars(
        self,
        *,
        cursor: str | Unset = UNSET,
        limit: int | Unset = 20,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> ListAvatarsResult:
        """List Avatars (listAvatars): the typed success, or the typed error raised.

        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        options = self._options
        return await list_avatars.asyncio(
            client=options.api_client,
            cursor=cursor,
            limit=limit,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )


class AsyncCloneResourceWithRawResponse:
    """The ``clone`` operations (async), answering with raw responses."""

    __slots__ = ("_options",)

    def __init__(self, options: _Options) -> None:
        self._options = options

    async def create_avatar_by_image(
        self,
        *,
        file_id: str,
        title: str | Unset = UNSET,
        model_id: str | Unset = "avatar-image-clone-standard",
        extra_body: Mapping[str, Any] | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[CreateAvatarByImageResult]:
        """Create Avatar by Image (createAvatarByImage): the HTTP response; ``parse()`` returns or raises.

        The body is built from the fields of CreateAvatarByImageRequest (``extra_body``: members it does not name).
        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        body = CreateAvatarByImageRequest(
            file_id=file_id,
            title=title,
            model_id=model_id,
        )
        if extra_body:
            body.additional_properties.update(extra_body)
        options = self._options
        return await create_avatar_by_image.asyncio_raw(
            client=options.api_client,
            body=body,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )

    async def list_avatars(
        self,
        *,
        cursor: str | Unset = UNSET,
        limit: int | Unset = 20,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[ListAvatarsResult]:
        """List Avatars (listAvatars): the HTTP response; ``parse()`` returns or raises.

        ``timeout`` and ``max_retries`` apply to this call only (default: the client's).
        """

        options = self._options
        return await list_avatars.asyncio_raw(
            client=options.api_client,
            cursor=cursor,
            limit=limit,
            timeout=options.timeout if isinstance(timeout, Unset) else timeout,
            max_retries=options.max_retries if max_retries is None else max_retries,
        )


class AsyncMeduxWithRawResponse:
    """Every resource of the API (async), answering with raw responses."""

    __slots__ = ("clone",)

    def __init__(self, options: _Options) -> None:
        self.clone = AsyncCloneResourceWithRawResponse(options)


class Medux:
    """The Medux API: ``client.<resource>.<operation>(...)`` for every operation of the spec.

    Args:
        api_key: the API key; default ``MEDUX_API_KEY`` (``MissingApiKeyError`` when neither is set).
            Sent as ``Authorization: Bearer <key>``; never shown in a repr, an error or a log record.
        base_url: default ``MEDUX_BASE_URL``, else ``DEFAULT_BASE_URL``.
        timeout: seconds or an ``httpx.Timeout`` for every call (default 60 s, 10 s to connect).
        max_retries: retries where a retry is safe (default 2; see ``retries``).
        retry_policy, headers, httpx_args: as ``AuthenticatedClient`` takes them (``httpx_args``
            reaches the ``httpx`` client: a ``transport``, ``proxy``...).

    ``MEDUX_LOG=info`` (retries, one line per HTTP request) or ``debug`` (also each answer's code)
    logs to stderr. ``with_options(timeout=..., max_retries=...)`` gives a client with other per-call
    defaults sharing this one's connections; ``with_raw_response.<resource>.<operation>(...)`` gives
    the HTTP response (``status_code``, ``headers``) whose ``parse()`` returns or raises as the call
    would; ``api_client`` is the lower layer's ``AuthenticatedClient`` (for ``api.*`` and
    ``pagination``). Use it as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        api_client, url = _api_client(api_key, base_url, timeout, max_retries, retry_policy, headers, httpx_args)
        self._bind(_Options(api_client, url, UNSET, None))

    def _bind(self, options: _Options) -> None:
        self._options = options
        self.clone = CloneResource(options)
        self.with_raw_response = MeduxWithRawResponse(options)

    @property
    def api_client(self) -> AuthenticatedClient:
        return self._options.api_client

    def with_options(
        self, *, timeout: httpx.Timeout | float | None | Unset = UNSET, max_retries: int | None = None
    ) -> Self:
        """This client with other per-call defaults (the same key, base URL and connections)."""
        current = self._options
        copy = object.__new__(type(self))
        copy._bind(
            _Options(
                current.api_client,
                current.base_url,
                current.timeout if isinstance(timeout, Unset) else timeout,
                current.max_retries if max_retries is None else max_retries,
            )
        )
        return copy

    def close(self) -> None:
        """Close the connections (shared with every ``with_options`` copy)."""
        self._options.api_client.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        options = self._options
        return (
            f"{type(self).__name__}(base_url={options.base_url!r}, "
            f"timeout={options.timeout!r}, max_retries={options.max_retries!r})"
        )


class AsyncMedux:
    """The Medux API, for asyncio: ``client.<resource>.<operation>(...)`` for every operation of the spec.

    Args:
        api_key: the API key; default ``MEDUX_API_KEY`` (``MissingApiKeyError`` when neither is set).
            Sent as ``Authorization: Bearer <key>``; never shown in a repr, an error or a log record.
        base_url: default ``MEDUX_BASE_URL``, else ``DEFAULT_BASE_URL``.
        timeout: seconds or an ``httpx.Timeout`` for every call (default 60 s, 10 s to connect).
        max_retries: retries where a retry is safe (default 2; see ``retries``).
        retry_policy, headers, httpx_args: as ``AuthenticatedClient`` takes them (``httpx_args``
            reaches the ``httpx`` client: a ``transport``, ``proxy``...).

    ``MEDUX_LOG=info`` (retries, one line per HTTP request) or ``debug`` (also each answer's code)
    logs to stderr. ``with_options(timeout=..., max_retries=...)`` gives a client with other per-call
    defaults sharing this one's connections; ``with_raw_response.<resource>.<operation>(...)`` gives
    the HTTP response (``status_code``, ``headers``) whose ``parse()`` returns or raises as the call
    would; ``api_client`` is the lower layer's ``AuthenticatedClient`` (for ``api.*`` and
    ``pagination``). Use it as a async context manager, or call ``await close()``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        api_client, url = _api_client(api_key, base_url, timeout, max_retries, retry_policy, headers, httpx_args)
        self._bind(_Options(api_client, url, UNSET, None))

    def _bind(self, options: _Options) -> None:
        self._options = options
        self.clone = AsyncCloneResource(options)
        self.with_raw_response = AsyncMeduxWithRawResponse(options)

    @property
    def api_client(self) -> AuthenticatedClient:
        return self._options.api_client

    def with_options(
        self, *, timeout: httpx.Timeout | float | None | Unset = UNSET, max_retries: int | None = None
    ) -> Self:
        """This client with other per-call defaults (the same key, base URL and connections)."""
        current = self._options
        copy = object.__new__(type(self))
        copy._bind(
            _Options(
                current.api_client,
                current.base_url,
                current.timeout if isinstance(timeout, Unset) else timeout,
                current.max_retries if max_retries is None else max_retries,
            )
        )
        return copy

    async def close(self) -> None:
        """Close the connections (shared with every ``with_options`` copy)."""
        await self._options.api_client.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        options = self._options
        return (
            f"{type(self).__name__}(base_url={options.base_url!r}, "
            f"timeout={options.timeout!r}, max_retries={options.max_retries!r})"
        )


__all__ = [
    "Medux",
    "AsyncMedux",
    "DEFAULT_BASE_URL",
    "RawResponse",
]
