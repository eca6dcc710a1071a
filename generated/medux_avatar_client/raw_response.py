"""The HTTP response of a call, with its typed outcome one ``parse()`` away.

``Medux(...).with_raw_response.<resource>.<operation>(...)`` (and each endpoint's ``sync_raw`` /
``asyncio_raw``) return a :class:`RawResponse`: status and headers are readable whatever the answer,
and ``parse()`` gives exactly what the plain call would have given, the typed result or the typed
error (``MeduxError`` subclasses), from the body decoded once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


class RawResponse(Generic[T]):
    """One answer of the API: ``status_code``, ``headers``, ``content``; ``parse()`` raises or returns."""

    __slots__ = ("_parse", "http_response")

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = parse

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def parse(self) -> T:
        """The typed success, or raise the typed error of this answer (as the plain call does)."""
        return self._parse()

    def __repr__(self) -> str:
        # The request's headers (the API key) are never part of it.
        request = self.http_response.request
        return f"<RawResponse [{self.status_code}] {request.method} {request.url}>"


__all__ = ["RawResponse"]
