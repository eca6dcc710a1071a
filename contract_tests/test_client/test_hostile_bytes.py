"""Whatever the bytes of an answer, the client raises only its documented errors (issue 14, item 4).

Nesting deeper than Python's stack, bodies that are not UTF-8 or whose Content-Encoding is broken,
Retry-After values no clock can hold: each ends in a ``MeduxError`` subclass, never a
``RecursionError``, an ``OverflowError`` or an httpx error of its own.
"""

from __future__ import annotations

import gzip

import httpx
import pytest
import respx
from medux_avatar_client import MalformedResponseError, MeduxError, RetryPolicy

from contract_tests.test_client.support import (
    CANARY_KEY,
    CONTRACT,
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
DEEPER_THAN_THE_STACK = 100_000  # json.loads itself gives up: RecursionError
# Shallow enough for json.loads (C, one stack level a bracket), deep enough that redacting it with
# one Python frame a level (two with a comprehension) would pass the default recursion limit.
DEEP_BUT_DECODABLE = 900


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_nesting_deeper_than_the_decoder_allows_is_a_malformed_response(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint
) -> None:
    endpoint.route(api).mock(return_value=httpx.Response(200, content=b"[" * DEEPER_THAN_THE_STACK))

    with pytest.raises(MalformedResponseError) as caught:
        await endpoint.call(mode, make_client(clock))

    assert caught.value.reason == "not JSON"
    assert caught.value.body_snippet.startswith("[[[[")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_deeply_nested_failure_envelope_is_redacted_without_recursion(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint
) -> None:
    nested = (
        "[" * DEEP_BUT_DECODABLE + f'{{"echo": "{CANARY_KEY}", "{CANARY_KEY}": 1}}' + "]" * DEEP_BUT_DECODABLE
    )
    body = f'{{"code": 12, "message": "invalid input", "data": {nested}}}'
    endpoint.route(api).mock(return_value=httpx.Response(200, content=body.encode()))

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock))

    assert caught.value.code == 12
    assert caught.value.envelope is not None
    innermost = caught.value.envelope["data"]
    for _ in range(DEEP_BUT_DECODABLE):
        [innermost] = innermost
    assert innermost == {"echo": "[redacted]", "[redacted]": 1}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\xff\xfe{\x00", id="not-utf8"),
        pytest.param('{"code": 0, "message": "ok"'.encode("utf-16"), id="utf16"),
        pytest.param(b"\x00" * 70_000, id="nul-bytes"),
        pytest.param(b'{"code": 1e999999}', id="huge-number"),
    ],
)
async def test_bodies_in_no_readable_encoding_are_malformed_responses(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint, content: bytes
) -> None:
    endpoint.route(api).mock(return_value=httpx.Response(200, content=content))

    with pytest.raises(MalformedResponseError):
        await endpoint.call(mode, make_client(clock))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_broken_content_encoding_is_a_malformed_response(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, endpoint: Endpoint
) -> None:
    broken = gzip.compress(b'{"code": 0}')[:-12]  # cut before the gzip trailer
    # A stream: httpx.Response(content=...) would decode (and fail) here, before the client sees it.
    stream = httpx.ByteStream(b"not gzip at all" + broken)
    answer = httpx.Response(200, stream=stream, headers={"Content-Encoding": "gzip"})
    endpoint.route(api).mock(return_value=answer)

    with pytest.raises(MalformedResponseError) as caught:
        await endpoint.call(mode, make_client(clock))

    assert caught.value.http_status is None
    assert caught.value.reason.startswith("body cannot be decoded")
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


# An operation and a code it retries whatever its idempotency (rate limit 16 today): read from the spec.
RETRIED_EVERYWHERE = next(
    (Endpoint(operation), outcome.value)
    for operation in CONTRACT.operations
    for outcome in operation.outcomes
    if outcome.code.retry is Retry.ALWAYS
)
ABSURD_RETRY_AFTER = [
    "Mon, 01 Jan 2026 00:00:00 +99999999999999999999",  # email.utils: OverflowError
    "Mon, 01 Jan 99999999999999999999 00:00:00 GMT",  # email.utils: OverflowError
    "Sat, 01 Jan 10000 00:00:00 GMT",
    "1e999",
    "nan",
    "-inf",
    "9" * 400,
    "Mon, 99 Foo 2026 99:99:99 GMT",
]


@pytest.mark.parametrize("value", ABSURD_RETRY_AFTER)
def test_an_absurd_retry_after_reads_as_no_retry_after(clock: FakeClock, value: str) -> None:
    assert clock.policy().retry_after({"retry-after": value}) is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ABSURD_RETRY_AFTER)
async def test_an_absurd_retry_after_on_a_retried_code_falls_back_to_the_backoff(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, value: str
) -> None:
    endpoint, rate_limited = RETRIED_EVERYWHERE
    limited = httpx.Response(
        200, json=envelope(endpoint.operation, rate_limited), headers={"Retry-After": value}
    )
    route = endpoint.route(api).mock(side_effect=[limited, limited, limited])

    with pytest.raises(MeduxError) as caught:
        await endpoint.call(mode, make_client(clock, max_retries=2, retry_policy=clock.policy()))

    assert caught.value.code == rate_limited
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


def test_a_retry_policy_reads_a_plain_retry_after() -> None:
    # The guard above must not have turned every value into "unreadable".
    assert RetryPolicy().retry_after({"retry-after": "3"}) == 3.0
