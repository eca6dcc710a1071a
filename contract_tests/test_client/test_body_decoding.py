"""Each answer's body is decoded once: the retry decision, the models and the errors share that decode."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import MeduxError

from contract_tests.test_client.support import (
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    endpoint_params,
    envelope,
    make_client,
    outcome_params,
)
from medux_contract.spec import Outcome

NOT_JSON_BODY = b"<html><body>502 Bad Gateway</body></html>"
RETRIED = outcome_params(failures_only=True, where=lambda _, outcome: outcome.retry_safe)


@pytest.fixture
def decoded_bodies(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every bytes body handed to json.loads while the test runs (httpx's Response.json() uses it too)."""
    seen: list[bytes] = []
    real_loads = json.loads

    def counting_loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(text, bytes):
            seen.append(text)
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting_loads)
    return seen


def _content(endpoint: Endpoint, code: int) -> bytes:
    return json.dumps(envelope(endpoint.operation, code)).encode()


@pytest.mark.parametrize(("endpoint", "outcome"), outcome_params())
@pytest.mark.parametrize("mode", MODES)
async def test_raise_or_return_decodes_the_answer_once_whatever_its_code(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    decoded_bodies: list[bytes],
    mode: Mode,
    endpoint: Endpoint,
    outcome: Outcome,
) -> None:
    content = _content(endpoint, outcome.value)
    endpoint.route(api).mock(return_value=httpx.Response(200, content=content))

    try:
        answer: Any = await endpoint.call(mode, make_client(clock, max_retries=0))
    except MeduxError as error:
        answer = error

    assert answer.code == outcome.value  # the success envelope, or the error raised for the code
    assert decoded_bodies.count(content) == 1


@pytest.mark.parametrize("endpoint", endpoint_params())
@pytest.mark.parametrize("mode", MODES)
async def test_a_body_that_is_not_json_is_tried_once_and_reported_malformed(
    api: respx.MockRouter, clock: FakeClock, decoded_bodies: list[bytes], mode: Mode, endpoint: Endpoint
) -> None:
    endpoint.route(api).mock(return_value=httpx.Response(502, content=NOT_JSON_BODY))

    detailed = await endpoint.call_detailed(mode, make_client(clock))
    with pytest.raises(MeduxError, match="not JSON"):
        await endpoint.call(mode, make_client(clock))

    assert detailed.parsed is None
    assert decoded_bodies.count(NOT_JSON_BODY) == 2  # one per call: the detailed one, the raising one


@pytest.mark.parametrize(("endpoint", "outcome"), RETRIED)
@pytest.mark.parametrize("mode", MODES)
async def test_a_retried_call_decodes_each_answer_once(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    decoded_bodies: list[bytes],
    mode: Mode,
    endpoint: Endpoint,
    outcome: Outcome,
) -> None:
    refusal, success = _content(endpoint, outcome.value), _content(endpoint, 0)
    route = endpoint.route(api).mock(
        side_effect=[httpx.Response(200, content=refusal), httpx.Response(200, content=success)]
    )

    answer = await endpoint.call(mode, make_client(clock))

    assert answer.code == 0
    assert route.call_count == 2
    assert (decoded_bodies.count(refusal), decoded_bodies.count(success)) == (1, 1)
