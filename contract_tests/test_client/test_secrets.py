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
    FakeClock,
    Mode,
    create,
    create_detailed,
    envelope,
    make_client,
)
from medux_contract.spec import OPERATION_PATH, code_entry, code_table

ECHOING_ANSWERS = [
    pytest.param(httpx.Response(502, text=f"<html>upstream saw Bearer {CANARY_KEY}</html>"), id="html-echo"),
    pytest.param(
        httpx.Response(401, json={"code": 13, "message": f"invalid key {CANARY_KEY}", "key": CANARY_KEY}),
        id="envelope-echo",
    ),
    pytest.param(
        httpx.Response(200, json={"code": 4242, "message": CANARY_KEY, "data": [CANARY_KEY]}), id="unknown"
    ),
] + [
    pytest.param(httpx.Response(entry.mock_http_status, json=envelope(entry)), id=entry.name)
    for entry in code_table()
    if not entry.is_success
]


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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", ECHOING_ANSWERS)
async def test_errors_never_carry_the_key_even_when_the_server_echoes_it(
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    answer: httpx.Response,
    every_log_record: pytest.LogCaptureFixture,
) -> None:
    api.post(OPERATION_PATH).mock(return_value=answer)

    with pytest.raises(MeduxError) as caught:
        await create(mode, make_client(clock, max_retries=1))

    assert CANARY_KEY not in _everything_said_about(caught.value)
    _assert_no_canary_in_logs(every_log_record)


@pytest.mark.parametrize("mode", MODES)
async def test_retries_and_transport_failures_log_no_key(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, every_log_record: pytest.LogCaptureFixture
) -> None:
    retryable: list[Any] = [
        httpx.Response(entry.mock_http_status, json=envelope(entry))
        for entry in code_table()
        if entry.retryable
    ]
    api.post(OPERATION_PATH).mock(
        side_effect=[
            httpx.ConnectError("refused"),
            *retryable,
            httpx.Response(200, json=envelope(code_entry(0))),
        ]
    )

    await create_detailed(mode, make_client(clock, max_retries=5))

    assert len(clock.sleeps) == 1 + len(retryable)
    _assert_no_canary_in_logs(every_log_record)
