"""A sustained mix of hostile peers and normal clients against one HTTP server on 127.0.0.1.

``run_mix(port, requests, mix)`` keeps, for ``mix.duration_s`` seconds, a set number of peers of
each kind busy (each reconnects when the server closes on it), and normal keep-alive clients
sending ``requests`` in turn, checking each answer. It returns what each kind achieved, so a soak
can show that the server stayed available while its memory and descriptors stayed flat. Everything
is bounded: the peer counts, the duration, and a deadline on every wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from medux_contract.testing.raw import split_responses

WAIT_SECONDS = 30.0  # no single wait of a peer lasts longer than this
UPGRADE_H2C = b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAA\r\n"


@dataclass(frozen=True)
class HostileMix:
    """How many peers of each kind run at once, and for how long."""

    duration_s: float = 20.0
    slow_headers: int = 40  # drip the headers a byte at a time
    stalled_bodies: int = 40  # send the headers and half the body, then nothing
    silent: int = 80  # connect and send nothing
    header_floods: int = 4  # a header value that never ends
    upgrades: int = 4  # Upgrade: h2c with a request pipelined behind it
    resets: int = 4  # reset the connection in the middle of the body
    normal: int = 4  # keep-alive clients sending the normal requests


@dataclass
class MixResult:
    """What each kind of peer did; ``normal_latencies_ms`` are the normal requests' round trips."""

    connections: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)  # "<kind> <status>"
    normal_ok: int = 0
    normal_failed: int = 0
    normal_latencies_ms: list[float] = field(default_factory=list)


async def _read_until_closed(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    with contextlib.suppress(ConnectionError, TimeoutError):
        async with asyncio.timeout(WAIT_SECONDS):
            while chunk := await reader.read(65536):
                chunks.append(chunk)
    return b"".join(chunks)


async def _collect(reader: asyncio.StreamReader, sink: bytearray) -> None:
    """Read into ``sink`` until the server closes, so a writing peer sees an answer as it comes."""
    with contextlib.suppress(ConnectionError, TimeoutError):
        async with asyncio.timeout(WAIT_SECONDS):
            while chunk := await reader.read(65536):
                sink += chunk


def _status(data: bytes) -> str:
    responses = split_responses(data)
    return ",".join(str(response.status) for response in responses) or "closed"


class _Peers:
    def __init__(
        self, port: int, requests: Sequence[bytes], deadline: float, result: MixResult, success: bytes
    ) -> None:
        self.port = port
        self.requests = requests
        self.success = success
        self.deadline = deadline
        self.result = result

    async def repeat(self, kind: str, once: Callable[[], Awaitable[str]]) -> None:
        while time.monotonic() < self.deadline:
            self.result.connections[kind] += 1
            try:
                outcome = await once()
            except (ConnectionError, OSError, TimeoutError):
                outcome = "error"
            self.result.answers[f"{kind} {outcome}"] += 1

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def slow_headers(self) -> str:
        reader, writer = await self._open()
        answer = bytearray()
        reading = asyncio.ensure_future(_collect(reader, answer))
        try:
            for byte in self.requests[0]:
                if answer or reading.done() or writer.is_closing():
                    break
                writer.write(bytes([byte]))
                await asyncio.sleep(0.1)
            await reading
            return _status(bytes(answer))
        finally:
            reading.cancel()
            writer.close()

    async def stalled_body(self) -> str:
        reader, writer = await self._open()
        try:
            request = self.requests[0]
            writer.write(request[: len(request) - 8])
            return _status(await _read_until_closed(reader))
        finally:
            writer.close()

    async def silent(self) -> str:
        reader, writer = await self._open()
        try:
            return _status(await _read_until_closed(reader))
        finally:
            writer.close()

    async def header_flood(self) -> str:
        reader, writer = await self._open()
        answer = bytearray()
        reading = asyncio.ensure_future(_collect(reader, answer))
        try:
            writer.write(self.requests[0].partition(b"\r\n")[0] + b"\r\nX-Flood: ")
            with contextlib.suppress(ConnectionError):
                for _ in range(64):  # at most 4 MiB per connection
                    if answer or reading.done():
                        break
                    writer.write(b"f" * 65536)
                    await writer.drain()
            await reading
            return _status(bytes(answer))
        finally:
            reading.cancel()
            writer.close()

    async def upgrade(self) -> str:
        reader, writer = await self._open()
        try:
            first = self.requests[0].replace(b"\r\n", b"\r\n" + UPGRADE_H2C, 1)
            last = self.requests[-1].replace(b"\r\n", b"\r\nConnection: close\r\n", 1)
            writer.write(first + last)
            return _status(await _read_until_closed(reader))
        finally:
            writer.close()

    async def reset(self) -> str:
        _, writer = await self._open()
        request = self.requests[0]
        writer.write(request[: len(request) - 4])
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return "reset"

    async def normal(self) -> None:
        reader, writer = await self._open()
        index = 0
        try:
            while time.monotonic() < self.deadline:
                request = self.requests[index % len(self.requests)]
                index += 1
                started = time.perf_counter()
                writer.write(request)
                ok = await self._one_answer(reader, self.success)
                if ok:
                    self.result.normal_ok += 1
                    self.result.normal_latencies_ms.append((time.perf_counter() - started) * 1000)
                else:
                    self.result.normal_failed += 1
                    writer.close()
                    reader, writer = await self._open()
        finally:
            writer.close()

    @staticmethod
    async def _one_answer(reader: asyncio.StreamReader, success: bytes) -> bool:
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError, StopIteration):
            return False
        return head.startswith(b"HTTP/1.1 200 ") and body.startswith(success)


async def _run(port: int, requests: Sequence[bytes], mix: HostileMix, success: bytes) -> MixResult:
    result = MixResult()
    peers = _Peers(port, requests, time.monotonic() + mix.duration_s, result, success)
    kinds: list[tuple[str, int, Callable[[], Awaitable[str]]]] = [
        ("slow_headers", mix.slow_headers, peers.slow_headers),
        ("stalled_body", mix.stalled_bodies, peers.stalled_body),
        ("silent", mix.silent, peers.silent),
        ("header_flood", mix.header_floods, peers.header_flood),
        ("upgrade", mix.upgrades, peers.upgrade),
        ("reset", mix.resets, peers.reset),
    ]
    tasks = [peers.repeat(kind, once) for kind, count, once in kinds for _ in range(count)]
    tasks += [peers.normal() for _ in range(mix.normal)]
    await asyncio.gather(*tasks)
    return result


def run_mix(
    port: int, requests: Sequence[bytes], mix: HostileMix, *, success: bytes = b'{"code":0,'
) -> MixResult:
    """Run ``mix`` against the server on 127.0.0.1:``port``. ``requests`` are complete keep-alive
    requests, each answered with HTTP 200 and a body that starts with ``success``; the first must
    carry a body (the stalled and reset peers cut it), the last is sent behind the Upgrade request."""
    return asyncio.run(_run(port, requests, mix, success))
