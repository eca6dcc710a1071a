"""The fault proxy itself does what each fault says, in each direction (the client-side suite
relies on it for slow, truncated and reset answers)."""

from __future__ import annotations

from contract_tests.test_reliability.conftest import CREATE_REQUEST, DEADLINE, MockPort, Proxied
from medux_contract.testing.faults import Fault
from medux_contract.testing.raw import connect, exchange, read_until_closed

CLOSING = CREATE_REQUEST.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1)


def test_without_a_fault_the_answer_is_relayed_whole(mock_port: MockPort, proxied: Proxied) -> None:
    with mock_port() as port, proxied(port) as proxy:
        direct = exchange(port, CLOSING)
        relayed = exchange(proxy.port, CLOSING)
    assert relayed.closed
    [response] = relayed.responses()
    assert response.json()["code"] == 0
    assert len(relayed.data) == len(direct.data)
    assert proxy.exchanges[0].server_closed_after is not None


def test_close_after_cuts_the_answer_at_that_many_bytes(mock_port: MockPort, proxied: Proxied) -> None:
    with mock_port() as port, proxied(port, to_client=Fault(close_after=20)) as proxy:
        reply = exchange(proxy.port, CLOSING)
    assert reply.closed
    assert len(reply.data) == 20
    assert reply.data.startswith(b"HTTP/1.1 200")
    assert proxy.exchanges[0].cut_by_proxy


def test_reset_after_resets_the_connection_mid_answer(mock_port: MockPort, proxied: Proxied) -> None:
    reset = False
    received = b""
    fault = Fault(reset_after=20)
    with mock_port() as port, proxied(port, to_client=fault) as proxy, connect(proxy.port) as connection:
        connection.sendall(CLOSING)
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except ConnectionResetError:
            reset = True
    assert reset
    assert len(received) <= 20
    assert proxy.exchanges[0].cut_by_proxy


def test_a_stall_holds_the_rest_of_the_answer(mock_port: MockPort, proxied: Proxied) -> None:
    fault = Fault(stall_after=20)
    with mock_port() as port, proxied(port, to_client=fault) as proxy, connect(proxy.port) as connection:
        connection.sendall(CLOSING)
        reply = read_until_closed(connection, 1.0)  # a bounded look: the stall never ends
    assert not reply.closed
    assert len(reply.data) == 20


def test_a_slow_answer_arrives_whole_in_pieces(mock_port: MockPort, proxied: Proxied) -> None:
    fault = Fault(chunk_bytes=16, chunk_delay=0.001)
    with mock_port() as port, proxied(port, to_client=fault) as proxy, connect(proxy.port) as connection:
        connection.sendall(CLOSING)
        reply = read_until_closed(connection, DEADLINE)
    [response] = reply.responses()
    assert response.json()["code"] == 0
