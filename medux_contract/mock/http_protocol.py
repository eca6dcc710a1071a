"""uvicorn's httptools protocol, bounded against hostile peers, and answering in envelopes.

What uvicorn leaves open, this class closes (each bound is a :class:`MockSettings` field):

- time: a deadline to receive a request's headers (from the connection or the request's first
  byte) and another to receive its body. One timer per connection, re-armed per request phase,
  never per byte.
- size: bytes and fields of the header section (httptools buffers a header with no limit).
- connections: past ``max_connections`` the peer that has waited longest on its own request is
  evicted, so descriptors never run out and a normal client is still served.
- ``Upgrade``: the mock speaks HTTP/1.1 only, so a request asking to switch protocols (``curl
  --http2`` sends ``Upgrade: h2c``) is served as plain HTTP/1.1: its body is read, and a request
  pipelined behind it is answered.

At a bound, a peer that has begun a request the mock can still answer in order gets the code-12
envelope (408 for time, 431 for headers, as Node.js does) with ``Connection: close``; any other
peer (nothing sent yet, or an answer already under way) is closed without one, as nginx does. A
request too malformed to parse gets the envelope with 400.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Literal, cast

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from medux_contract.mock.exchange import MEDIA_TYPE
from medux_contract.mock.guard import LOGGER_NAME
from medux_contract.mock.request_input import shorten
from medux_contract.mock.service import (
    CODE_SCOPE_KEY,
    REASON_HEADER,
    REASON_SCOPE_KEY,
    STATUS_SCOPE_KEY,
    MockService,
)

logger = logging.getLogger(LOGGER_NAME)

# Connections the kernel queues for accepting. asyncio accepts up to this many at once, before any
# of them can evict another, so they are kept free of the connection cap too (128 was Linux's
# SOMAXCONN for decades; nginx asks for 511).
BACKLOG = 128
# Descriptors kept free for a burst of accepts, the listening socket, logs and the process itself.
DESCRIPTOR_RESERVE = 64 + BACKLOG
# After an envelope sent before the request was read whole, the mock reads and drops what the peer
# still sends for up to this long before closing: closing on unread bytes sends a TCP reset, which
# can destroy the envelope before the peer reads it (nginx's lingering_close; 5 s/30 s there).
LINGER_SECONDS = 2.0
STATUS_TEXT = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}

Phase = Literal["head", "body"]


class OneWritePerAnswer:
    """What a request's cycle writes through: the head of its answer is held until the body.

    uvicorn writes the status line and headers of an answer, then its body, in two transport
    writes: two ``send()`` calls and, on loopback, two deliveries to the peer, which may have to be
    woken for each. Holding the head until the body's first write (the mock's answers are whole, so
    it comes in the same task step) sends an answer in one. Any other write (``100 Continue``, the
    head of a ``HEAD`` answer, which has no body) goes at once; closing sends a held head first.
    """

    __slots__ = ("_cycle", "_head", "_transport")

    def __init__(self, transport: asyncio.Transport, cycle: RequestResponseCycle) -> None:
        self._transport = transport
        self._cycle = cycle
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._head is not None:
            data, self._head = self._head + data, None
        elif self._holds(data):
            self._head = data
            return
        self._transport.write(data)

    def _holds(self, data: bytes) -> bool:
        """Whether ``data`` is the head of an answer whose body is still to be written."""
        cycle = self._cycle
        return (
            cycle.response_started
            and not cycle.response_complete
            and cycle.scope["method"] != "HEAD"  # uvicorn writes no body for HEAD
            and data.startswith(b"HTTP/")
        )

    def close(self) -> None:
        if self._head is not None:  # an answer cut short: its head still goes first
            self._transport.write(self._head)
            self._head = None
        self._transport.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered so that the connections fit under the process's descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - DESCRIPTOR_RESERVE))


def mock_protocol(service: MockService) -> type[HttpToolsProtocol]:
    """The protocol class that serves ``service`` under its settings' bounds."""
    settings = service.settings
    envelope = service.invalid_input.body
    code = service.invalid_input.code.code
    redact = service.redact
    max_connections = connection_cap(settings.max_connections)

    class BoundedEnvelopeProtocol(HttpToolsProtocol):
        _timer: asyncio.TimerHandle | None = None
        _timer_phase: Phase | None = None
        # Loop time the current request's head began (or the connection), its header deadline
        # counts from there; 0 until a deadline is needed, so idle connections are evicted first.
        _head_started = 0.0
        _body_started = 0.0  # loop time its headers ended (0 until needed)
        _phase: Phase = "head"
        _begun = False  # a byte of the current request arrived
        _head_bytes = 0  # received while the headers were incomplete (httptools' buffer is unseen)
        _head_size = 0  # of the URL and header fields parsed, for a head that arrived whole
        _header_count = 0
        _plain_upgrade: bytes | None = None  # the body framing of an Upgrade request served as HTTP/1.1
        _muted = False
        _refused: str | None = None  # why a parser callback stopped the parse (httptools wraps its error)
        _lingering = False  # answered and closing: what arrives now is read and dropped

        # -- connection life ---------------------------------------------------------------

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._head_started = self.loop.time()
            self._arm("head")
            if len(self.connections) > max_connections:
                self._evict_one()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _evict_one(self) -> None:
            """Close the connection that has waited longest on its peer (this new one if none)."""
            waiting = [c for c in self.connections if isinstance(c, BoundedEnvelopeProtocol) and c._waiting()]
            victim = min(waiting, key=lambda c: c._head_started, default=self)
            # No lingering close here: the point is to free the descriptor now.
            victim._give_up(
                408, "evicted: the mock is at max_connections and this request waited longest", linger=False
            )

        def _waiting(self) -> bool:
            """Waiting on the peer, not on the mock: no answer is under way."""
            if self.transport.is_closing():
                return False  # its descriptor is freed on the loop's next turn
            if self._lingering:
                return True  # already answered: the first to go (its clock stamp is the oldest)
            if self._phase == "body":  # a queued pipelined request waits on the one before it
                return not self.pipeline and not self.cycle.response_started
            return not self.pipeline and (self.cycle is None or self.cycle.response_complete)

        # -- the deadline ------------------------------------------------------------------

        def _arm(self, phase: Phase) -> None:
            # Stamped here, not per request: a request read whole never needs the clock.
            self._disarm()
            if phase == "head":
                self._head_started = self._head_started or self.loop.time()
                deadline = self._head_started + settings.header_timeout
            else:
                self._body_started = self._body_started or self.loop.time()
                deadline = self._body_started + settings.body_timeout
            self._timer = self.loop.call_at(deadline, self._expired)
            self._timer_phase = phase

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = self._timer_phase = None

        def _watch(self) -> None:
            """Keep a deadline only while the mock waits on the peer's unfinished request: a
            request that arrives whole in one read costs no timer."""
            if self._lingering:
                return  # its only timer now is the one that closes it
            if self._phase == "body":
                wanted: Phase | None = "body"
            elif self._begun or self._head_bytes:
                wanted = "head"
            else:
                wanted = None
            if wanted is None:
                self._disarm()
            elif wanted != self._timer_phase and not self.transport.is_closing():
                self._arm(wanted)

        def _expired(self) -> None:
            self._timer = self._timer_phase = None
            if self._phase == "body":
                self._give_up(408, f"request body not received within {settings.body_timeout:g} s")
            else:
                self._give_up(408, f"request headers not received within {settings.header_timeout:g} s")

        def timeout_keep_alive_handler(self) -> None:
            self._give_up(408, f"idle for {settings.keep_alive_timeout:g} s")

        # -- reading -----------------------------------------------------------------------

        def data_received(self, data: bytes) -> None:
            if self._lingering:
                return
            self._unset_keepalive_if_required()
            if self._phase == "head":
                # Counted before parsing: httptools keeps a header it has not finished without limit.
                self._head_bytes += len(data)
            try:
                self._feed(data)
            except httptools.HttpParserError:
                if self._refused is not None:
                    self._give_up(431, self._refused)
                    return
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
                return
            if self._phase == "head" and self._head_bytes > settings.max_header_bytes:
                self._give_up(431, f"request line and headers exceed {settings.max_header_bytes} bytes")
                return
            self._watch()

        def _feed(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade as upgrade:
                # llhttp stops at the end of the headers of a request asking for another protocol.
                # Serve it as HTTP/1.1: a fresh parser reads its body (announced by the same
                # framing, with the callbacks of that made-up head muted), then what follows.
                rest = data[upgrade.args[0] :]
                framing, self._plain_upgrade = self._plain_upgrade, None
                self.parser = httptools.HttpRequestParser(self)
                self.parser.set_dangerous_leniencies(lenient_data_after_close=True)
                if framing:
                    self._muted = True
                    try:
                        self.parser.feed_data(b"POST / HTTP/1.1\r\n" + framing + b"\r\n")
                    finally:
                        self._muted = False
                if rest:
                    self._feed(rest)

        # -- parser callbacks --------------------------------------------------------------

        def on_message_begin(self) -> None:
            if self._muted:
                return
            self._begun = True
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            if not self._muted:
                self._head_size += len(url)
                self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            if self._muted:
                return
            self._header_count += 1
            self._head_size += len(name) + len(value) + 4  # ": " and CRLF
            if self._header_count > settings.max_header_count:
                self._refuse(f"more than {settings.max_header_count} header fields")
            # uvicorn's on_header, inlined: it runs for every header of every request.
            name = name.lower()
            if name == b"expect" and value.lower() == b"100-continue":
                self.expect_100_continue = True
            self.headers.append((name, value))

        def _refuse(self, reason: str) -> None:
            self._refused = reason
            raise ValueError(reason)  # stops the parser; data_received answers 431

        def on_headers_complete(self) -> None:
            if self._muted:
                return
            if self._head_size > settings.max_header_bytes:
                self._refuse(f"request line and headers exceed {settings.max_header_bytes} bytes")
            if self.parser.should_upgrade():
                self._plain_upgrade = self._framing()
            super().on_headers_complete()
            self.cycle.transport = OneWritePerAnswer(self.transport, self.cycle)  # type: ignore[assignment]
            self._phase = "body"  # once the request's cycle exists (an unreadable URL raises first)

        def _framing(self) -> bytes:
            """The header that announces this request's body, for the parser that will read it."""
            for name, value in self.headers:
                if name == b"content-length":
                    return b"content-length: " + value + b"\r\n"
                if name == b"transfer-encoding":
                    return b"transfer-encoding: " + value + b"\r\n"
            return b""

        def on_message_complete(self) -> None:
            if self._plain_upgrade:
                return  # llhttp ends an Upgrade request at its headers: its body is still to come
            self._phase = "head"
            self._begun = False
            self._head_bytes = self._head_size = self._header_count = 0
            self._head_started = self._body_started = 0.0
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self._begun:
                # The next request has begun: its header deadline governs, not the idle one.
                self._unset_keepalive_if_required()
                self._watch()

        # -- giving up -----------------------------------------------------------------------

        def _give_up(self, status: int, reason: str, *, linger: bool = True) -> None:
            """Stop serving this connection: the envelope first when HTTP allows an answer."""
            self._disarm()
            if self.transport.is_closing():
                return
            if self._lingering:
                self.transport.close()
                return
            answerable = self._waiting() and (self._begun or self._phase == "body")
            cycle = self.cycle if self._phase == "body" else None
            if cycle is not None:
                # The app is still reading this body: it gets a disconnect and sends nothing more.
                scope = cast("dict[str, object]", cycle.scope)  # the guard logs what it finds here
                scope[REASON_SCOPE_KEY] = reason
                if answerable:
                    scope[CODE_SCOPE_KEY] = code
                    scope[STATUS_SCOPE_KEY] = status
                cycle.disconnected = True
                cycle.message_event.set()
            elif self._begun and logger.isEnabledFor(logging.INFO):
                # The request never reached the app, whose guard logs every other request.
                url = shorten(redact(self.url.decode("latin-1"))) if self.url else "-"
                answered = status if answerable else "-"
                logger.info("- %s code=%s status=%s key=- reason=%s", url, code, answered, reason)
            if answerable:
                self._write_envelope(status, reason)
            if answerable and linger:
                self._linger()
            else:
                self.transport.close()

        def _write_envelope(self, status: int, reason: str) -> None:
            head = [b"HTTP/1.1 %d %s\r\n" % (status, STATUS_TEXT[status])]
            for name, value in self.server_state.default_headers:
                head += [name, b": ", value, b"\r\n"]
            head += [
                b"content-type: " + MEDIA_TYPE.encode() + b"\r\n",
                b"content-length: " + str(len(envelope)).encode() + b"\r\n",
                REASON_HEADER.lower().encode() + b": " + shorten(redact(reason)).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
                envelope,
            ]
            self.transport.write(b"".join(head))

        def send_400_response(self, msg: str) -> None:
            self._disarm()
            self._write_envelope(400, msg)
            self._linger()

        def _linger(self) -> None:
            """Send the envelope and FIN, then drop what the peer still sends until it closes too,
            or ``LINGER_SECONDS`` pass."""
            self._lingering = True
            self._head_started = 0.0
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self._timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    return BoundedEnvelopeProtocol
