"""One HTTP exchange as the mock sees it, read straight from ASGI: the request and the answer.

No Starlette ``Request``/``Response`` on the hot path: building their header, query and response
objects cost the mock more per request than its own decisions. An :class:`Incoming` indexes the
scope's header list once and parses the query string only when an operation declares query
parameters; an :class:`Answer` is two ASGI messages. Header names are compared lower-case and
values decoded as latin-1, as HTTP (and Starlette) does.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

MEDIA_TYPE = "application/json"
_JSON_HEADER = (b"content-type", MEDIA_TYPE.encode("ascii"))


class ClientDisconnected(Exception):
    """The peer went away (or the HTTP layer gave up on it) before the request body was read."""


class Incoming:
    """The request of one exchange: its headers and query values, and its body on demand."""

    __slots__ = ("_headers", "_query", "receive", "scope")

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.scope = scope
        self.receive = receive
        headers: dict[bytes, list[bytes]] = {}
        for name, value in scope["headers"]:
            # The HTTP layer hands names over lower-case; httpx's ASGI transport does too.
            found = headers.get(name)
            if found is None:
                headers[name] = [value]
            else:
                found.append(value)
        self._headers = headers
        self._query: dict[str, list[str]] | None = None

    def headers(self, name: bytes) -> list[str]:
        """Every value of header ``name`` (given lower-case), in the order sent."""
        values = self._headers.get(name)
        return [] if values is None else [value.decode("latin-1") for value in values]

    def header(self, name: bytes) -> str | None:
        """The first value of header ``name`` (given lower-case), or None."""
        values = self._headers.get(name)
        return None if values is None else values[0].decode("latin-1")

    def query(self, name: str) -> list[str]:
        """Every value of query parameter ``name``, percent-decoded, in the order sent."""
        if self._query is None:
            self._query = {}
            raw = self.scope.get("query_string", b"")
            for key, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True) if raw else ():
                self._query.setdefault(key, []).append(value)
        return self._query.get(name, [])

    async def body(self, max_bytes: int) -> bytes | None:
        """The whole body, or None as soon as it passes ``max_bytes`` (the rest is left unread)."""
        chunks = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class Answer(NamedTuple):
    """A whole JSON answer, ready to send as the two ASGI messages of a response (a named tuple:
    one is built per request, and a frozen dataclass takes twice as long to build)."""

    status: int
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()

    @classmethod
    def json(cls, status: int, body: bytes, extra: dict[str, str] | None = None) -> Answer:
        headers: tuple[tuple[bytes, bytes], ...] = (_JSON_HEADER, (b"content-length", b"%d" % len(body)))
        if extra:
            headers += tuple(
                (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in extra.items()
            )
        return cls(status, body, headers)

    async def send(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})
