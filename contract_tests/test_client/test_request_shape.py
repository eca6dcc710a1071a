"""What the client puts on the wire: method, URL, credentials, body or query, user agent, timeout."""

from __future__ import annotations

import json

import httpx
import medux_avatar_client
import pytest
import respx
from medux_avatar_client import client as client_module
from medux_avatar_client.api.clone import create_avatar_by_image, list_avatars

from contract_tests.test_client.support import (
    BASE_URL,
    CANARY_KEY,
    CONTRACT,
    CREATE,
    CREATE_ENDPOINT,
    LIST,
    LIST_ENDPOINT,
    MODES,
    OPERATION_URL,
    FakeClock,
    Mode,
    create,
    make_client,
    request_body,
)

SPEC_VERSION = CONTRACT.version


def _success(api: respx.MockRouter) -> respx.Route:
    return CREATE_ENDPOINT.route(api).mock(return_value=CREATE_ENDPOINT.answer(0, 200))


@pytest.mark.parametrize("mode", MODES)
async def test_request_is_an_authenticated_json_post_to_the_operation(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = _success(api)
    body = request_body(title="Official avatar", model_id="avatar-image-clone-standard")
    body["future_field"] = {"kept": True}

    await create(mode, make_client(clock), body)

    request = route.calls.last.request
    assert request.method == CREATE.method.upper()
    assert str(request.url) == OPERATION_URL
    assert request.headers["authorization"] == f"Bearer {CANARY_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "file_id": "FILE_ID",
        "title": "Official avatar",
        "model_id": "avatar-image-clone-standard",
        "future_field": {"kept": True},
    }


@pytest.mark.parametrize("mode", MODES)
async def test_list_request_is_an_authenticated_get_with_query_parameters_and_no_body(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(return_value=LIST_ENDPOINT.answer(0, 200))
    client = make_client(clock)

    if mode == "sync":
        list_avatars.sync(client=client, cursor="c_2", limit=50)
    else:
        await list_avatars.asyncio(client=client, cursor="c_2", limit=50)

    request = route.calls.last.request
    assert request.method == LIST.method.upper() == "GET"
    assert request.url.path == LIST.path
    assert dict(request.url.params) == {"cursor": "c_2", "limit": "50"}
    assert request.headers["authorization"] == f"Bearer {CANARY_KEY}"
    assert request.content == b""
    assert "content-type" not in request.headers


def test_first_page_request_sends_no_cursor_and_the_spec_default_limit(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = LIST_ENDPOINT.route(api).mock(return_value=LIST_ENDPOINT.answer(0, 200))

    list_avatars.sync(client=make_client(clock))

    default_limit = next(p for p in LIST.parameters if p.name == "limit").schema["default"]
    assert str(route.calls.last.request.url) == f"{BASE_URL}{LIST.path}?limit={default_limit}"


@pytest.mark.parametrize("mode", MODES)
async def test_user_agent_names_the_package_and_the_contract_version(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = _success(api)
    await create(mode, make_client(clock))
    assert route.calls.last.request.headers["user-agent"] == f"medux-avatar-client/{SPEC_VERSION}"
    assert medux_avatar_client.__version__ == SPEC_VERSION


@pytest.mark.parametrize("mode", MODES)
async def test_caller_user_agent_replaces_the_default_whatever_its_case(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = _success(api)
    await create(mode, make_client(clock, headers={"user-agent": "my-app/2.0"}))
    assert route.calls.last.request.headers.get_list("user-agent") == ["my-app/2.0"]


@pytest.mark.parametrize("mode", MODES)
async def test_client_wide_content_type_cannot_relabel_the_json_body(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = _success(api)
    await create(mode, make_client(clock, headers={"content-type": "text/plain", "X-Trace": "t1"}))
    sent = route.calls.last.request.headers
    assert sent.get_list("content-type") == ["application/json"]
    assert sent["x-trace"] == "t1"


def test_content_type_added_to_a_live_client_cannot_relabel_the_json_body(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = _success(api)
    client = make_client(clock)
    client.get_httpx_client()  # live: with_headers updates its httpx client in place
    relabelled = client.with_headers({"Content-Type": "text/plain"})

    for caller in (client, relabelled):
        create_avatar_by_image.sync(client=caller, body=request_body())
        assert route.calls.last.request.headers.get_list("content-type") == ["application/json"]


def test_default_timeout_is_finite_and_reaches_httpx(clock: FakeClock) -> None:
    client = make_client(clock)
    timeout = client.get_httpx_client().timeout
    assert timeout == client_module.DEFAULT_TIMEOUT
    assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
    assert client.get_async_httpx_client().timeout == client_module.DEFAULT_TIMEOUT


def test_timeout_is_configurable(clock: FakeClock) -> None:
    custom = httpx.Timeout(5.0, connect=1.0)
    assert make_client(clock, timeout=custom).get_httpx_client().timeout == custom
    assert make_client(clock).with_timeout(custom).get_async_httpx_client().timeout == custom


def test_negative_max_retries_is_refused_when_the_client_is_built(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        make_client(clock, max_retries=-1)
