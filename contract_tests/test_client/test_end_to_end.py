"""The generated client against the embedded mock (in process, httpx.ASGITransport) in every scenario."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from medux_avatar_client import AuthenticatedClient, MeduxError, exceptions
from medux_avatar_client.models import Asset, ResponseData

from contract_tests.test_client.support import (
    CREATE,
    LIST,
    LIST_ENDPOINT,
    FakeClock,
    create,
    make_client,
    mock_status,
    request_body,
)
from medux_contract.mock import (
    DEFAULT_PAID_TEST_KEY,
    DEFAULT_TEST_KEY,
    MockSettings,
    create_app,
    magic_cursor,
    magic_file_id,
    prefer_example,
)
from medux_contract.mock.settings import StatusMode
from medux_contract.spec import Outcome

STATUS_MODES: tuple[StatusMode, ...] = ("all-200", "mapped")
EVERY_CODE = [
    pytest.param(outcome, status_mode, id=f"{outcome.code.name}-{status_mode}")
    for outcome in CREATE.outcomes
    for status_mode in STATUS_MODES
]
EVERY_LIST_CODE = [
    pytest.param(outcome, status_mode, id=f"{outcome.code.name}-{status_mode}")
    for outcome in LIST.outcomes
    for status_mode in STATUS_MODES
]
ENTRY = {outcome.code.name: outcome for outcome in CREATE.outcomes}


def _mock_client(clock: FakeClock, key: str = DEFAULT_TEST_KEY, **settings: Any) -> AuthenticatedClient:
    app = create_app(MockSettings(clock=lambda: clock.monotonic, **settings))
    return make_client(
        clock, token=key, base_url="http://mock.test", httpx_args={"transport": httpx.ASGITransport(app=app)}
    )


def _expected_status(entry: Outcome, status_mode: StatusMode) -> int:
    return mock_status(entry.value) if status_mode == "mapped" else 200


async def _assert_outcome(
    client: AuthenticatedClient, entry: Outcome, status: int, clock: FakeClock, **body: Any
) -> None:
    code = entry.code
    if entry.is_success:
        result = await create("async", client, request_body(**body))
        assert result.code == code.code
        assert isinstance(result.data, ResponseData)
        assert isinstance(result.data.asset, Asset)
        assert str(result.data.asset.avatar_asset_id).startswith("avatar_mock_")
        return
    with pytest.raises(MeduxError) as caught:
        await create("async", client, request_body(**body))
    assert type(caught.value) is exceptions.ERRORS_BY_CODE[code.code]
    assert (caught.value.code, caught.value.message, caught.value.http_status) == (
        code.code,
        code.message,
        status,
    )
    # The client retried what this operation may repeat (after the mock's Retry-After), twice.
    assert len(clock.sleeps) == (2 if entry.retry_safe else 0)


@pytest.mark.parametrize(("entry", "status_mode"), EVERY_CODE)
async def test_every_code_selected_by_magic_file_id(
    clock: FakeClock, entry: Outcome, status_mode: StatusMode
) -> None:
    client = _mock_client(clock, status_mode=status_mode)
    await _assert_outcome(
        client, entry, _expected_status(entry, status_mode), clock, file_id=magic_file_id(entry)
    )


@pytest.mark.parametrize(("entry", "status_mode"), EVERY_CODE)
async def test_every_code_selected_by_prefer_example(
    clock: FakeClock, entry: Outcome, status_mode: StatusMode
) -> None:
    client = _mock_client(clock, status_mode=status_mode).with_headers({"Prefer": prefer_example(entry)})
    if entry.is_success:  # the spec's success example is sent verbatim: its asset id is the vendor's
        result = await create("async", client)
        assert result.code == entry.value
        return
    await _assert_outcome(client, entry, _expected_status(entry, status_mode), clock)


# What the mock decides by itself: (table row by name, mock settings, key, request body).
BEHAVIOURS = [
    pytest.param("OK", {}, DEFAULT_TEST_KEY, {"title": "Official avatar"}, id="success"),
    pytest.param("UNAUTHENTICATED", {}, "sk_unknown_key", {}, id="unknown-key"),
    pytest.param("INVALID_MODEL", {}, DEFAULT_TEST_KEY, {"model_id": "no-such-model"}, id="unknown-model"),
    pytest.param(
        "PAID_PLAN_REQUIRED", {}, DEFAULT_TEST_KEY, {"model_id": "avatar-image-clone-pro"}, id="free-plan"
    ),
    pytest.param("OK", {}, DEFAULT_PAID_TEST_KEY, {"model_id": "avatar-image-clone-pro"}, id="paid-plan"),
    pytest.param(
        "INVALID_INPUT", {}, DEFAULT_TEST_KEY, {"file_id": "file_never_uploaded"}, id="unknown-file"
    ),
    pytest.param(
        "ASSET_CATEGORY_MISMATCH", {}, DEFAULT_TEST_KEY, {"file_id": "file_voice_audio"}, id="not-an-image"
    ),
    pytest.param("INSUFFICIENT_CREDITS", {"credits": 0}, DEFAULT_TEST_KEY, {}, id="no-credits"),
    pytest.param("ASSET_LIMIT_REACHED", {"asset_limit": 0}, DEFAULT_TEST_KEY, {}, id="asset-limit"),
]


@pytest.mark.parametrize("status_mode", STATUS_MODES)
@pytest.mark.parametrize(("name", "settings", "key", "body"), BEHAVIOURS)
async def test_mock_behaviour_maps_to_the_table_outcome(
    *,
    clock: FakeClock,
    status_mode: StatusMode,
    name: str,
    settings: dict[str, Any],
    key: str,
    body: dict[str, Any],
) -> None:
    client = _mock_client(clock, key, status_mode=status_mode, **settings)
    await _assert_outcome(client, ENTRY[name], _expected_status(ENTRY[name], status_mode), clock, **body)


async def test_title_and_unlisted_asset_members_come_back_kept(clock: FakeClock) -> None:
    result = await create("async", _mock_client(clock), request_body(title="Official avatar"))
    assert isinstance(result.data, ResponseData)
    assert isinstance(result.data.asset, Asset)
    assert result.data.asset["title"] == "Official avatar"


@pytest.mark.parametrize("status_mode", STATUS_MODES)
async def test_rate_limit_is_waited_out_with_the_mocks_retry_after(
    clock: FakeClock, status_mode: StatusMode
) -> None:
    client = _mock_client(clock, status_mode=status_mode, rate_limit_burst=1, rate_limit_per_second=0.5)

    first = await create("async", client)
    second = await create("async", client)  # the bucket is empty: 16, Retry-After 2, then admitted

    assert (first.code, second.code) == (0, 0)
    assert clock.sleeps == [2.0]


async def test_rate_limit_outlasting_the_retries_raises_the_transient_error(clock: FakeClock) -> None:
    client = _mock_client(clock, rate_limit_burst=1, rate_limit_per_second=0.01)
    await create("async", client)

    with pytest.raises(exceptions.TransientError) as caught:
        await create("async", client, max_retries=1)

    assert caught.value.code == ENTRY["RATE_LIMITED"].value
    assert clock.sleeps == []  # Retry-After (100 s) is beyond max_retry_after: not waited for


@pytest.mark.parametrize(("entry", "status_mode"), EVERY_LIST_CODE)
async def test_every_list_code_selected_by_magic_cursor_or_prefer_example(
    clock: FakeClock, entry: Outcome, status_mode: StatusMode
) -> None:
    expected = _expected_status(entry, status_mode)
    by_cursor = _mock_client(clock, status_mode=status_mode)
    by_prefer = _mock_client(clock, status_mode=status_mode).with_headers({"Prefer": prefer_example(entry)})
    for client, options in ((by_cursor, {"cursor": magic_cursor(entry)}), (by_prefer, {})):
        clock.sleeps.clear()
        if entry.is_success:
            result = await LIST_ENDPOINT.call("async", client, **options)
            assert result.code == entry.value
            continue
        with pytest.raises(MeduxError) as caught:
            await LIST_ENDPOINT.call("async", client, **options)
        assert type(caught.value) is exceptions.ERRORS_BY_CODE[entry.value]
        assert (caught.value.code, caught.value.http_status) == (entry.value, expected)
        # The list is a read: 99 is retried (twice) before it is raised; 12 and 13 are not.
        assert len(clock.sleeps) == (2 if entry.retry_safe else 0)


async def test_avatars_created_through_the_client_are_listed_for_the_same_key_only(clock: FakeClock) -> None:
    app = create_app(MockSettings(clock=lambda: clock.monotonic))
    transport = {"transport": httpx.ASGITransport(app=app)}
    mine = make_client(clock, token=DEFAULT_TEST_KEY, base_url="http://mock.test", httpx_args=transport)
    theirs = make_client(
        clock, token=DEFAULT_PAID_TEST_KEY, base_url="http://mock.test", httpx_args=transport
    )

    created = await create("async", mine, request_body(title="Mine"))
    assert isinstance(created.data, ResponseData)
    assert isinstance(created.data.asset, Asset)

    listed = await LIST_ENDPOINT.call("async", mine)
    others = await LIST_ENDPOINT.call("async", theirs)
    assert [item.avatar_asset_id for item in listed.data.items] == [created.data.asset.avatar_asset_id]
    assert others.data.items == []
