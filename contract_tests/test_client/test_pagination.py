"""Automatic pagination of List Avatars: lazy, follows next_cursor to the last page, never loops forever."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
import respx
from medux_avatar_client import AuthenticatedClient, Page, RepeatedCursorError, UnauthenticatedError
from medux_avatar_client.models import Asset
from medux_avatar_client.pagination import (
    aiter_list_avatars,
    aiter_list_avatars_pages,
    iter_list_avatars,
    iter_list_avatars_pages,
)

from contract_tests.test_client.support import (
    LIST_ENDPOINT,
    MODES,
    FakeClock,
    Mode,
    make_client,
)
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings, create_app

LAST_PAGE_MARKERS = [
    pytest.param({}, id="absent"),
    pytest.param({"next_cursor": None}, id="null"),
    pytest.param({"next_cursor": ""}, id="empty"),
]


def _page(ids: list[str], **cursor: Any) -> httpx.Response:
    items = [{"avatar_asset_id": asset_id} for asset_id in ids]
    return httpx.Response(200, json={"code": 0, "message": "ok", "data": {"items": items, **cursor}})


def _pages(*pages: tuple[list[str], str | None]) -> list[httpx.Response]:
    """One answer per page; each page's cursor names the next one, None ends paging."""
    return [_page(ids, **({} if cursor is None else {"next_cursor": cursor})) for ids, cursor in pages]


THREE_PAGES = (["a1", "a2"], "c2"), (["a3", "a4"], "c3"), (["a5"], None)


async def _collect(mode: Mode, client: AuthenticatedClient, **options: Any) -> list[Asset]:
    if mode == "sync":
        return list(iter_list_avatars(client=client, **options))
    return [item async for item in aiter_list_avatars(client=client, **options)]


def _ids(items: list[Asset]) -> list[str]:
    return [str(item.avatar_asset_id) for item in items]


@pytest.mark.parametrize("mode", MODES)
async def test_items_of_every_page_come_in_order_following_each_next_cursor(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=_pages(*THREE_PAGES))

    items = await _collect(mode, make_client(clock), limit=2)

    assert _ids(items) == ["a1", "a2", "a3", "a4", "a5"]
    sent = [dict(call.request.url.params) for call in route.calls]
    assert sent == [{"limit": "2"}, {"limit": "2", "cursor": "c2"}, {"limit": "2", "cursor": "c3"}]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("last", LAST_PAGE_MARKERS)
async def test_paging_stops_on_the_page_without_a_next_cursor(
    api: respx.MockRouter, clock: FakeClock, mode: Mode, last: dict[str, Any]
) -> None:
    route = LIST_ENDPOINT.route(api).mock(
        side_effect=[_page(["a1"], next_cursor="c2"), _page(["a2"], **last)]
    )

    items = await _collect(mode, make_client(clock))

    assert _ids(items) == ["a1", "a2"]
    assert route.call_count == 2


