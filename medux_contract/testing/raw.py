"""Raw HTTP/1.1 over a socket: send exact bytes, read until the server closes or a deadline passes,
and split what came back into responses. For peers no HTTP client library would be."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What a server sent back on one connection."""

    data: bytes
    closed: bool  # the server closed the connection (as opposed to the deadline passing)
    seconds: float  # from the first byte sent to the close (or the deadline)

    def responses(self) -> list[RawResponse]:
        return split_responses(self.data)


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-case names; the last value of a repeated header
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def split_responses(data: bytes) -> list[RawResponse]:
    """The complete ``Content-Length`` responses in ``data``, in order (a partial one is dropped)."""
    responses = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        if not separator:
            break
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(rest) < length:
            break
        responses.append(RawResponse(int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def connect(port: int, host: str = "127.0.0.1", timeout: float = 10.0) -> socket.socket:
    return socket.create_connection((host, port), timeout=timeout)


def read_until_closed(connection: socket.socket, deadline_seconds: float) -> Reply:
    """Everything the server sends until it closes, or until ``deadline_seconds`` pass."""
    started = time.monotonic()
    chunks = []
    closed = False
    while (left := deadline_seconds - (time.monotonic() - started)) > 0:
        connection.settimeout(left)
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        chunks.append(chunk)
    return Reply(b"".join(chunks), closed, time.monotonic() - started)


def exchange(port: int, request: bytes, deadline_seconds: float = 10.0) -> Reply:
    """Send ``request`` on a new connection and read until the server closes it (or the deadline)."""
    with connect(port) as connection:
        connection.sendall(request)
        return read_until_closed(connection, deadline_seconds)


def request_bytes(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    host: str = "127.0.0.1",
) -> bytes:
    """An HTTP/1.1 request: ``Host`` first, then ``headers``; ``Content-Length`` when there is a body."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in pairs]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
