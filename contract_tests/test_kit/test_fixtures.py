"""The test kit's fixtures, as this repository's own pytest loads them (the library is installed
editable, so its ``pytest11`` entry point is active here as in a user's environment)."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from medux_avatar_client import AsyncMedux, InsufficientCreditsError, Medux

from medux_contract.mock import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings
from medux_contract.mock.kit import MockHandle, in_process
from medux_contract.spec import load_contract

CREATE = next(op for op in load_contract().operations if op.path == "/api/app/v1/clone/avatar/by_image")


def test_server_fixture_serves_the_sync_client_on_a_loopback_port(medux_mock_server: MockHandle) -> None:
    assert medux_mock_server.base_url.startswith("http://127.0.0.1:")
    with Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url) as client:
        created = client.clone.create_avatar_by_image(file_id="FILE_ID", title="Portrait")
        listed = client.clone.list_avatars()
    assert [item.avatar_asset_id for item in listed.data.items] == [created.data.asset.avatar_asset_id]


async def test_in_process_fixture_serves_the_async_client_through_its_transport(
    medux_mock: MockHandle,
) -> None:
    async with AsyncMedux(
        api_key=medux_mock.api_key,
        base_url=medux_mock.base_url,
        httpx_args={"transport": medux_mock.transport},
    ) as client:
        created = await client.clone.create_avatar_by_image(file_id="FILE_ID")
        listed = await client.clone.list_avatars()
    assert [item.avatar_asset_id for item in listed.data.items] == [created.data.asset.avatar_asset_id]


def test_reset_forgets_what_a_test_created(medux_mock_server: MockHandle) -> None:
    with Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url) as client:
        client.clone.create_avatar_by_image(file_id="FILE_ID")
        medux_mock_server.reset()
        assert client.clone.list_avatars().data.items == []


def test_magic_file_id_makes_the_client_raise_the_typed_error(medux_mock_server: MockHandle) -> None:
    with (
        Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url) as client,
        pytest.raises(InsufficientCreditsError),
    ):
        client.clone.create_avatar_by_image(file_id=medux_mock_server.magic_file_id(1401))


async def test_prefer_header_selects_the_named_example(medux_mock: MockHandle) -> None:
    async with httpx.AsyncClient(transport=medux_mock.transport, base_url=medux_mock.base_url) as http:
        answer = await http.post(
            CREATE.path,
            json={"file_id": "FILE_ID"},
            headers={"Authorization": f"Bearer {medux_mock.paid_api_key}", **medux_mock.prefer(1405)},
        )
    assert answer.json()["code"] == 1405


def test_magic_cursor_names_the_code(medux_mock: MockHandle) -> None:
    assert medux_mock.magic_cursor(99) == "mock_code_99"


@pytest.mark.medux_mock(credits=0)
def test_marker_gives_the_test_a_mock_of_its_own_settings(medux_mock_server: MockHandle) -> None:
    assert medux_mock_server.settings.credits == 0
    with (
        Medux(api_key=medux_mock_server.api_key, base_url=medux_mock_server.base_url) as client,
        pytest.raises(InsufficientCreditsError),
    ):
        client.clone.create_avatar_by_image(file_id="FILE_ID")


def test_handle_names_the_default_keys_but_its_repr_shows_none() -> None:
    handle = in_process(MockSettings())
    assert (handle.api_key, handle.paid_api_key) == (DEFAULT_TEST_KEY, DEFAULT_PAID_TEST_KEY)
    assert DEFAULT_TEST_KEY not in repr(handle)
    assert repr(handle) == "MockHandle(in-process, base_url='http://medux-mock.test')"


def test_a_plan_without_a_key_is_a_clear_error() -> None:
    handle = in_process(MockSettings(api_keys={"sk_test_only_free": "free"}))
    with pytest.raises(LookupError, match="no key on the paid plan"):
        _ = handle.paid_api_key


def test_loading_the_plugin_imports_nothing_of_the_mock() -> None:
    # pytest imports the plugin at every start in an environment that has it installed.
    heavy = ("starlette", "uvicorn", "medux_contract.mock", "yaml")
    probe = f"import sys, medux_contract.pytest_plugin; print(sorted(set({heavy!r}) & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
