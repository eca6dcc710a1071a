"""A fault-injecting TCP proxy on 127.0.0.1, to put network faults between any client and server.

``with FaultProxy(upstream_port, to_server=Fault(...), to_client=Fault(...)) as proxy:`` listens on
``proxy.port`` and relays each connection to the upstream, doing to each direction what its
:class:`Fault` says: drip the bytes slowly, stall after some bytes, close or reset mid-stream. It
runs its own event loop in a thread, so sync and async clients alike can go through it, and it
records each connection (:class:`Exchange`) so a test can tell who closed first, and when. Every
connection is bounded by ``Fault`` values the caller chose, and ``__exit__`` stops them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

READ_BYTES = 65536
CAPTURE_LIMIT = 1 << 20  # bytes of each direction kept on the Exchange
STOP_DEADLINE_SECONDS = 10.0


@dataclass(frozen=True)
class Fault:
    """What the proxy does to the bytes of one direction (the defaults relay them untouched).

    chunk_bytes / chunk_delay: forward in pieces of ``chunk_bytes``, waiting ``chunk_delay``
        seconds before each (a slow peer, or a slow network).
    stall_after: forward this many bytes, then hold the rest, and the sender's close, while keeping
        the connection open.
    close_after: forward this many bytes, then close both sides (FIN).
    reset_after: forward this many bytes, then reset both sides (RST).
    """

    chunk_bytes: int | None = None
    chunk_delay: float = 0.0
    stall_after: int | None = None
    close_after: int | None = None
    reset_after: int | None = None


NO_FAULT = Fault()


@dataclass
class Exchange:
    """One relayed connection, as the proxy saw it. Times are seconds since it was accepted."""

    to_server: bytearray = field(default_factory=bytearray)
    to_client: bytearray = field(default_factory=bytearray)
    client_closed_after: float | None = None
    server_closed_after: float | None = None
    cut_by_proxy: bool = False
    opened: float = field(default_factory=time.monotonic)

    def since_open(self) -> float:
        return time.monotonic() - self.opened


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        *,
        to_server: Fault = NO_FAULT,
        to_client: Fault = NO_FAULT,
        upstream_host: str = "127.0.0.1",
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.to_server = to_server
        self.to_client = to_client
        self.exchanges: list[Exchange] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        started.result(STOP_DEADLINE_SECONDS)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        stopped = asyncio.run_coroutine_threadsafe(self._stop(), self._loop)
        stopped.result(STOP_DEADLINE_SECONDS)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_DEADLINE_SECONDS)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accepted, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        exchange = Exchange()
        self.exchanges.append(exchange)
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            self._tasks.discard(task)
            return
        writers = (writer, server_writer)
        upstream = _Relay(reader, server_writer, self.to_server, exchange, exchange.to_server, writers)
        downstream = _Relay(server_reader, writer, self.to_client, exchange, exchange.to_client, writers)
        try:
            await asyncio.gather(upstream.run(from_client=True), downstream.run(from_client=False))
        except asyncio.CancelledError:
            pass  # the proxy is stopping; ending quietly keeps asyncio from logging the cancel
        finally:
            for each in writers:
                each.close()
            self._tasks.discard(task)


@dataclass
class _Relay:
    """One direction of one connection, with its fault."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    fault: Fault
    exchange: Exchange
    capture: bytearray
    writers: tuple[asyncio.StreamWriter, asyncio.StreamWriter]
    forwarded: int = 0

    async def run(self, *, from_client: bool) -> None:
        fault = self.fault
        limits = [n for n in (fault.stall_after, fault.close_after, fault.reset_after) if n is not None]
        budget = min(limits) if limits else None
        while data := await self._read():
            if budget is not None:
                data = data[: max(0, budget - self.forwarded)]
            await self._forward(data)
            if budget is not None and self.forwarded >= budget and self._cut():
                return
            # past a stall: keep reading (to see the peer close), forward nothing more
        closed = self.exchange.since_open()
        if from_client:
            self.exchange.client_closed_after = closed
        else:
            self.exchange.server_closed_after = closed
        stalled = fault.stall_after is not None and self.forwarded >= fault.stall_after
        if not stalled and not self.writer.is_closing():  # a stall holds the close back too
            with contextlib.suppress(OSError, RuntimeError):
                self.writer.write_eof()  # pass the half-close on, as TCP would

    async def _read(self) -> bytes:
        try:
            return await self.reader.read(READ_BYTES)
        except (ConnectionError, OSError):
            return b""

    async def _forward(self, data: bytes) -> None:
        step = self.fault.chunk_bytes or len(data) or 1
        for start in range(0, len(data), step):
            if self.fault.chunk_delay:
                await asyncio.sleep(self.fault.chunk_delay)
            if self.writer.is_closing():
                return
            piece = data[start : start + step]
            self.writer.write(piece)
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.drain()
            self.forwarded += len(piece)
            if len(self.capture) < CAPTURE_LIMIT:
                self.capture += piece[: CAPTURE_LIMIT - len(self.capture)]

    def _cut(self) -> bool:
        """Close or reset both sides if the fault says so now; False for a stall."""
        fault = self.fault
        if fault.close_after is not None and self.forwarded >= fault.close_after:
            close = _close
        elif fault.reset_after is not None and self.forwarded >= fault.reset_after:
            close = _reset
        else:
            return False
        self.exchange.cut_by_proxy = True
        for each in self.writers:
            close(each)
        return True


def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
