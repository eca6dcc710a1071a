"""The header section a peer may send is bounded in bytes and fields, and nothing it sends is kept
beyond its request: past a bound it gets the 431 envelope and the connection is closed."""

from __future__ import annotations

import contextlib
import gc
import logging
import select
import time
import tracemalloc

import httpx
import pytest

from contract_tests.test_mock.conftest import CREATE
from contract_tests.test_reliability.conftest import (
    CREATE_REQUEST,
    DEADLINE,
    MockPort,
    Proxied,
    assert_refusal,
)
from medux_contract.mock import DEFAULT_TEST_KEY, LOGGER_NAME, REASON_HEADER, MockSettings, create_app
from medux_contract.testing.faults import Fault
from medux_contract.testing.raw import connect, exchange, read_until_closed, request_bytes

MIB = 1 << 20


def with_headers(extra: list[tuple[str, str]]) -> bytes:
    head, _, body = CREATE_REQUEST.partition(b"\r\n\r\n")
    lines = b"".join(f"\r\n{name}: {value}".encode("latin-1") for name, value in extra)
    return head + lines + b"\r\n\r\n" + body


def test_a_header_value_past_max_header_bytes_gets_431_and_close(mock_port: MockPort) -> None:
    with mock_port(max_header_bytes=4096) as port, connect(port) as connection:
        connection.sendall(CREATE_REQUEST.partition(b"\r\n")[0] + b"\r\nX-Big: ")
        # A never-ending header value: the mock must answer it, not buffer it.
        sent = 0
        with contextlib.suppress(OSError):  # the mock may close before all is sent
            while sent < 8 * MIB and not select.select([connection], [], [], 0)[0]:
                connection.sendall(b"v" * 65536)
                sent += 65536
        reply = read_until_closed(connection, DEADLINE)
    assert sent < 8 * MIB
    [response] = reply.responses()
    assert_refusal(response, 431)
    assert "exceed 4096 bytes" in response.headers[REASON_HEADER.lower()]


def test_headers_under_the_byte_limit_are_accepted_even_in_small_pieces(
    mock_port: MockPort, proxied: Proxied
) -> None:
    request = with_headers([(f"X-Pad-{n}", "p" * 100) for n in range(30)])  # ~3.5 KiB of headers
    with mock_port(max_header_bytes=4096) as port, proxied(port, to_server=Fault(chunk_bytes=97)) as proxy:
        reply = exchange(proxy.port, request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
    [response] = reply.responses()
    assert response.json()["code"] == 0


def test_more_header_fields_than_max_header_count_get_431(mock_port: MockPort) -> None:
    with mock_port(max_header_count=20) as port:
        reply = exchange(port, with_headers([(f"X-N-{n}", "1") for n in range(20)]), DEADLINE)
    [response] = reply.responses()
    assert_refusal(response, 431)
    assert "more than 20 header fields" in response.headers[REASON_HEADER.lower()]


def test_the_default_header_bound_stops_a_megabyte_header(mock_port: MockPort) -> None:
    with mock_port() as port:
        reply = exchange(port, with_headers([("Cookie", "c" * MIB)]), DEADLINE)
    [response] = reply.responses()
    assert_refusal(response, 431)


def test_a_long_request_line_counts_toward_the_header_bound(mock_port: MockPort) -> None:
    with mock_port(max_header_bytes=4096) as port:
        reply = exchange(port, request_bytes("GET", "/" + "a" * 8000), DEADLINE)
    [response] = reply.responses()
    assert_refusal(response, 431)


async def test_large_distinct_credentials_are_not_kept_after_their_requests(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # In process (no HTTP bound in front): whatever the headers, the mock keeps none of them, even
    # when it logs a tag for each.
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    app = create_app(MockSettings(rate_limit_burst=None))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock.test") as client:
        await client.post(CREATE.path, json={"file_id": "FILE_ID"}, headers={"Authorization": "warm-up"})
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for n in range(64):
                hostile = {"Authorization": f"Bearer {n:04d}{'k' * 65536}"}
                await client.post(CREATE.path, json={"file_id": "FILE_ID"}, headers=hostile)
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert kept < MIB, f"{kept / MIB:.1f} MiB kept after 64 requests with 64 KiB credentials"


def test_a_normal_request_still_passes_with_the_default_bounds(mock_port: MockPort) -> None:
    with mock_port() as port:
        reply = exchange(
            port,
            request_bytes(
                "POST",
                CREATE.path,
                headers={
                    "Authorization": f"Bearer {DEFAULT_TEST_KEY}",
                    "Content-Type": "application/json",
                    "Connection": "close",
                },
                body=b'{"file_id": "FILE_ID"}',
            ),
        )
    [response] = reply.responses()
    assert response.json()["code"] == 0


def test_the_envelope_reaches_a_peer_that_keeps_sending_after_the_bound(mock_port: MockPort) -> None:
    # Closing on unread bytes would reset the connection and could destroy the answer in flight:
    # the mock reads and drops what still arrives for a while (nginx's lingering close).
    with mock_port(max_header_bytes=4096) as port, connect(port) as connection:
        connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        keep_sending_until = time.monotonic() + 0.5
        with contextlib.suppress(OSError):
            while time.monotonic() < keep_sending_until:
                connection.sendall(b"v" * 65536)
        reply = read_until_closed(connection, DEADLINE)
    [response] = reply.responses()
    assert_refusal(response, 431)
