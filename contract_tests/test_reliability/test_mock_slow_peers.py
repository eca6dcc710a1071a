"""A peer that is slow to send, or stops sending, holds the mock only until a bound: then it gets
the 408 envelope (if it began a request) and the connection is closed."""

from __future__ import annotations

import contextlib
import json

from contract_tests.test_reliability.conftest import (
    BODY,
    CREATE_REQUEST,
    DEADLINE,
    MockPort,
    Proxied,
    assert_refusal,
)
from medux_contract.mock import REASON_HEADER
from medux_contract.testing.faults import Fault
from medux_contract.testing.raw import connect, exchange, read_until_closed


def test_headers_dripped_slower_than_the_header_timeout_get_408_and_close(
    mock_port: MockPort, proxied: Proxied
) -> None:
    drip = Fault(chunk_bytes=1, chunk_delay=0.05)  # the whole head would take ~10 s
    with mock_port() as port, proxied(port, to_server=drip) as proxy:
        reply = exchange(proxy.port, CREATE_REQUEST, DEADLINE)
    assert reply.closed
    [response] = reply.responses()
    assert_refusal(response, 408)
    assert "headers not received" in response.headers[REASON_HEADER.lower()]
    assert len(proxy.exchanges[0].to_server) < CREATE_REQUEST.index(b"\r\n\r\n")  # it was cut short


def test_a_body_that_stalls_gets_408_and_close(mock_port: MockPort, proxied: Proxied) -> None:
    stall = Fault(stall_after=len(CREATE_REQUEST) - len(BODY) // 2)  # headers and half the body
    with mock_port() as port, proxied(port, to_server=stall) as proxy:
        reply = exchange(proxy.port, CREATE_REQUEST, DEADLINE)
    assert reply.closed
    [response] = reply.responses()
    assert_refusal(response, 408)
    assert "body not received" in response.headers[REASON_HEADER.lower()]


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(mock_port: MockPort) -> None:
    with mock_port() as port, connect(port) as silent:
        reply = read_until_closed(silent, DEADLINE)
    assert reply.closed
    assert reply.data == b""


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(mock_port: MockPort) -> None:
    with mock_port() as port, connect(port) as connection:
        connection.sendall(CREATE_REQUEST)
        reply = read_until_closed(connection, DEADLINE)
    assert reply.closed
    [response] = reply.responses()
    assert response.status == 200
    assert response.json()["code"] == 0


def test_a_request_that_stops_mid_headers_on_a_kept_alive_connection_gets_408(mock_port: MockPort) -> None:
    with mock_port() as port, connect(port) as connection:
        connection.sendall(CREATE_REQUEST + CREATE_REQUEST[:20])  # one request, then a fragment
        reply = read_until_closed(connection, DEADLINE)
    assert reply.closed
    first, second = reply.responses()
    assert first.json()["code"] == 0
    assert_refusal(second, 408)


def test_a_slow_but_steady_client_within_the_bounds_is_served(mock_port: MockPort, proxied: Proxied) -> None:
    steady = Fault(chunk_bytes=64, chunk_delay=0.02)  # the request arrives well within 0.5 s
    with mock_port() as port, proxied(port, to_server=steady) as proxy, connect(proxy.port) as connection:
        connection.sendall(CREATE_REQUEST)
        reply = read_until_closed(connection, DEADLINE)
    [response] = reply.responses()
    assert response.status == 200
    assert json.loads(response.body)["code"] == 0


def test_the_timeouts_leave_no_connection_open(mock_port: MockPort, proxied: Proxied) -> None:
    stall = Fault(stall_after=10)
    with mock_port() as port, proxied(port, to_server=stall) as proxy:
        sockets = [connect(proxy.port) for _ in range(20)]
        try:
            for each in sockets:
                each.sendall(CREATE_REQUEST)
            replies = [read_until_closed(each, DEADLINE) for each in sockets]
        finally:
            for each in sockets:
                each.close()
    assert all(reply.closed for reply in replies)
    assert all(exchange.server_closed_after is not None for exchange in proxy.exchanges)


def test_a_peer_that_resets_mid_body_does_not_disturb_the_next_client(
    mock_port: MockPort, proxied: Proxied
) -> None:
    reset = Fault(reset_after=len(CREATE_REQUEST) - 5)
    with mock_port() as port:
        with proxied(port, to_server=reset) as proxy, connect(proxy.port) as connection:
            connection.sendall(CREATE_REQUEST)
            with contextlib.suppress(OSError):
                read_until_closed(connection, DEADLINE)
        closing = CREATE_REQUEST.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1)
        reply = exchange(port, closing)
    [response] = reply.responses()
    assert response.json()["code"] == 0