@pytest.mark.parametrize("mode", MODES)
async def test_an_empty_list_is_one_request_and_no_items(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=[_page([])])

    assert await _collect(mode, make_client(clock)) == []
    assert route.call_count == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("answers", "pages_before_error"),
    [
        pytest.param(_pages((["a1"], "c2"), (["a2"], "c2")), 2, id="same-cursor-twice"),
        pytest.param(_pages((["a1"], "c2"), (["a2"], "c3"), (["a3"], "c2")), 3, id="cycle-back"),
    ],
)
async def test_a_cursor_the_server_already_returned_raises_instead_of_looping(
    api: respx.MockRouter,
    clock: FakeClock,
    mode: Mode,
    answers: list[httpx.Response],
    pages_before_error: int,
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=answers)

    with pytest.raises(RepeatedCursorError) as caught:
        await _collect(mode, make_client(clock))

    assert route.call_count == pages_before_error
    error = caught.value
    assert (error.operation_id, error.page, error.cursor) == (LIST_ENDPOINT.id, pages_before_error, "c2")
    assert "already followed" in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_a_next_cursor_equal_to_the_starting_cursor_raises(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    LIST_ENDPOINT.route(api).mock(side_effect=_pages((["a3"], "c_start")))

    with pytest.raises(RepeatedCursorError):
        await _collect(mode, make_client(clock), cursor="c_start")


def test_pages_are_requested_only_when_the_iteration_reaches_them(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=_pages(*THREE_PAGES))

    items = iter_list_avatars(client=make_client(clock), limit=2)
    assert route.call_count == 0
    assert _ids([next(items), next(items)]) == ["a1", "a2"]
    assert route.call_count == 1
    assert _ids([next(items)]) == ["a3"]
    assert route.call_count == 2


async def test_async_pages_are_requested_only_when_the_iteration_reaches_them(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = LIST_ENDPOINT.route(api).mock(side_effect=_pages(*THREE_PAGES))

    items = aiter_list_avatars(client=make_client(clock), limit=2)
    assert route.call_count == 0
    assert (await anext(items)).avatar_asset_id == "a1"
    assert route.call_count == 1
    await anext(items)
    assert route.call_count == 1
    assert (await anext(items)).avatar_asset_id == "a3"
    assert route.call_count == 2


@pytest.mark.parametrize("mode", MODES)
async def test_page_iterator_gives_each_page_with_the_cursor_to_resume_from(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    LIST_ENDPOINT.route(api).mock(side_effect=_pages(*THREE_PAGES))
    client = make_client(clock)

    if mode == "sync":
        pages = list(iter_list_avatars_pages(client=client))
    else:
        pages = [page async for page in aiter_list_avatars_pages(client=client)]

    assert all(isinstance(page, Page) for page in pages)
    assert [(_ids(list(page.items)), page.next_cursor) for page in pages] == [
        (["a1", "a2"], "c2"),
        (["a3", "a4"], "c3"),
        (["a5"], None),
    ]


@pytest.mark.parametrize("mode", MODES)
async def test_an_error_on_a_later_page_propagates_after_the_earlier_items(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    LIST_ENDPOINT.route(api).mock(
        side_effect=[
            _page(["a1"], next_cursor="c2"),
            httpx.Response(401, json={"code": 13, "message": "unauthenticated"}),
        ]
    )
    seen: list[str] = []

    async def consume() -> None:
        if mode == "sync":
            seen.extend(str(item.avatar_asset_id) for item in iter_list_avatars(client=make_client(clock)))
            return
        async for item in aiter_list_avatars(client=make_client(clock)):
            seen.append(str(item.avatar_asset_id))

    with pytest.raises(UnauthenticatedError):
        await consume()

    assert seen == ["a1"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_server_error_on_a_page_is_retried_like_any_list_call(
    api: respx.MockRouter, clock: FakeClock, mode: Mode
) -> None:
    route = LIST_ENDPOINT.route(api).mock(
        side_effect=[_page(["a1"], next_cursor="c2"), LIST_ENDPOINT.answer(99), _page(["a2"])]
    )

    assert _ids(await _collect(mode, make_client(clock))) == ["a1", "a2"]
    assert route.call_count == 3
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize("mode", MODES)
async def test_paging_through_the_mock_visits_every_held_avatar_once(clock: FakeClock, mode: Mode) -> None:
    held = 45
    app = create_app(MockSettings(seed_assets=held, asset_limit=None, rate_limit_burst=None))
    with served(app) as url:
        mine = make_client(clock, token=DEFAULT_TEST_KEY, base_url=url)
        theirs = make_client(clock, token=DEFAULT_PAID_TEST_KEY, base_url=url)
        ids = _ids(await _collect(mode, mine, limit=10))
        other = _ids(await _collect(mode, theirs, limit=10))

    assert len(ids) == len(set(ids)) == held
    assert set(other).isdisjoint(ids)


def test_iterators_take_the_arguments_of_the_list_call_and_say_what_they_do() -> None:
    expected = inspect.signature(LIST_ENDPOINT.module.sync)
    for iterator in (
        iter_list_avatars,
        iter_list_avatars_pages,
        aiter_list_avatars,
        aiter_list_avatars_pages,
    ):
        assert inspect.signature(iterator) == expected
        assert "following next_cursor lazily" in (iterator.__doc__ or "")
