"""Retries on a fake clock, per operation: the codes and failures its own rules call safe, and no others.

A code is retried where the operation lists it as retry-safe (``always``, or ``if_idempotent`` on a
read); a failure before the request was sent is retried on every operation; a failure after it went
out (read timeout, dropped connection) only on an idempotent one. Bounded, backed off, Retry-After.
"""

from __future__ import annotations

import logging
from email.utils import format_datetime

import httpx
import pytest
import respx
from medux_avatar_client import (
    MalformedResponseError,
    MeduxConnectionError,
    MeduxError,
    MeduxTimeoutError,
    UnknownCodeError,
)

from contract_tests.test_client.support import (
    CREATE_ENDPOINT,
    LIST_ENDPOINT,
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    endpoint_params,
    make_client,
    outcome_params,
)
from medux_contract.spec import Outcome

RETRIED = outcome_params(failures_only=True, where=lambda _, outcome: outcome.retry_safe)
NOT_RETRIED = outcome_params(failures_only=True, where=lambda _, outcome: not outcome.retry_safe)
UNSENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]
# Failures after the request may have reached the server: only a read may be repeated after them.
MAYBE_SENT = [
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
]
ENDPOINTS = endpoint_params()


def _refusal(endpoint: Endpoint, outcome: Outcome, **headers: str) -> httpx.Response:
    return endpoint.answer(outcome.value, headers=headers)


def _ok(endpoint: Endpoint) -> httpx.Response:
    return endpoint.answer(0, 200)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_retryable_code_is_retried_until_success_with_growing_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    route = endpoint.route(api).mock(
        side_effect=[_refusal(endpoint, outcome), _refusal(endpoint, outcome), _ok(endpoint)]
    )

    result = await endpoint.call(mode, make_client(clock))

    assert result.code == 0
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_default_budget_is_two_retries_then_the_codes_error(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    route = endpoint.route(api).mock(return_value=_refusal(endpoint, outcome))

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock))

    assert (caught.value.code, caught.value.retry_safe) == (outcome.value, True)
    assert route.call_count == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_backoff_doubles_up_to_max_delay(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    endpoint.route(api).mock(return_value=_refusal(endpoint, outcome))
    client = make_client(clock, max_retries=6, retry_policy=clock.policy(initial_delay=0.5, max_delay=4.0))

    with pytest.raises(MeduxError):
        await endpoint.call(mode, client)

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_jitter_shortens_each_wait_by_at_most_its_fraction(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    endpoint.route(api).mock(return_value=_refusal(endpoint, outcome))
    clock.jitter_draw = 1.0  # the largest draw random() can give (almost)

    with pytest.raises(MeduxError):
        await endpoint.call(mode, make_client(clock, retry_policy=clock.policy(jitter=0.25)))

    assert clock.sleeps == [0.375, 0.75]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_retry_after_in_seconds_replaces_the_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    endpoint.route(api).mock(side_effect=[_refusal(endpoint, outcome, **{"Retry-After": "3"}), _ok(endpoint)])

    await endpoint.call(mode, make_client(clock))

    assert clock.sleeps == [3.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_retry_after_as_http_date_waits_until_that_moment(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    later = format_datetime(clock.wall.replace(second=7), usegmt=True)
    endpoint.route(api).mock(
        side_effect=[_refusal(endpoint, outcome, **{"Retry-After": later}), _ok(endpoint)]
    )

    await endpoint.call(mode, make_client(clock))

    assert clock.sleeps == [7.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_unreadable_retry_after_falls_back_to_the_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    endpoint.route(api).mock(
        side_effect=[_refusal(endpoint, outcome, **{"Retry-After": "soon-ish"}), _ok(endpoint)]
    )

    await endpoint.call(mode, make_client(clock))

    assert clock.sleeps == [0.5]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_retry_after_beyond_the_cap_is_not_waited_for(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    route = endpoint.route(api).mock(return_value=_refusal(endpoint, outcome, **{"Retry-After": "3600"}))

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock, retry_policy=clock.policy(max_retry_after=60)))

    assert route.call_count == 1
    assert clock.sleeps == []
    assert caught.value.headers["retry-after"] == "3600"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_per_call_max_retries_overrides_the_client(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    route = endpoint.route(api).mock(return_value=_refusal(endpoint, outcome))
    client = make_client(clock, max_retries=5)

    with pytest.raises(MeduxError):
        await endpoint.call(mode, client, max_retries=1)
    assert route.call_count == 2

    with pytest.raises(MeduxError):
        await endpoint.call(mode, client, max_retries=0)
    assert route.call_count == 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), NOT_RETRIED)
async def test_code_not_flagged_retryable_is_never_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, outcome: Outcome
) -> None:
    route = endpoint.route(api).mock(return_value=_refusal(endpoint, outcome, **{"Retry-After": "1"}))

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock, max_retries=5))

    assert caught.value.code == outcome.value
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param(httpx.Response(503, text="<html>busy</html>"), MalformedResponseError, id="html-503"),
        pytest.param(httpx.Response(429, text=""), MalformedResponseError, id="empty-429"),
        pytest.param(
            httpx.Response(200, json={"code": 777, "message": "new"}), UnknownCodeError, id="unknown"
        ),
    ],
)
async def test_answers_without_a_retryable_code_are_not_retried(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    answer: httpx.Response,
    error: type[MeduxError],
) -> None:
    route = endpoint.route(api).mock(return_value=answer)

    with pytest.raises(error):
        await endpoint.call(mode, make_client(clock, max_retries=5))

    assert route.call_count == 1


