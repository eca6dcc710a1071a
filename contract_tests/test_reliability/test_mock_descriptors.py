"""A peer that opens connections until the mock runs out of descriptors does not lock other clients
out: past ``max_connections`` (lowered to fit the descriptor limit) the connection that has waited
longest on its own request is evicted, so a normal client is still served."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from contract_tests.test_reliability.conftest import CREATE_REQUEST, DEADLINE
from medux_contract.loopback import free_port, wait_until_listening
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import REPO_ROOT

DESCRIPTORS = 256  # the mock's soft RLIMIT_NOFILE in this test
HOSTILE = 2 * DESCRIPTORS  # connections the attacker opens: more than the mock could ever hold


# The limit is set by the child itself (no preexec_fn: unsafe once the test process has threads).
STARVED_MAIN = (
    "import resource, sys\n"
    "hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n"
    f"resource.setrlimit(resource.RLIMIT_NOFILE, ({DESCRIPTORS}, hard))\n"
    "from medux_contract.mock.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
BOUNDS_THE_ATTACK_OUTLIVES = ("--header-timeout", "60", "--keep-alive-timeout", "60")


@pytest.fixture
def starved_mock() -> Iterator[int]:
    """The mock as `make mock` runs it, with few descriptors and bounds the attack outlives."""
    port = free_port()
    options = ["--port", str(port), "--log-level", "warning", "--rate-limit", "off"]
    process = subprocess.Popen(
        [sys.executable, "-c", STARVED_MAIN, *options, *BOUNDS_THE_ATTACK_OUTLIVES],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(process, port)
        yield port
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=DEADLINE)
        assert "Traceback" not in stderr


def test_a_normal_client_is_served_while_an_attacker_holds_every_descriptor(starved_mock: int) -> None:
    attackers: list[socket.socket] = []
    try:
        for _ in range(HOSTILE):
            attacker = socket.create_connection(("127.0.0.1", starved_mock), timeout=DEADLINE)
            attacker.sendall(CREATE_REQUEST[:30])  # a request begun, never finished
            attackers.append(attacker)
        response = httpx.post(
            f"http://127.0.0.1:{starved_mock}/api/app/v1/clone/avatar/by_image",
            json={"file_id": "FILE_ID"},
            headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}"},
            timeout=DEADLINE,
        )
    finally:
        for attacker in attackers:
            attacker.close()
    assert response.status_code == 200
    assert response.json()["code"] == 0


def test_an_evicted_peer_that_began_a_request_gets_the_408_envelope(starved_mock: int) -> None:
    first = socket.create_connection(("127.0.0.1", starved_mock), timeout=DEADLINE)
    others: list[socket.socket] = []
    try:
        first.sendall(CREATE_REQUEST[:30])
        for _ in range(DESCRIPTORS):
            others.append(socket.create_connection(("127.0.0.1", starved_mock), timeout=DEADLINE))
        answer = first.recv(65536)
    finally:
        first.close()
        for other in others:
            other.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"code":12' in answer
