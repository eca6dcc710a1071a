"""The client against the real mock over sockets, with network faults put between them by the proxy.

A server that drips its answer cannot stretch a call past its deadline, a stalled or reset answer
ends in the client's documented errors, and a request that creates something is never sent twice.
Bounds are generous (a 1 s deadline, a 10 s ceiling on the whole call): each test asserts what the
call ended with, and only checks that it ended well before a drip could have finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from medux_avatar_client import AuthenticatedClient, MeduxConnectionError, MeduxTimeoutError

from contract_tests.test_client.support import CREATE_ENDPOINT, LIST_ENDPOINT, MODES, Endpoint, Mode
from contract_tests.test_reliability.conftest import DEADLINE, MockPort, Proxied
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.testing.faults import Fault, FaultProxy

CALL_DEADLINE = 1.0  # seconds: the call's timeout in these tests
# 4 bytes every 50 ms: the mock's answer (a few hundred bytes) takes several seconds to arrive whole,
# though no single read waits anywhere near the call's deadline.
DRIP = Fault(chunk_bytes=4, chunk_delay=0.05)


Through = Callable[[Fault], AbstractContextManager[FaultProxy]]


@pytest.fixture
def through(mock_port: MockPort, proxied: Proxied) -> Through:
    """``with through(fault) as proxy``: the fault proxy, on the answer side, in front of a fresh mock."""

    @contextmanager
    def start(fault: Fault) -> Iterator[FaultProxy]:
        with mock_port() as port, proxied(port, to_client=fault) as proxy:
            yield proxy

    return start


def _client(proxy: FaultProxy) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=proxy.base_url, token=DEFAULT_TEST_KEY)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", [CREATE_ENDPOINT, LIST_ENDPOINT], ids=lambda e: e.id)
async def test_a_dripping_answer_cannot_stretch_a_call_past_its_deadline(
    through: Through, mode: Mode, endpoint: Endpoint
) -> None:
    started = time.monotonic()
    with through(DRIP) as proxy, pytest.raises(MeduxTimeoutError) as caught:
        await endpoint.call(mode, _client(proxy), timeout=CALL_DEADLINE)

    assert caught.value.operation == endpoint.id
    assert time.monotonic() - started < DEADLINE
    assert len(proxy.exchanges) == 1  # the deadline is spent: no retry starts past it


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", [CREATE_ENDPOINT, LIST_ENDPOINT], ids=lambda e: e.id)
async def test_a_stalled_answer_ends_in_the_documented_timeout_within_the_deadline(
    through: Through, mode: Mode, endpoint: Endpoint
) -> None:
    with through(Fault(stall_after=20)) as proxy, pytest.raises(MeduxTimeoutError) as caught:
        await endpoint.call(mode, _client(proxy), timeout=CALL_DEADLINE)

    assert caught.value.__context__ is None
    assert len(proxy.exchanges) == 1  # the list would retry, but its deadline is spent


@pytest.mark.parametrize("mode", MODES)
async def test_a_create_reset_mid_answer_is_a_connection_error_and_is_not_sent_again(
    through: Through, mode: Mode
) -> None:
    with through(Fault(reset_after=20)) as proxy, pytest.raises(MeduxConnectionError) as caught:
        await CREATE_ENDPOINT.call(mode, _client(proxy), max_retries=3)

    assert not isinstance(caught.value, MeduxTimeoutError)
    assert len(proxy.exchanges) == 1  # the avatar may exist: asking again could create a second one


@pytest.mark.parametrize("mode", MODES)
async def test_a_list_reset_mid_answer_is_retried_then_a_connection_error(
    through: Through, mode: Mode
) -> None:
    with through(Fault(reset_after=20)) as proxy, pytest.raises(MeduxConnectionError):
        await LIST_ENDPOINT.call(mode, _client(proxy), max_retries=1)

    assert len(proxy.exchanges) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_without_a_fault_the_call_through_the_proxy_succeeds(through: Through, mode: Mode) -> None:
    # The control: the same path, the same deadline, no fault.
    with through(Fault()) as proxy:
        result = await LIST_ENDPOINT.call(mode, _client(proxy), timeout=CALL_DEADLINE)
    assert result.code == 0
