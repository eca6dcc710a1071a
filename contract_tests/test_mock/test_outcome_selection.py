"""Every code of the spec's table is reachable on demand, both ways, in both status modes."""

from __future__ import annotations

import pytest

from contract_tests.test_mock.conftest import CONTRACT, CREATE, MockClient, assert_envelope, code_of, post
from medux_contract.mock import (
    PREFER_HEADER,
    REASON_HEADER,
    MockSettings,
    StatusMode,
    magic_file_id,
    prefer_example,
)
from medux_contract.spec import Outcome

CODES = [pytest.param(entry, id=entry.example_name) for entry in CREATE.outcomes]
MODES: list[StatusMode] = ["all-200", "mapped"]


def expected_status(entry: Outcome, mode: StatusMode) -> int:
    return CONTRACT.mock_http_status[entry.value] if mode == "mapped" else 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", CODES)
async def test_magic_file_id_selects_each_code(
    mock_client: MockClient, entry: Outcome, mode: StatusMode
) -> None:
    async with mock_client(status_mode=mode) as client:
        response = await post(client, {"file_id": magic_file_id(entry), "title": "magic"})
    body = assert_envelope(response)
    assert body["code"] == entry.value
    assert response.status_code == expected_status(entry, mode)
    assert set(entry.carries) <= set(body.get("data", {}))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entry", CODES)
async def test_prefer_example_selects_each_code(
    mock_client: MockClient, entry: Outcome, mode: StatusMode
) -> None:
    async with mock_client(status_mode=mode) as client:
        response = await post(client, {"file_id": "FILE_ID"}, headers={PREFER_HEADER: prefer_example(entry)})
    body = assert_envelope(response)
    assert body["code"] == entry.value
    assert response.status_code == expected_status(entry, mode)
    # Prism-style: the spec's example, verbatim.
    assert body == entry.example


def test_magic_file_ids_follow_one_rule_from_the_table() -> None:
    ids = [magic_file_id(entry) for entry in CREATE.outcomes]
    assert ids == [f"file_mock_code_{entry.value}" for entry in CREATE.outcomes]
    assert len(set(ids)) == len(ids)


async def test_magic_success_echoes_title_with_a_fresh_asset_id(mock_client: MockClient) -> None:
    ok = CREATE.success
    async with mock_client() as client:
        first = assert_envelope(await post(client, {"file_id": magic_file_id(ok), "title": "Magic"}))
        second = assert_envelope(await post(client, {"file_id": magic_file_id(ok)}))
    assert first["data"]["asset"]["title"] == "Magic"
    assert "title" not in second["data"]["asset"]
    assert first["data"]["asset"]["avatar_asset_id"] != second["data"]["asset"]["avatar_asset_id"]


@pytest.mark.parametrize("entry", CODES)
async def test_selected_outcomes_leave_credits_and_rate_limit_untouched(
    mock_client: MockClient, entry: Outcome
) -> None:
    async with mock_client(credits=1, rate_limit_burst=1) as client:
        forced = await post(client, {"file_id": magic_file_id(entry)})
        preferred = await post(client, {"file_id": "FILE_ID"}, headers={PREFER_HEADER: prefer_example(entry)})
        real = await post(client, {"file_id": "FILE_ID"})
    assert assert_envelope(forced)["code"] == assert_envelope(preferred)["code"] == entry.value
    assert assert_envelope(real)["code"] == code_of("OK")


async def test_unknown_prefer_example_yields_code_12_naming_the_known_ones(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(
            client, {"file_id": "FILE_ID"}, headers={PREFER_HEADER: "example=no_such_example"}
        )
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    for entry in CREATE.outcomes:
        assert entry.example_name in response.headers[REASON_HEADER]


async def test_prefer_wins_over_a_magic_file_id(mock_client: MockClient) -> None:
    first, last = CREATE.outcomes[1], CREATE.outcomes[-1]
    async with mock_client() as client:
        response = await post(
            client, {"file_id": magic_file_id(first)}, headers={PREFER_HEADER: prefer_example(last)}
        )
    assert assert_envelope(response)["code"] == last.value


async def test_prefer_is_read_among_other_preferences(mock_client: MockClient) -> None:
    entry = CREATE.outcomes[-1]
    header = f'return=minimal, example="{entry.example_name}"; foo=bar'
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID"}, headers={PREFER_HEADER: header})
    assert assert_envelope(response)["code"] == entry.value


async def test_selection_still_requires_credentials(mock_client: MockClient) -> None:
    ok = CREATE.success
    async with mock_client() as client:
        magic = await post(client, {"file_id": magic_file_id(ok)}, key=None)
        preferred = await post(
            client, {"file_id": "FILE_ID"}, key="sk_wrong", headers={PREFER_HEADER: prefer_example(ok)}
        )
    assert assert_envelope(magic)["code"] == assert_envelope(preferred)["code"] == 13


async def test_rate_limited_selection_carries_retry_after_in_both_modes(mock_client: MockClient) -> None:
    for mode in MODES:
        async with mock_client(MockSettings(status_mode=mode)) as client:
            response = await post(client, {"file_id": magic_file_id(code_of("RATE_LIMITED"))})
        assert response.headers["Retry-After"] == "1"
