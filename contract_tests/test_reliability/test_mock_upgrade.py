"""A request that asks to switch protocols (``curl --http2`` sends ``Upgrade: h2c``) is served as
plain HTTP/1.1: its body is read, and requests pipelined behind it are answered in order."""

from __future__ import annotations

import pytest

from contract_tests.test_mock.conftest import CREATE, LIST
from contract_tests.test_reliability.conftest import BODY, DEADLINE, MockPort, Proxied
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.testing.faults import Fault
from medux_contract.testing.raw import exchange, request_bytes

AUTH = f"Bearer {DEFAULT_TEST_KEY}"
H2C = [
    ("Connection", "Upgrade, HTTP2-Settings"),
    ("Upgrade", "h2c"),
    ("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"),
]
WEBSOCKET = [("Connection", "upgrade"), ("Upgrade", "websocket")]
UNKNOWN = [("Connection", "Upgrade"), ("Upgrade", "foo/2")]
LAST = request_bytes("GET", LIST.path, headers={"Authorization": AUTH, "Connection": "close"})


def upgrade_post(upgrade: list[tuple[str, str]], *, chunked: bool = False) -> bytes:
    headers = [("Authorization", AUTH), ("Content-Type", "application/json"), *upgrade]
    if not chunked:
        return request_bytes("POST", CREATE.path, headers=headers, body=BODY)
    framed = b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)
    return request_bytes("POST", CREATE.path, headers=[*headers, ("Transfer-Encoding", "chunked")]) + framed


@pytest.mark.parametrize(
    "upgrade",
    [H2C, WEBSOCKET, UNKNOWN],
    ids=["h2c", "websocket", "unknown"],
)
def test_an_upgrade_post_is_answered_as_http_1_1_and_the_next_request_too(
    mock_port: MockPort, upgrade: list[tuple[str, str]]
) -> None:
    with mock_port() as port:
        reply = exchange(port, upgrade_post(upgrade) + LAST, DEADLINE)
    created, listed = reply.responses()
    assert created.status == 200
    assert created.json()["code"] == 0
    assert listed.json()["code"] == 0
    assert created.json()["data"]["asset"]["avatar_asset_id"] in {
        item["avatar_asset_id"] for item in listed.json()["data"]["items"]
    }


def test_a_chunked_upgrade_post_in_small_pieces_is_answered(mock_port: MockPort, proxied: Proxied) -> None:
    with mock_port() as port, proxied(port, to_server=Fault(chunk_bytes=7)) as proxy:
        reply = exchange(proxy.port, upgrade_post(H2C, chunked=True) + LAST, DEADLINE)
    created, listed = reply.responses()
    assert created.json()["code"] == 0
    assert listed.json()["code"] == 0


def test_a_bodyless_upgrade_get_and_the_request_behind_it_are_answered(mock_port: MockPort) -> None:
    first = request_bytes("GET", LIST.path, headers=[("Authorization", AUTH), *H2C])
    with mock_port() as port:
        reply = exchange(port, first + LAST, DEADLINE)
    answers = reply.responses()
    assert [answer.json()["code"] for answer in answers] == [0, 0]
