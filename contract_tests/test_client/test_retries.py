"""Retries on a fake clock: retryable codes and unsent requests only; bounded, backed off, Retry-After."""

from __future__ import annotations

import logging
from email.utils import format_datetime

import httpx
import pytest
import respx
from medux_avatar_client import MalformedResponseError, MeduxError, TransientError, UnknownCodeError

from contract_tests.test_client.support import MODES, FakeClock, Mode, create, envelope, make_client
from medux_contract.spec import OPERATION_PATH, CodeEntry, code_entry, code_table

RETRYABLE = [pytest.param(entry, id=entry.name) for entry in code_table() if entry.retryable]
NOT_RETRYABLE = [
    pytest.param(entry, id=entry.name)
    for entry in code_table()
    if not entry.retryable and not entry.is_success
]
SUCCESS = envelope(code_entry(0))
UNSENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]
# Failures after the request may have reached the server: this POST is not idempotent.
MAYBE_SENT = [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.RemoteProtocolError]


def _refusal(entry: CodeEntry, **headers: str) -> httpx.Response:
    return httpx.Response(entry.mock_http_status, json=envelope(entry), headers=headers)


def _ok() -> httpx.Response:
    return httpx.Response(200, json=SUCCESS)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_retryable_code_is_retried_until_success_with_growing_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    route = api.post(OPERATION_PATH).mock(side_effect=[_refusal(entry), _refusal(entry), _ok()])

    result = await create(mode, make_client(clock))

    assert result.code == 0
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_default_budget_is_two_retries_then_the_transient_error(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    route = api.post(OPERATION_PATH).mock(return_value=_refusal(entry))

    with pytest.raises(TransientError) as caught:
        await create(mode, make_client(clock))

    assert caught.value.code == entry.code
    assert route.call_count == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_backoff_doubles_up_to_max_delay(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    api.post(OPERATION_PATH).mock(return_value=_refusal(entry))
    client = make_client(clock, max_retries=6, retry_policy=clock.policy(initial_delay=0.5, max_delay=4.0))

    with pytest.raises(TransientError):
        await create(mode, client)

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_jitter_shortens_each_wait_by_at_most_its_fraction(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    api.post(OPERATION_PATH).mock(return_value=_refusal(entry))
    clock.jitter_draw = 1.0  # the largest draw random() can give (almost)

    with pytest.raises(TransientError):
        await create(mode, make_client(clock, retry_policy=clock.policy(jitter=0.25)))

    assert clock.sleeps == [0.375, 0.75]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_retry_after_in_seconds_replaces_the_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    api.post(OPERATION_PATH).mock(side_effect=[_refusal(entry, **{"Retry-After": "3"}), _ok()])

    await create(mode, make_client(clock))

    assert clock.sleeps == [3.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_retry_after_as_http_date_waits_until_that_moment(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    later = format_datetime(clock.wall.replace(second=7), usegmt=True)
    api.post(OPERATION_PATH).mock(side_effect=[_refusal(entry, **{"Retry-After": later}), _ok()])

    await create(mode, make_client(clock))

    assert clock.sleeps == [7.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_unreadable_retry_after_falls_back_to_the_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    api.post(OPERATION_PATH).mock(side_effect=[_refusal(entry, **{"Retry-After": "soon-ish"}), _ok()])

    await create(mode, make_client(clock))

    assert clock.sleeps == [0.5]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_retry_after_beyond_the_cap_is_not_waited_for(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    route = api.post(OPERATION_PATH).mock(return_value=_refusal(entry, **{"Retry-After": "3600"}))

    with pytest.raises(TransientError) as caught:
        await create(mode, make_client(clock, retry_policy=clock.policy(max_retry_after=60)))

    assert route.call_count == 1
    assert clock.sleeps == []
    assert caught.value.headers["retry-after"] == "3600"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", RETRYABLE)
async def test_per_call_max_retries_overrides_the_client(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    route = api.post(OPERATION_PATH).mock(return_value=_refusal(entry))
    client = make_client(clock, max_retries=5)

    with pytest.raises(TransientError):
        await create(mode, client, max_retries=1)
    assert route.call_count == 2

    with pytest.raises(TransientError):
        await create(mode, client, max_retries=0)
    assert route.call_count == 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", NOT_RETRYABLE)
async def test_code_not_flagged_retryable_is_never_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, entry: CodeEntry
) -> None:
    route = api.post(OPERATION_PATH).mock(return_value=_refusal(entry, **{"Retry-After": "1"}))

    with pytest.raises(MeduxError) as caught:
        await create(mode, make_client(clock, max_retries=5))

    assert caught.value.code == entry.code
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("mode", MODES)
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
    api: respx.MockRouter, clock: FakeClock, mode: Mode, answer: httpx.Response, error: type[MeduxError]
) -> None:
    route = api.post(OPERATION_PATH).mock(return_value=answer)

    with pytest.raises(error):
        await create(mode, make_client(clock, max_retries=5))

    assert route.call_count == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", UNSENT, ids=lambda failure: failure.__name__)
async def test_connection_failure_before_sending_is_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, failure: type[httpx.TransportError]
) -> None:
    route = api.post(OPERATION_PATH).mock(side_effect=[failure("refused"), failure("refused"), _ok()])

    result = await create(mode, make_client(clock))

    assert result.code == 0
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", UNSENT, ids=lambda failure: failure.__name__)
async def test_connection_failure_propagates_once_retries_are_spent(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, failure: type[httpx.TransportError]
) -> None:
    route = api.post(OPERATION_PATH).mock(side_effect=failure("refused"))

    with pytest.raises(failure):
        await create(mode, make_client(clock, max_retries=3))

    assert route.call_count == 4


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", MAYBE_SENT, ids=lambda failure: failure.__name__)
async def test_failure_after_the_request_may_have_been_sent_is_not_retried(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, failure: type[httpx.TransportError]
) -> None:
    route = api.post(OPERATION_PATH).mock(side_effect=[failure("lost"), _ok()])

    with pytest.raises(failure):
        await create(mode, make_client(clock, max_retries=5))

    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("entry", RETRYABLE)
async def test_each_retry_is_logged_with_its_reason_and_delay(
    api: respx.MockRouter, clock: FakeClock, entry: CodeEntry, caplog: pytest.LogCaptureFixture
) -> None:
    api.post(OPERATION_PATH).mock(side_effect=[_refusal(entry), _ok()])

    with caplog.at_level(logging.INFO, logger="medux_avatar_client"):
        await create("sync", make_client(clock))

    (record,) = [r for r in caplog.records if r.name == "medux_avatar_client.retries"]
    assert f"code {entry.code}" in record.getMessage()
    assert "retry 1 of 2 in 0.50s" in record.getMessage()
