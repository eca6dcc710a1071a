"""The API key reaches the Authorization header and nothing else: no repr, str, exception or log record."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import MeduxError

from contract_tests.test_client.support import (
    CANARY_KEY,
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    endpoint_params,
    make_client,
    outcome_params,
)
from medux_contract.spec import Outcome

ECHOING_ANSWERS = [
    pytest.param(httpx.Response(502, text=f"<html>upstream saw Bearer {CANARY_KEY}</html>"), id="html-echo"),
    pytest.param(
        httpx.Response(401, json={"code": 13, "message": f"invalid key {CANARY_KEY}", "key": CANARY_KEY}),
        id="envelope-echo",
    ),
    pytest.param(
        httpx.Response(200, json={"code": 4242, "message": CANARY_KEY, "data": [CANARY_KEY]}), id="unknown"
    ),
]
ENDPOINTS = endpoint_params()


def _everything_said_about(error: BaseException) -> str:
    return "\n".join(
        [
            repr(error),
            str(error),
            repr(error.args),
            repr(vars(error)),
            "".join(traceback.format_exception(error)),
        ]
    )


@pytest.fixture
def every_log_record(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx, httpcore, ours
    return caplog


def _assert_no_canary_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "nothing was logged: the check would prove nothing"
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r} {vars(record)!r}"
        assert CANARY_KEY not in text, record.name


def test_client_repr_and_str_hide_the_key_even_after_use(clock: FakeClock) -> None:
    client = make_client(clock)
    client.get_httpx_client()
    client.get_async_httpx_client()
    for text in (repr(client), str(client), repr(client.with_headers({"X-Trace": "1"}))):
        assert CANARY_KEY not in text
    assert client.token == CANARY_KEY


async def _assert_error_hides_the_key(
    endpoint: Endpoint, mode: Mode, clock: FakeClock, api: respx.MockRouter, answer: httpx.Response
) -> None:
    endpoint.route(api).mock(return_value=answer)

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock, max_retries=1))

    assert CANARY_KEY not in _everything_said_about(caught.value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("answer", ECHOING_ANSWERS)
async def test_errors_never_carry_the_key_even_when_the_server_echoes_it(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    answer: httpx.Response,
    every_log_record: pytest.LogCaptureFixture,
) -> None:
    await _assert_error_hides_the_key(endpoint, mode, clock, api, answer)
    _assert_no_canary_in_logs(every_log_record)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("endpoint", "outcome"), outcome_params(failures_only=True))
async def test_every_code_of_every_operation_raises_an_error_without_the_key(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    outcome: Outcome,
    every_log_record: pytest.LogCaptureFixture,
) -> None:
    await _assert_error_hides_the_key(endpoint, mode, clock, api, endpoint.answer(outcome.value))
    _assert_no_canary_in_logs(every_log_record)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_retries_and_transport_failures_log_no_key(
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    every_log_record: pytest.LogCaptureFixture,
) -> None:
    retried: list[Any] = [
        endpoint.answer(outcome.value)
        for outcome in endpoint.operation.outcomes
        if outcome.retry_safe and not outcome.is_success
    ]
    endpoint.route(api).mock(side_effect=[httpx.ConnectError("refused"), *retried, endpoint.answer(0, 200)])

    await endpoint.call_detailed(mode, make_client(clock, max_retries=5))

    assert len(clock.sleeps) == 1 + len(retried)
    _assert_no_canary_in_logs(every_log_record)
