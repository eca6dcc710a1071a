"""The generated client against the embedded mock (in process, httpx.ASGITransport) in every scenario."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from medux_avatar_client import AuthenticatedClient, MeduxError, exceptions
from medux_avatar_client.models import Asset, ResponseData

from contract_tests.test_client.support import FakeClock, create, make_client, request_body
from medux_contract.mock import (
    DEFAULT_PAID_TEST_KEY,
    DEFAULT_TEST_KEY,
    MockSettings,
    create_app,
    magic_file_id,
    prefer_example,
)
from medux_contract.mock.settings import StatusMode
from medux_contract.spec import CodeEntry, code_table

STATUS_MODES: tuple[StatusMode, ...] = ("all-200", "mapped")
EVERY_CODE = [
    pytest.param(entry, status_mode, id=f"{entry.name}-{status_mode}")
    for entry in code_table()
    for status_mode in STATUS_MODES
]
ENTRY = {entry.name: entry for entry in code_table()}


def _mock_client(clock: FakeClock, key: str = DEFAULT_TEST_KEY, **settings: Any) -> AuthenticatedClient:
    app = create_app(MockSettings(clock=lambda: clock.monotonic, **settings))
    return make_client(
        clock, token=key, base_url="http://mock.test", httpx_args={"transport": httpx.ASGITransport(app=app)}
    )


def _expected_status(entry: CodeEntry, status_mode: StatusMode) -> int:
    return entry.mock_http_status if status_mode == "mapped" else 200


async def _assert_outcome(
    client: AuthenticatedClient, entry: CodeEntry, status: int, clock: FakeClock, **body: Any
) -> None:
    if entry.is_success:
        result = await create("async", client, request_body(**body))
        assert result.code == entry.code
        assert isinstance(result.data, ResponseData)
        assert isinstance(result.data.asset, Asset)
        assert str(result.data.asset.avatar_asset_id).startswith("avatar_mock_")
        return
    with pytest.raises(MeduxError) as caught:
        await create("async", client, request_body(**body))
    assert type(caught.value) is exceptions.ERRORS_BY_CODE[entry.code]
    assert (caught.value.code, caught.value.message, caught.value.http_status) == (
        entry.code,
        entry.message,
        status,
    )
    # The mock asks for Retry-After on retryable codes: the client waited for it, twice.
    assert len(clock.sleeps) == (2 if entry.retryable else 0)


@pytest.mark.parametrize(("entry", "status_mode"), EVERY_CODE)
async def test_every_code_selected_by_magic_file_id(
    clock: FakeClock, entry: CodeEntry, status_mode: StatusMode
) -> None:
    client = _mock_client(clock, status_mode=status_mode)
    await _assert_outcome(
        client, entry, _expected_status(entry, status_mode), clock, file_id=magic_file_id(entry)
    )


@pytest.mark.parametrize(("entry", "status_mode"), EVERY_CODE)
async def test_every_code_selected_by_prefer_example(
    clock: FakeClock, entry: CodeEntry, status_mode: StatusMode
) -> None:
    client = _mock_client(clock, status_mode=status_mode).with_headers({"Prefer": prefer_example(entry)})
    if entry.is_success:  # the spec's success example is sent verbatim: its asset id is the vendor's
        result = await create("async", client)
        assert result.code == entry.code
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

    assert caught.value.code == ENTRY["RATE_LIMITED"].code
    assert clock.sleeps == []  # Retry-After (100 s) is beyond max_retry_after: not waited for
