"""Answers a real API (or the proxy in front of it) sends: the client never leaks ValueError & co."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import MalformedResponseError, UnknownCodeError, exceptions
from medux_avatar_client.models import Asset, ResponseCode, ResponseData, ResponseMessage
from medux_avatar_client.types import UNSET

from contract_tests.test_client.support import (
    CONTRACT,
    CREATE,
    CREATE_ENDPOINT,
    MODES,
    Endpoint,
    FakeClock,
    Mode,
    create,
    create_detailed,
    endpoint_params,
    envelope,
    make_client,
)

UNLISTED_CODE = max(code.code for code in CONTRACT.codes) + 1
SUCCESS = CONTRACT.codes.success
NOT_RETRIED = next(o.code for o in CREATE.outcomes if not o.is_success and not o.retry_safe)


def _serve(
    api: respx.MockRouter, status: int = 200, endpoint: Endpoint = CREATE_ENDPOINT, **content: Any
) -> None:
    endpoint.route(api).mock(return_value=httpx.Response(status, **content))


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_code_raises_unknown_code_error_keeping_code_and_message(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    _serve(api, json={"code": UNLISTED_CODE, "message": "quota frozen", "data": {"hint": 1}})

    with pytest.raises(UnknownCodeError) as caught:
        await create(mode, make_client(clock))

    assert (caught.value.code, caught.value.message, caught.value.http_status) == (
        UNLISTED_CODE,
        "quota frozen",
        200,
    )
    assert caught.value.envelope == {"code": UNLISTED_CODE, "message": "quota frozen", "data": {"hint": 1}}


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_code_and_message_parse_as_unknown_members_keeping_the_raw_values(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    sent = {"code": UNLISTED_CODE, "message": "quota frozen"}
    _serve(api, json=sent)

    parsed = (await create_detailed(mode, make_client(clock))).parsed

    assert parsed is not None
    assert isinstance(parsed.code, ResponseCode)
    assert isinstance(parsed.message, ResponseMessage)
    assert (parsed.code.value, parsed.code.is_known, parsed.code.name) == (UNLISTED_CODE, False, "UNKNOWN")
    assert (parsed.message.value, parsed.message.is_known) == ("quota frozen", False)
    assert parsed.to_dict() == sent


@pytest.mark.parametrize("mode", MODES)
async def test_known_code_with_an_unlisted_message_raises_its_class_with_the_message_as_sent(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    code = next(code for code in CONTRACT.codes if not code.is_success)
    _serve(api, json={"code": code.code, "message": "reworded by the vendor"})

    with pytest.raises(exceptions.ERRORS_BY_CODE[code.code]) as caught:
        await create(mode, make_client(clock))

    assert caught.value.message == "reworded by the vendor"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "sent",
    [
        pytest.param({"code": 0, "message": "ok", "data": None}, id="null-data"),
        pytest.param({"code": 0, "message": "ok", "data": {"asset": None, "task": None}}, id="null-asset"),
        pytest.param({"code": 0, "message": None}, id="null-message-no-data"),
    ],
)
async def test_nulls_for_optional_members_read_as_absent(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, sent: dict[str, Any]
) -> None:
    _serve(api, json=sent)

    result = (await create_detailed(mode, make_client(clock))).parsed

    assert result is not None
    assert result.code == SUCCESS.code
    assert result.data is UNSET or (isinstance(result.data, ResponseData) and result.data.asset is UNSET)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("sent", "missing"),
    [
        pytest.param({"code": 0, "message": "ok", "data": None}, "data", id="null-data"),
        pytest.param({"code": 0, "message": "ok"}, "data", id="no-data"),
        pytest.param({"code": 0, "message": "ok", "data": {"asset": None}}, "data.asset", id="null-asset"),
        pytest.param({"code": 0, "message": "ok", "data": {"task": {}}}, "data.asset", id="no-asset"),
    ],
)
async def test_a_success_without_a_member_its_code_carries_raises_instead_of_returning_it(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, sent: dict[str, Any], missing: str
) -> None:
    # The typed result declares data.asset set on every success of the create: a success without it
    # would make that type lie, so the raise-or-return call reports a malformed answer instead.
    _serve(api, json=sent)

    with pytest.raises(MalformedResponseError, match=f"lacks {missing}, which") as caught:
        await create(mode, make_client(clock))

    assert caught.value.operation == CREATE.operation_id
    assert caught.value.envelope == sent


@pytest.mark.parametrize("mode", MODES)
async def test_a_success_with_its_carried_member_and_nulls_elsewhere_returns_it(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    _serve(api, json={"code": 0, "message": None, "data": {"asset": {"avatar_asset_id": "a1"}, "task": None}})

    result = await create(mode, make_client(clock))

    assert result.data.asset.avatar_asset_id == "a1"
    assert result.data.task is UNSET


@pytest.mark.parametrize("mode", MODES)
async def test_members_the_spec_does_not_list_are_kept_at_every_level(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    sent = envelope(
        CREATE,
        SUCCESS.code,
        request_id="req_1",
        data={"asset": {"avatar_asset_id": "a1", "preview": "p.png"}, "eta": 3},
    )
    _serve(api, json=sent)

    result = await create(mode, make_client(clock))

    assert result["request_id"] == "req_1"
    assert isinstance(result.data, ResponseData)
    assert result.data["eta"] == 3
    assert isinstance(result.data.asset, Asset)
    assert result.data.asset["preview"] == "p.png"
    assert result.to_dict() == sent


HOSTILE = [
    pytest.param(
        502, {"text": "<html><body><h1>502 Bad Gateway</h1></body></html>"}, "not JSON", id="html-502"
    ),
    pytest.param(200, {"content": b""}, "not JSON", id="empty-200"),
    pytest.param(200, {"content": b'{"code": 0, "message": "o'}, "not JSON", id="truncated-json"),
    pytest.param(200, {"content": b"\xff\xfe\x00garbage"}, "not JSON", id="not-utf8"),
    pytest.param(200, {"json": [0, "ok"]}, "JSON, but not an object", id="json-array"),
    pytest.param(200, {"json": {"message": "ok"}}, "no integer code", id="no-code"),
    pytest.param(200, {"json": {"code": "0", "message": "ok"}}, "no integer code", id="code-as-string"),
    pytest.param(200, {"json": {"code": False, "message": "ok"}}, "no integer code", id="code-as-bool"),
    pytest.param(200, {"json": {"code": 0, "data": "oops"}}, "does not match", id="success-data-not-object"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", endpoint_params())
@pytest.mark.parametrize(("status", "content", "reason"), HOSTILE)
async def test_body_that_is_not_an_envelope_raises_malformed_response_error(
    *,
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    endpoint: Endpoint,
    status: int,
    content: dict[str, Any],
    reason: str,
) -> None:
    _serve(api, status, endpoint, **content)

    with pytest.raises(MalformedResponseError) as caught:
        await endpoint.call(mode, make_client(clock))

    assert (caught.value.http_status, caught.value.operation) == (status, endpoint.id)
    assert reason in caught.value.reason
    assert caught.value.code is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "content"), [pytest.param(*case.values[:2], id=case.id) for case in HOSTILE]
)
async def test_detailed_call_returns_the_raw_answer_for_a_body_that_is_not_an_envelope(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, status: int, content: dict[str, Any]
) -> None:
    _serve(api, status, **content)

    response = await create_detailed(mode, make_client(clock))

    assert response.status_code == status
    assert response.content == httpx.Response(status, **content).content


@pytest.mark.parametrize("mode", MODES)
async def test_html_body_snippet_is_short_and_truncated(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    page = "<html>" + "x" * 10_000 + "</html>"
    _serve(api, 502, text=page)

    with pytest.raises(MalformedResponseError) as caught:
        await create(mode, make_client(clock))

    snippet = caught.value.body_snippet
    assert snippet.startswith("<html>xxx")
    assert len(snippet) <= exceptions.SNIPPET_LIMIT + len("...")
    assert snippet.endswith("...")
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [520, 299, 418, 599])
async def test_any_http_status_is_accepted_and_kept(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, status: int
) -> None:
    _serve(api, status, json=envelope(CREATE, NOT_RETRIED.code))

    response = await create_detailed(mode, make_client(clock))
    with pytest.raises(exceptions.ERRORS_BY_CODE[NOT_RETRIED.code]) as caught:
        await create(mode, make_client(clock))

    assert response.status_code == status
    assert caught.value.http_status == status


@pytest.mark.parametrize("mode", MODES)
async def test_success_envelope_at_http_520_is_still_a_success(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    # The vendor documents no statuses: the envelope's code decides, not the status line.
    _serve(api, 520, json=envelope(CREATE, SUCCESS.code))
    result = await create(mode, make_client(clock))
    assert result.code == SUCCESS.code
