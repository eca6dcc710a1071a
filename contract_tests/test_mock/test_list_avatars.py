"""List Avatars: the assets the POST created, per key, paged by opaque cursors that stay stable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_tests.test_mock.conftest import (
    CONTRACT,
    LIST,
    MockClient,
    assert_envelope,
    call,
    code_of,
    post,
)
from medux_contract.mock import (
    DEFAULT_PAID_TEST_KEY,
    DEFAULT_TEST_KEY,
    PREFER_HEADER,
    REASON_HEADER,
    StatusMode,
    magic_cursor,
    magic_file_id,
    prefer_example,
)
from medux_contract.mock.cursors import ISSUED_MEMO, Cursors
from medux_contract.spec import Outcome

UNLIMITED: dict[str, Any] = {"credits": None, "asset_limit": None, "rate_limit_burst": None}
LIMIT = next(p for p in LIST.parameters if p.name == "limit").schema
LIST_CODES = [pytest.param(outcome, id=outcome.example_name) for outcome in LIST.outcomes]
MODES: list[StatusMode] = ["all-200", "mapped"]


async def create(client: httpx.AsyncClient, title: str, key: str = DEFAULT_TEST_KEY) -> dict[str, Any]:
    body = assert_envelope(await post(client, {"file_id": "FILE_ID", "title": title}, key=key))
    assert body["code"] == code_of("OK")
    return body["data"]["asset"]  # type: ignore[no-any-return]


async def page(
    client: httpx.AsyncClient, key: str = DEFAULT_TEST_KEY, **params: Any
) -> tuple[list[dict[str, Any]], str | None]:
    body = assert_envelope(await call(client, LIST, params, key=key))
    assert body["code"] == code_of("OK"), body
    return body["data"]["items"], body["data"].get("next_cursor")


async def refusal(client: httpx.AsyncClient, params: Any, key: str = DEFAULT_TEST_KEY) -> str:
    """The reason of a code-12 answer to a list request."""
    response = await call(client, LIST, params, key=key)
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    return response.headers[REASON_HEADER]


async def test_created_assets_are_listed_for_their_key_oldest_first(mock_client: MockClient) -> None:
    async with mock_client(**UNLIMITED) as client:
        created = [await create(client, f"avatar {n}") for n in range(3)]
        items, following = await page(client)
    assert items == created
    assert following is None


async def test_another_key_never_sees_the_first_keys_assets(mock_client: MockClient) -> None:
    async with mock_client(**UNLIMITED) as client:
        mine = await create(client, "mine")
        theirs = await create(client, "theirs", key=DEFAULT_PAID_TEST_KEY)
        first, _ = await page(client)
        second, _ = await page(client, key=DEFAULT_PAID_TEST_KEY)
    assert first == [mine]
    assert second == [theirs]
    assert mine["avatar_asset_id"] != theirs["avatar_asset_id"]


async def test_a_key_with_no_assets_gets_an_empty_last_page(mock_client: MockClient) -> None:
    async with mock_client() as client:
        assert await page(client) == ([], None)


async def test_paging_visits_every_asset_once_while_others_keep_creating(mock_client: MockClient) -> None:
    async with mock_client(**UNLIMITED) as client:
        created = [await create(client, f"before {n}") for n in range(7)]
        existing = len(created)
        visited: list[dict[str, Any]] = []
        items, cursor = await page(client, limit=2)
        while True:
            visited += items
            # Other clients create assets between pages, with this key and with another one.
            created.append(await create(client, f"during {len(visited)}"))
            await create(client, "elsewhere", key=DEFAULT_PAID_TEST_KEY)
            if cursor is None:
                break
            assert len(visited) < 50, "paging did not end"
            items, cursor = await page(client, limit=2, cursor=cursor)
    # Oldest first, each once: what was visited is the key's creations in order, from the first
    # asset through at least every one that existed when paging began.
    assert len(visited) >= existing
    assert visited == created[: len(visited)]


async def test_a_page_never_holds_more_than_limit_and_the_full_last_page_has_no_cursor(
    mock_client: MockClient,
) -> None:
    async with mock_client(**UNLIMITED, seed_assets=4) as client:
        first, cursor = await page(client, limit=2)
        second, end = await page(client, limit=2, cursor=cursor)
    assert (len(first), len(second)) == (2, 2)
    assert cursor is not None
    assert end is None
    assert {item["avatar_asset_id"] for item in first}.isdisjoint(item["avatar_asset_id"] for item in second)


async def test_missing_limit_takes_the_default_of_its_schema(mock_client: MockClient) -> None:
    default = LIMIT["default"]
    async with mock_client(**UNLIMITED, seed_assets=default + 1) as client:
        items, cursor = await page(client)
        rest, end = await page(client, cursor=cursor)
    assert (len(items), len(rest)) == (default, 1)
    assert cursor is not None
    assert end is None


async def test_the_largest_limit_is_accepted(mock_client: MockClient) -> None:
    async with mock_client(**UNLIMITED, seed_assets=LIMIT["maximum"] + 5) as client:
        items, cursor = await page(client, limit=LIMIT["maximum"])
    assert len(items) == LIMIT["maximum"]
    assert cursor is not None


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        pytest.param({"limit": 0}, "minimum", id="zero"),
        pytest.param({"limit": -1}, "minimum", id="negative"),
        pytest.param({"limit": LIMIT["maximum"] + 1}, "maximum", id="above-maximum"),
        pytest.param({"limit": "1.5"}, "not an integer", id="fraction"),
        pytest.param({"limit": "ten"}, "not an integer", id="word"),
        pytest.param({"limit": ""}, "not an integer", id="empty"),
        pytest.param({"limit": " 5"}, "not an integer", id="padded"),
        pytest.param({"limit": "9" * 40}, "not an integer", id="huge"),
        pytest.param({"limit": "\x1b[31m\r\n"}, "not an integer", id="control-characters"),
        pytest.param([("limit", "2"), ("limit", "3")], "given 2 times", id="repeated"),
        pytest.param({"cursor": ""}, "cursor", id="empty-cursor"),
        pytest.param({"cursor": "CURSOR"}, "not issued", id="the-spec-placeholder"),
        pytest.param({"cursor": "A" * 27}, "not issued", id="forged"),
        pytest.param({"cursor": "\u00e9" * 27}, "not issued", id="not-ascii"),
        pytest.param({"cursor": "\x00" * 27}, "not issued", id="nul-bytes"),
        pytest.param(
            {"cursor": magic_cursor(code_of("INSUFFICIENT_CREDITS"))}, "not issued", id="magic-of-another-op"
        ),
    ],
)
async def test_bad_limit_or_cursor_yields_code_12_with_a_reason(
    mock_client: MockClient, params: Any, reason: str
) -> None:
    async with mock_client(seed_assets=3) as client:
        assert reason in await refusal(client, params)


async def test_a_cursor_issued_to_another_key_yields_code_12(mock_client: MockClient) -> None:
    async with mock_client(seed_assets=3) as client:
        _, cursor = await page(client, limit=1)
        reason = await refusal(client, {"cursor": cursor}, key=DEFAULT_PAID_TEST_KEY)
    assert "not issued" in reason


async def test_a_tampered_cursor_yields_code_12(mock_client: MockClient) -> None:
    async with mock_client(seed_assets=3) as client:
        _, cursor = await page(client, limit=1)
        assert cursor is not None
        # A middle character: the last one of unpadded base64 may carry only padding bits, so
        # changing it can leave the decoded cursor unchanged (the test then failed now and then).
        middle = len(cursor) // 2
        tampered = cursor[:middle] + ("A" if cursor[middle] != "A" else "B") + cursor[middle + 1 :]
        assert "not issued" in await refusal(client, {"cursor": tampered})


async def test_reset_forgets_the_assets_and_the_cursors(mock_client: MockClient) -> None:
    async with mock_client(**UNLIMITED) as client:
        for n in range(3):
            await create(client, f"avatar {n}")
        _, cursor = await page(client, limit=1)
        client.app.state.mock.reset()  # type: ignore[attr-defined]
        after = await page(client)
        reason = await refusal(client, {"cursor": cursor})
    assert after == ([], None)
    assert "not issued" in reason


async def test_after_a_reset_the_cursors_issued_again_are_followed_to_the_end(
    mock_client: MockClient,
) -> None:
    # The same positions after a reset must get cursors of the new secret, not remembered old ones.
    async with mock_client(**UNLIMITED) as client:
        for n in range(3):
            await create(client, f"avatar {n}")
        _, before = await page(client, limit=1)
        client.app.state.mock.reset()  # type: ignore[attr-defined]
        for n in range(3):
            await create(client, f"again {n}")
        first, cursor = await page(client, limit=1)
        second, _ = await page(client, limit=1, cursor=cursor)
    assert cursor != before
    assert [item["title"] for item in first + second] == ["again 0", "again 1"]


def test_remembered_cursors_are_bounded() -> None:
    cursors = Cursors()
    tokens = {cursors.issue(b"tag", position) for position in range(ISSUED_MEMO * 3)}
    assert len(tokens) == ISSUED_MEMO * 3
    assert len(cursors._issued) <= ISSUED_MEMO
    assert cursors.position(b"tag", cursors.issue(b"tag", 7)) == 7


async def test_seeded_assets_are_listed_and_count_toward_the_asset_limit(mock_client: MockClient) -> None:
    async with mock_client(seed_assets=2, asset_limit=2) as client:
        items, _ = await page(client)
        response = await post(client, {"file_id": "FILE_ID"})
    assert len({item["avatar_asset_id"] for item in items}) == 2
    assert assert_envelope(response)["code"] == code_of("ASSET_LIMIT_REACHED")


async def test_refused_and_on_demand_creations_are_not_listed(mock_client: MockClient) -> None:
    async with mock_client(credits=0) as client:
        await post(client, {"file_id": "FILE_ID"})  # 1401
        await post(client, {"file_id": magic_file_id(code_of("OK"))})  # chosen on demand
        await post(client, {"file_id": "FILE_ID"}, headers={PREFER_HEADER: prefer_example(code_of("OK"))})
        assert await page(client) == ([], None)


async def test_listing_needs_credentials(mock_client: MockClient) -> None:
    async with mock_client() as client:
        missing = await call(client, LIST, key=None)
        wrong = await call(client, LIST, key="sk_wrong")
    assert assert_envelope(missing)["code"] == assert_envelope(wrong)["code"] == code_of("UNAUTHENTICATED")


async def test_listing_is_not_rate_limited_nor_billed(mock_client: MockClient) -> None:
    # The list answers neither 16 nor 1401: those steps are not in its decision chain.
    async with mock_client(credits=0, rate_limit_burst=1, seed_assets=1) as client:
        pages = [await page(client) for _ in range(5)]
    assert all(len(items) == 1 for items, _ in pages)


async def test_unknown_query_parameters_are_ignored(mock_client: MockClient) -> None:
    async with mock_client(seed_assets=1) as client:
        items, _ = await page(client, debug="1", sort="newest")
    assert len(items) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("outcome", LIST_CODES)
async def test_prefer_example_selects_each_list_code(
    mock_client: MockClient, outcome: Outcome, mode: StatusMode
) -> None:
    async with mock_client(status_mode=mode) as client:
        response = await call(client, LIST, headers={PREFER_HEADER: prefer_example(outcome)})
    assert assert_envelope(response) == outcome.example
    assert response.status_code == (CONTRACT.mock_http_status[outcome.value] if mode == "mapped" else 200)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("outcome", LIST_CODES)
async def test_magic_cursor_selects_each_list_code(
    mock_client: MockClient, outcome: Outcome, mode: StatusMode
) -> None:
    async with mock_client(status_mode=mode, seed_assets=2) as client:
        response = await call(client, LIST, {"cursor": magic_cursor(outcome), "limit": 1})
    body = assert_envelope(response)
    assert body["code"] == outcome.value
    assert response.status_code == (CONTRACT.mock_http_status[outcome.value] if mode == "mapped" else 200)
    assert magic_cursor(outcome) in response.headers[REASON_HEADER]


async def test_magic_success_is_the_first_real_page(mock_client: MockClient) -> None:
    async with mock_client(seed_assets=3) as client:
        chosen, chosen_cursor = await page(client, cursor=magic_cursor(code_of("OK")), limit=2)
        first, first_cursor = await page(client, limit=2)
    assert chosen == first
    assert chosen_cursor is not None
    assert first_cursor is not None


async def test_prefer_for_a_code_the_list_cannot_answer_yields_code_12_naming_its_examples(
    mock_client: MockClient,
) -> None:
    async with mock_client() as client:
        response = await call(
            client, LIST, headers={PREFER_HEADER: prefer_example(code_of("INSUFFICIENT_CREDITS"))}
        )
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    reason = response.headers[REASON_HEADER]
    assert all(outcome.example_name in reason for outcome in LIST.outcomes)


async def test_selected_list_outcomes_need_credentials(mock_client: MockClient) -> None:
    async with mock_client() as client:
        magic = await call(client, LIST, {"cursor": magic_cursor(code_of("OK"))}, key=None)
        preferred = await call(client, LIST, key=None, headers={PREFER_HEADER: prefer_example(code_of("OK"))})
    assert assert_envelope(magic)["code"] == assert_envelope(preferred)["code"] == code_of("UNAUTHENTICATED")


async def test_the_same_path_with_another_method_yields_405_naming_get(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await client.post(
            LIST.path, json={}, headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}"}
        )
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


async def test_an_applied_timeout_created_the_avatar_so_the_list_shows_it(mock_client: MockClient) -> None:
    timeout = code_of("PROVIDER_TIMEOUT")
    async with mock_client(credits=2) as client:
        applied = await post(
            client,
            {"file_id": "FILE_ID", "title": "late"},
            headers={PREFER_HEADER: prefer_example(timeout, applied=True)},
        )
        items, _ = await page(client)
        account = client.app.state.mock.accounts.snapshot(DEFAULT_TEST_KEY)  # type: ignore[attr-defined]
    assert assert_envelope(applied)["code"] == timeout
    assert [item["title"] for item in items] == ["late"]
    assert account.credits == 1


async def test_a_plain_timeout_created_nothing(mock_client: MockClient) -> None:
    async with mock_client() as client:
        answer = await post(
            client,
            {"file_id": "FILE_ID"},
            headers={PREFER_HEADER: prefer_example(code_of("PROVIDER_TIMEOUT"))},
        )
        assert assert_envelope(answer)["code"] == code_of("PROVIDER_TIMEOUT")
        assert await page(client) == ([], None)


async def test_an_applied_outcome_that_cannot_follow_work_yields_code_12(mock_client: MockClient) -> None:
    async with mock_client() as client:
        on_post = await post(
            client,
            {"file_id": "FILE_ID"},
            headers={PREFER_HEADER: prefer_example(code_of("INVALID_MODEL"), applied=True)},
        )
        on_list = await call(
            client, LIST, headers={PREFER_HEADER: prefer_example(code_of("SERVER_ERROR"), applied=True)}
        )
        items, _ = await page(client)
    for response in (on_post, on_list):
        assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
        assert "applied" in response.headers[REASON_HEADER]
    assert items == []


async def test_an_applied_timeout_without_credits_is_refused_as_the_work_would_be(
    mock_client: MockClient,
) -> None:
    async with mock_client(credits=0) as client:
        response = await post(
            client,
            {"file_id": "FILE_ID"},
            headers={PREFER_HEADER: prefer_example(code_of("PROVIDER_TIMEOUT"), applied=True)},
        )
    assert assert_envelope(response)["code"] == code_of("INSUFFICIENT_CREDITS")
