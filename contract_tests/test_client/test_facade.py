"""The resource-style client: ``Medux(...).clone.create_avatar_by_image(file_id=...)`` for every operation.

The methods are generated from the spec (tags give the resources, operationIds the methods); these
tests call them against respx, the embedded mock in-process (async) and the mock on a loopback port.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import (
    AsyncMedux,
    InsufficientCreditsError,
    InvalidInputError,
    Medux,
    MissingApiKeyError,
    RateLimitedError,
    RawResponse,
)
from medux_avatar_client.facade import DEFAULT_BASE_URL

from contract_tests.test_client.support import (
    BASE_URL,
    CANARY_KEY,
    CONTRACT,
    CREATE_ENDPOINT,
    LIST_ENDPOINT,
    FakeClock,
    envelope,
)
from medux_contract.generation.paged_operations import endpoint_module, tag_package
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.spec import Operation

KNOWN_IMAGE = "FILE_ID"  # an image of the mock's catalog, as in the README sample


@pytest.fixture(autouse=True)
def _no_medux_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEDUX_API_KEY", "MEDUX_BASE_URL", "MEDUX_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mock_url() -> Iterator[str]:
    with served(create_app(MockSettings(rate_limit_burst=None))) as url:
        yield url


def _medux(clock: FakeClock, **options: Any) -> Medux:
    return Medux(CANARY_KEY, base_url=BASE_URL, retry_policy=clock.policy(), **options)


def _inputs(operation: Operation) -> set[str]:
    names = {p.name for p in operation.parameters}
    if operation.has_body:
        names |= set(CONTRACT.schema_properties(operation.request_schema, operation.operation_id))
    return names


@pytest.mark.parametrize("operation", CONTRACT.operations, ids=lambda op: op.operation_id)
def test_every_operation_of_the_spec_is_a_method_of_its_tags_resource_in_all_four_flavours(
    operation: Operation,
) -> None:
    sync_client = Medux("k")
    async_client = AsyncMedux("k")
    resource, name = tag_package(operation), endpoint_module(operation)
    methods = [
        getattr(getattr(owner, resource), name)
        for owner in (
            sync_client,
            sync_client.with_raw_response,
            async_client,
            async_client.with_raw_response,
        )
    ]
    for method in methods:
        parameters = set(inspect.signature(method).parameters)
        assert _inputs(operation) | {"timeout", "max_retries"} <= parameters
    assert [inspect.iscoroutinefunction(m) for m in methods] == [False, False, True, True]


def test_the_readme_call_creates_an_avatar_on_the_mock_with_the_key_and_url_from_the_environment(
    mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDUX_API_KEY", DEFAULT_TEST_KEY)
    monkeypatch.setenv("MEDUX_BASE_URL", mock_url)

    with Medux() as client:
        created = client.clone.create_avatar_by_image(file_id=KNOWN_IMAGE, title="Portrait")
        listed = client.clone.list_avatars(limit=10)

    assert [item.avatar_asset_id for item in listed.data.items] == [created.data.asset.avatar_asset_id]
    assert listed.data.items[0].additional_properties["title"] == "Portrait"


def test_an_unknown_file_id_is_the_mocks_invalid_input_raised_as_its_class(mock_url: str) -> None:
    with Medux(DEFAULT_TEST_KEY, base_url=mock_url) as client, pytest.raises(InvalidInputError):
        client.clone.create_avatar_by_image(file_id="file_123")


def test_without_a_key_the_client_says_which_argument_or_variable_to_set() -> None:
    with pytest.raises(MissingApiKeyError, match=r"api_key=.*MEDUX_API_KEY"):
        Medux()


def test_the_base_url_defaults_to_the_specs_first_server() -> None:
    assert CONTRACT.servers[0].url.rstrip("/") == DEFAULT_BASE_URL
    assert str(Medux("k").api_client.get_httpx_client().base_url).rstrip("/") == DEFAULT_BASE_URL


def test_per_call_max_retries_and_with_options_override_the_clients(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    limited = httpx.Response(429, json=envelope(CREATE_ENDPOINT.operation, 16))
    route = CREATE_ENDPOINT.route(api).mock(return_value=limited)
    client = _medux(clock)  # max_retries=2 by default

    with pytest.raises(RateLimitedError):
        client.clone.create_avatar_by_image(file_id=KNOWN_IMAGE, max_retries=0)
    assert route.call_count == 1
    with pytest.raises(RateLimitedError):
        client.with_options(max_retries=1).clone.create_avatar_by_image(file_id=KNOWN_IMAGE)
    assert route.call_count == 3
    with pytest.raises(RateLimitedError):
        client.clone.create_avatar_by_image(file_id=KNOWN_IMAGE)  # the original keeps its two retries
    assert route.call_count == 6


def test_per_call_timeout_and_with_options_timeout_reach_the_request(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = LIST_ENDPOINT.route(api).mock(
        return_value=httpx.Response(200, json=envelope(LIST_ENDPOINT.operation, 0))
    )
    client = _medux(clock, timeout=30.0)

    client.clone.list_avatars()
    client.clone.list_avatars(timeout=2.5)
    client.with_options(timeout=httpx.Timeout(4.0, connect=1.0)).clone.list_avatars()

    timeouts = [call.request.extensions["timeout"] for call in route.calls]
    assert [t["read"] for t in timeouts] == [30.0, 2.5, 4.0]
    assert timeouts[2]["connect"] == 1.0


def test_the_raw_response_shows_status_and_headers_and_parse_keeps_the_typed_error(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    sent = envelope(CREATE_ENDPOINT.operation, 1401)
    CREATE_ENDPOINT.route(api).mock(
        return_value=httpx.Response(402, json=sent, headers={"x-request-id": "r1"})
    )

    raw = _medux(clock).with_raw_response.clone.create_avatar_by_image(file_id=KNOWN_IMAGE)

    assert isinstance(raw, RawResponse)
    assert (raw.status_code, raw.headers["x-request-id"], json.loads(raw.content)) == (402, "r1", sent)
    with pytest.raises(InsufficientCreditsError) as caught:
        raw.parse()
    assert caught.value.http_status == 402


def test_the_raw_response_of_a_success_parses_to_the_typed_result(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    sent = envelope(CREATE_ENDPOINT.operation, 0)
    CREATE_ENDPOINT.route(api).mock(return_value=httpx.Response(200, json=sent))

    raw = _medux(clock).with_raw_response.clone.create_avatar_by_image(file_id=KNOWN_IMAGE, title="t")

    assert raw.parse().data.asset.avatar_asset_id == sent["data"]["asset"]["avatar_asset_id"]
    assert json.loads(api.calls.last.request.content) == {
        "file_id": KNOWN_IMAGE,
        "title": "t",
        "model_id": "avatar-image-clone-standard",
    }


def test_extra_body_adds_members_the_request_model_does_not_name(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    CREATE_ENDPOINT.route(api).mock(
        return_value=httpx.Response(200, json=envelope(CREATE_ENDPOINT.operation, 0))
    )

    _medux(clock).clone.create_avatar_by_image(file_id=KNOWN_IMAGE, extra_body={"callback": "https://x"})

    assert json.loads(api.calls.last.request.content)["callback"] == "https://x"


def test_leaving_the_context_manager_closes_the_connections() -> None:
    with Medux("k") as client:
        http = client.api_client.get_httpx_client()
        assert not http.is_closed
    assert http.is_closed


async def test_async_client_calls_the_in_process_mock_and_closes() -> None:
    app = create_app(MockSettings(rate_limit_burst=None))
    transport = httpx.ASGITransport(app=app)
    async with AsyncMedux(
        DEFAULT_TEST_KEY, base_url="http://mock", httpx_args={"transport": transport}
    ) as client:
        created = await client.clone.create_avatar_by_image(file_id=KNOWN_IMAGE)
        raw = await client.with_raw_response.clone.list_avatars(limit=1)
        http = client.api_client.get_async_httpx_client()
    assert raw.status_code == 200
    assert [a.avatar_asset_id for a in raw.parse().data.items] == [created.data.asset.avatar_asset_id]
    assert http.is_closed


def test_the_key_is_in_no_repr() -> None:
    client = Medux(CANARY_KEY)
    for shown in (repr(client), repr(client.with_options(max_retries=0)), repr(client.api_client)):
        assert CANARY_KEY not in shown


LOGGED_CALLS = textwrap.dedent(
    """
    import logging
    import sys
    from medux_avatar_client import InvalidInputError, Medux

    with Medux(sys.argv[1], base_url=sys.argv[2]) as client:
        # Whatever reaches the client's handler is scrubbed of the key, even a record that carries it.
        logging.getLogger("medux_avatar_client.app").info("echoing %s", sys.argv[1])
        client.clone.create_avatar_by_image(file_id="FILE_ID")
        try:
            client.clone.create_avatar_by_image(file_id=sys.argv[1])  # the key, echoed nowhere
        except InvalidInputError:
            pass
    """
)


@pytest.mark.parametrize(("level", "debug_lines"), [("debug", True), ("info", False), ("", False)])
def test_medux_log_switches_logging_on_and_the_key_never_shows(
    mock_url: str, level: str, debug_lines: bool
) -> None:
    environment = {**os.environ, "MEDUX_LOG": level}
    result = subprocess.run(
        [sys.executable, "-c", LOGGED_CALLS, DEFAULT_TEST_KEY, mock_url],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )

    assert result.returncode == 0, result.stderr
    assert DEFAULT_TEST_KEY not in result.stderr + result.stdout
    assert ("HTTP Request: POST" in result.stderr) is bool(level)
    assert ("echoing [redacted]" in result.stderr) is bool(level)
    assert ("Medux createAvatarByImage: POST" in result.stderr) is debug_lines
