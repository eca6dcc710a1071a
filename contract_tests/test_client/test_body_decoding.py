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
    FakeClock,
    Mode,
    create,
    create_detailed,
    envelope,
    make_client,
)
from medux_contract.spec import OPERATION_PATH, CodeEntry, code_table

NOT_JSON_BODY = b"<html><body>502 Bad Gateway</body></html>"
RETRYABLE = next(entry for entry in code_table() if entry.retryable)
SUCCESS = next(entry for entry in code_table() if entry.is_success)


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


def _content(entry: CodeEntry) -> bytes:
    return json.dumps(envelope(entry)).encode()


@pytest.mark.parametrize("entry", code_table(), ids=lambda entry: entry.name)
@pytest.mark.parametrize("mode", MODES)
async def test_raise_or_return_decodes_the_answer_once_whatever_its_code(
    api: respx.MockRouter, clock: FakeClock, decoded_bodies: list[bytes], mode: Mode, entry: CodeEntry
) -> None:
    content = _content(entry)
    api.post(OPERATION_PATH).mock(return_value=httpx.Response(200, content=content))

    try:
        outcome: Any = await create(mode, make_client(clock, max_retries=0))
    except MeduxError as error:
        outcome = error

    assert outcome.code == entry.code  # the success envelope, or the error raised for the code
    assert decoded_bodies.count(content) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_a_body_that_is_not_json_is_tried_once_and_reported_malformed(
    api: respx.MockRouter, clock: FakeClock, decoded_bodies: list[bytes], mode: Mode
) -> None:
    api.post(OPERATION_PATH).mock(return_value=httpx.Response(502, content=NOT_JSON_BODY))

    detailed = await create_detailed(mode, make_client(clock))
    with pytest.raises(MeduxError, match="not JSON"):
        await create(mode, make_client(clock))

    assert detailed.parsed is None
    assert decoded_bodies.count(NOT_JSON_BODY) == 2  # one per call: the detailed one, the raising one


@pytest.mark.parametrize("mode", MODES)
async def test_a_retried_call_decodes_each_answer_once(
    api: respx.MockRouter, clock: FakeClock, decoded_bodies: list[bytes], mode: Mode
) -> None:
    refusal, success = _content(RETRYABLE), _content(SUCCESS)
    route = api.post(OPERATION_PATH).mock(
        side_effect=[httpx.Response(200, content=refusal), httpx.Response(200, content=success)]
    )

    answer = await create(mode, make_client(clock))

    assert answer.code == SUCCESS.code
    assert route.call_count == 2
    assert (decoded_bodies.count(refusal), decoded_bodies.count(success)) == (1, 1)