def _assert_stands_for(error: MeduxConnectionError, failure: type[httpx.TransportError]) -> None:
    # The documented error in httpx's place: its name kept, timeouts still timeouts, nothing chained.
    assert error.kind == failure.__name__
    assert isinstance(error, MeduxTimeoutError) == issubclass(failure, httpx.TimeoutException)
    assert error.__cause__ is None
    assert error.__context__ is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("failure", UNSENT, ids=lambda failure: failure.__name__)
async def test_connection_failure_before_sending_is_retried_on_every_operation(
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    failure: type[httpx.TransportError],
) -> None:
    route = endpoint.route(api).mock(side_effect=[failure("refused"), failure("refused"), _ok(endpoint)])

    result = await endpoint.call(mode, make_client(clock))

    assert result.code == 0
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("failure", UNSENT, ids=lambda failure: failure.__name__)
async def test_connection_failure_propagates_once_retries_are_spent(
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    failure: type[httpx.TransportError],
) -> None:
    route = endpoint.route(api).mock(side_effect=failure("refused"))

    with pytest.raises(MeduxConnectionError) as caught:
        await endpoint.call(mode, make_client(clock, max_retries=3))

    _assert_stands_for(caught.value, failure)

    assert route.call_count == 4


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", MAYBE_SENT, ids=lambda failure: failure.__name__)
async def test_failure_after_the_create_request_went_out_is_not_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, failure: type[httpx.TransportError]
) -> None:
    # The POST is not idempotent: the avatar may have been created, and billed, before the answer got lost.
    assert not CREATE_ENDPOINT.operation.idempotent
    route = CREATE_ENDPOINT.route(api).mock(side_effect=[failure("lost"), _ok(CREATE_ENDPOINT)])

    with pytest.raises(MeduxConnectionError) as caught:
        await CREATE_ENDPOINT.call(mode, make_client(clock, max_retries=5))

    _assert_stands_for(caught.value, failure)

    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", MAYBE_SENT, ids=lambda failure: failure.__name__)
async def test_failure_after_the_list_request_went_out_is_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, failure: type[httpx.TransportError]
) -> None:
    # The GET is idempotent: asking again has no further effect.
    assert LIST_ENDPOINT.operation.idempotent
    route = LIST_ENDPOINT.route(api).mock(side_effect=[failure("lost"), failure("lost"), _ok(LIST_ENDPOINT)])

    result = await LIST_ENDPOINT.call(mode, make_client(clock))

    assert result.code == 0
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
async def test_read_timeout_on_the_list_propagates_once_retries_are_spent(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(MeduxTimeoutError) as caught:
        await LIST_ENDPOINT.call(mode, make_client(clock, max_retries=2))

    _assert_stands_for(caught.value, httpx.ReadTimeout)

    assert route.call_count == 3


@pytest.mark.parametrize("mode", MODES)
async def test_server_error_is_retried_on_the_list_but_not_on_the_billable_create(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    server_error = 99
    listed = LIST_ENDPOINT.route(api).mock(
        side_effect=[LIST_ENDPOINT.answer(server_error), _ok(LIST_ENDPOINT)]
    )
    created = CREATE_ENDPOINT.route(api).mock(
        side_effect=[CREATE_ENDPOINT.answer(server_error), _ok(CREATE_ENDPOINT)]
    )
    client = make_client(clock)

    assert (await LIST_ENDPOINT.call(mode, client)).code == 0
    with pytest.raises(MeduxError) as caught:
        await CREATE_ENDPOINT.call(mode, client)

    assert (listed.call_count, created.call_count) == (2, 1)
    assert (caught.value.code, caught.value.retry_safe, caught.value.billable) == (server_error, False, True)


@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
async def test_each_retry_is_logged_with_its_operation_reason_and_delay(
    api: respx.MockRouter,
    clock: FakeClock,
    endpoint: Endpoint,
    outcome: Outcome,
    caplog: pytest.LogCaptureFixture,
) -> None:
    endpoint.route(api).mock(side_effect=[_refusal(endpoint, outcome), _ok(endpoint)])

    with caplog.at_level(logging.INFO, logger="medux_avatar_client"):
        await endpoint.call("sync", make_client(clock))

    (record,) = [r for r in caplog.records if r.name == "medux_avatar_client.retries"]
    assert f"Medux {endpoint.id}: code {outcome.value}" in record.getMessage()
    assert "retry 1 of 2 in 0.50s" in record.getMessage()
