"""A server that echoes the API key back cannot make the client's errors or logs carry it (item 6).

A small raw HTTP server on 127.0.0.1 reads each request and answers with bytes built around the key
it was sent: in a response header, in a header line no parser accepts, in the status line's reason
phrase. Whatever the client then raises, and whatever httpx and httpcore log at DEBUG, must not hold
the key: not in the message, the ``repr``, the attributes, the headers, the traceback, nor any
chained exception.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import traceback
from collections.abc import Callable, Iterator

import pytest
from medux_avatar_client import AuthenticatedClient, MeduxConnectionError, MeduxError

from contract_tests.test_client.support import (
    CANARY_KEY,
    CREATE_ENDPOINT,
    LIST_ENDPOINT,
    MODES,
    Endpoint,
    Mode,
)

WAIT_SECONDS = 10.0  # no read or accept of the echoing server waits longer
_AUTHORIZATION = re.compile(rb"^authorization: *bearer +(\S+)\r$", re.IGNORECASE | re.MULTILINE)
_LENGTH = re.compile(rb"^content-length: *(\d+)\r$", re.IGNORECASE | re.MULTILINE)
Answer = Callable[[str], bytes]  # the key the request carried -> the raw HTTP answer


def _envelope_answer(head: str, envelope: dict[str, object]) -> bytes:
    body = json.dumps(envelope).encode()
    return (
        f"{head}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = _LENGTH.search(head + b"\r\n")
    while length is not None and len(body) < int(length.group(1)):
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n"


@contextlib.contextmanager
def echoing_server(answer: Answer) -> Iterator[str]:
    """A base URL on 127.0.0.1 whose server answers every request with ``answer(its key)``."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(WAIT_SECONDS)
                with contextlib.suppress(OSError):
                    found = _AUTHORIZATION.search(_read_request(connection))
                    connection.sendall(answer(found.group(1).decode() if found else ""))

    thread = threading.Thread(target=serve, name="echoing-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(WAIT_SECONDS)
        listener.close()


def _everything_said_about(error: BaseException) -> str:
    parts = [
        repr(error),
        str(error),
        repr(error.args),
        repr(vars(error)),
        "".join(traceback.format_exception(error)),
    ]
    chained = error.__cause__ or error.__context__
    return "\n".join(parts) + ("\n" + _everything_said_about(chained) if chained is not None else "")


async def _call_failing(endpoint: Endpoint, mode: Mode, base_url: str) -> MeduxError:
    client = AuthenticatedClient(base_url=base_url, token=CANARY_KEY)
    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, client, max_retries=0, timeout=WAIT_SECONDS)
    return caught.value


ENDPOINTS = [pytest.param(CREATE_ENDPOINT, id="create"), pytest.param(LIST_ENDPOINT, id="list")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_key_echoed_in_a_response_header_is_not_in_the_error(endpoint: Endpoint, mode: Mode) -> None:
    def answer(key: str) -> bytes:
        head = f"HTTP/1.1 401 Unauthorized\r\nX-Seen-Authorization: Bearer {key}\r\nX-{key}: 1"
        return _envelope_answer(head, {"code": 13, "message": "unauthenticated"})

    with echoing_server(answer) as base_url:
        error = await _call_failing(endpoint, mode, base_url)

    assert error.code == 13
    assert error.headers["x-seen-authorization"] == "Bearer [redacted]"
    assert CANARY_KEY not in _everything_said_about(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_key_echoed_in_a_malformed_header_line_is_not_in_the_error(
    endpoint: Endpoint, mode: Mode
) -> None:
    # h11 quotes the line it refuses ("illegal header line: ...") in httpx's RemoteProtocolError.
    with echoing_server(lambda key: f"HTTP/1.1 200 OK\r\nBearer {key}\r\n\r\n".encode()) as base_url:
        error = await _call_failing(endpoint, mode, base_url)

    assert isinstance(error, MeduxConnectionError)
    assert error.kind == "RemoteProtocolError"
    assert "illegal header line" in error.detail  # the diagnosis stays, only the key is replaced
    assert error.__cause__ is None
    assert error.__context__ is None
    assert CANARY_KEY not in _everything_said_about(error)


@pytest.mark.parametrize("mode", MODES)
async def test_a_key_echoed_in_the_reason_phrase_is_not_in_any_log_record(
    mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx, httpcore, ours
    ok = {"code": 0, "message": "ok", "data": {"items": []}}
    with echoing_server(lambda key: _envelope_answer(f"HTTP/1.1 200 {key}", ok)) as base_url:
        client = AuthenticatedClient(base_url=base_url, token=CANARY_KEY)
        result = await LIST_ENDPOINT.call(mode, client, max_retries=0)

    assert result.code == 0
    assert any("HTTP Request" in record.getMessage() for record in caplog.records)  # httpx did log it
    for record in caplog.records:
        assert CANARY_KEY not in f"{record.getMessage()} {record.args!r} {vars(record)!r}", record.name
