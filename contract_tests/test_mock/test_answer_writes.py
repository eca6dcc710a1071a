"""Each answer leaves in one write: the head uvicorn writes on its own is held until the body.

The wrapper is tested on a recording transport (what is written, and when), and the two writes it
must not hold are tested against the real mock on a loopback port: ``100 Continue`` (a client waits
for it before sending its body) and the head of a ``HEAD`` answer (which has no body).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from contract_tests.test_mock.conftest import CREATE
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.mock.http_protocol import OneWritePerAnswer
from medux_contract.mock.server import serving
from medux_contract.testing.raw import connect, read_until_closed, request_bytes, split_responses

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"
BODY = b'{"file_id": "FILE_ID"}'


class Recording:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def cycle(method: str = "POST") -> Any:
    return SimpleNamespace(response_started=False, response_complete=False, scope={"method": method})


def test_the_head_and_the_body_of_an_answer_leave_in_one_write() -> None:
    transport, answer = Recording(), cycle()
    wrapper = OneWritePerAnswer(transport, answer)  # type: ignore[arg-type]
    answer.response_started = True
    wrapper.write(HEAD)
    assert transport.writes == []
    wrapper.write(b"{}")
    assert transport.writes == [HEAD + b"{}"]
    is_closing: Any = wrapper.is_closing  # everything else is the transport's own
    assert is_closing() is False


def test_a_write_before_the_answer_starts_goes_at_once() -> None:
    transport = Recording()
    wrapper = OneWritePerAnswer(transport, cycle())  # type: ignore[arg-type]
    wrapper.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]


def test_the_head_of_a_head_answer_goes_at_once() -> None:
    transport, answer = Recording(), cycle("HEAD")
    wrapper = OneWritePerAnswer(transport, answer)  # type: ignore[arg-type]
    answer.response_started = True
    wrapper.write(HEAD)
    assert transport.writes == [HEAD]


def test_closing_sends_a_held_head_first() -> None:
    transport, answer = Recording(), cycle()
    wrapper = OneWritePerAnswer(transport, answer)  # type: ignore[arg-type]
    answer.response_started = True
    wrapper.write(HEAD)
    wrapper.close()
    assert (transport.writes, transport.closed) == ([HEAD], True)


@pytest.fixture
def port() -> Any:
    with serving(create_app(MockSettings(rate_limit_burst=None))) as base_url:
        yield int(base_url.rsplit(":", 1)[1])


def test_a_client_expecting_100_continue_gets_it_then_its_answer(port: int) -> None:
    headers = {
        "Authorization": f"Bearer {DEFAULT_TEST_KEY}",
        "Content-Type": "application/json",
        "Expect": "100-continue",
        "Content-Length": str(len(BODY)),
        "Connection": "close",
    }
    with connect(port) as connection:
        connection.sendall(request_bytes("POST", CREATE.path, headers=headers))
        connection.settimeout(10)
        interim = connection.recv(65536)  # the body is not sent until this arrives
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n")
        connection.sendall(BODY)
        reply = read_until_closed(connection, 10)
    (answer,) = split_responses(reply.data)
    assert answer.json()["code"] == CREATE.success.value


def test_a_head_request_is_answered_and_the_connection_serves_the_next(port: int) -> None:
    head = request_bytes("HEAD", CREATE.path)
    follow = request_bytes("GET", "/no/such/path", headers={"Connection": "close"})
    with connect(port) as connection:
        connection.sendall(head)
        connection.settimeout(10)
        first = connection.recv(65536)
        assert first.startswith(b"HTTP/1.1 405 ")
        connection.sendall(follow)
        reply = read_until_closed(connection, 10)
    assert b"HTTP/1.1 404 " in reply.data
