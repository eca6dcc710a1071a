"""One deadline per call bounds every attempt and every wait together (issue 14, item 5).

The call's ``timeout`` (seconds, or the largest bound of an ``httpx.Timeout``) starts when the call
does; no retry starts, and no wait ends, past it; each later attempt's httpx timeouts are cut to the
time left. Time here is the fake clock (sleeping moves it), so nothing waits and nothing is timed:
what a dripping server does to a real socket is in ``test_reliability/test_client_faults.py``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import MeduxConnectionError, MeduxError, MeduxTimeoutError, RetryPolicy
from medux_avatar_client.retries import total_seconds

from contract_tests.test_client.support import (
    CONTRACT,
    LIST_ENDPOINT,
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    endpoint_params,
    envelope,
    make_client,
)
from medux_contract.spec import Retry

ENDPOINTS = endpoint_params()
RETRIED_EVERYWHERE = next(
    (Endpoint(operation), outcome.value)
    for operation in CONTRACT.operations
    for outcome in operation.outcomes
    if outcome.code.retry is Retry.ALWAYS
)


def _refused(endpoint: Endpoint, code: int, retry_after: str) -> httpx.Response:
    return httpx.Response(200, json=envelope(endpoint.operation, code), headers={"Retry-After": retry_after})


@pytest.mark.parametrize("mode", MODES)
async def test_no_retry_waits_past_the_deadline(api: respx.MockRouter, clock: FakeClock, mode: Mode) -> None:
    endpoint, code = RETRIED_EVERYWHERE
    route = endpoint.route(api).mock(return_value=_refused(endpoint, code, "5"))

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock, max_retries=5), timeout=8.0)

    # 5 s waited, then a second 5 s wait would end at 10 s, past the 8 s deadline: the answer is
    # raised at once instead of after a sleep that could only end in a timeout.
    assert caught.value.code == code
    assert route.call_count == 2
    assert clock.sleeps == [5.0]


@pytest.mark.parametrize("mode", MODES)
async def test_no_backoff_outlasts_the_deadline_after_a_connection_failure(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(MeduxConnectionError) as caught:
        await LIST_ENDPOINT.call(mode, make_client(clock, max_retries=5), timeout=1.2)

    assert caught.value.kind == "ConnectError"
    assert route.call_count == 2  # the 0.5 s backoff fits in 1.2 s; 0.5 + 1.0 does not
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize("mode", MODES)
async def test_a_retry_gets_only_the_time_left_as_its_httpx_timeouts(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    seen: list[dict[str, Any]] = []
    endpoint, code = RETRIED_EVERYWHERE
    answers = iter([_refused(endpoint, code, "3"), httpx.Response(200, json=envelope(endpoint.operation, 0))])

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return next(answers)

    endpoint.route(api).mock(side_effect=answer)

    await endpoint.call(mode, make_client(clock), timeout=httpx.Timeout(10.0, connect=2.0))

    assert seen[0] == {"connect": 2.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    assert seen[1] == {"connect": 2.0, "read": 7.0, "write": 7.0, "pool": 7.0}


@pytest.mark.parametrize("mode", MODES)
async def test_a_call_whose_deadline_passed_during_a_wait_raises_the_documented_timeout(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    endpoint, code = RETRIED_EVERYWHERE

    def late_sleep(seconds: float) -> None:
        clock.sleep(seconds * 10)  # the process was suspended longer than asked

    async def late_async_sleep(seconds: float) -> None:
        late_sleep(seconds)

    policy = RetryPolicy(
        sleep=late_sleep, async_sleep=late_async_sleep, now=clock.now, random=clock.random, clock=clock.clock
    )
    route = endpoint.route(api).mock(return_value=_refused(endpoint, code, "1"))

    with pytest.raises(MeduxTimeoutError) as caught:
        await endpoint.call(mode, make_client(clock, retry_policy=policy), timeout=5.0)

    assert caught.value.kind == "DeadlineExceeded"
    assert isinstance(caught.value, httpx.TimeoutException)
    assert route.call_count == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_without_a_deadline_retries_wait_as_long_as_asked(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint
) -> None:
    endpoint.route(api).mock(side_effect=[httpx.ConnectError("refused")] * 2 + [endpoint.answer(0, 200)])

    result = await endpoint.call(mode, make_client(clock), timeout=None)

    assert result.code == 0
    assert clock.sleeps == [0.5, 1.0]


def test_the_call_budget_is_the_largest_bound_of_a_timeout() -> None:
    assert total_seconds(httpx.Timeout(60.0, connect=10.0)) == 60.0
    assert total_seconds(httpx.Timeout(3.0)) == 3.0
    assert total_seconds(httpx.Timeout(None, connect=5.0)) == 5.0
    assert total_seconds(httpx.Timeout(None)) is None
