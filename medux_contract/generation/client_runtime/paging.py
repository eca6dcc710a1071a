"""Automatic pagination: follow ``next_cursor`` lazily, stop on the last page, never loop forever.

The generated ``pagination.py`` builds, for every operation the spec pages (a ``cursor`` query
parameter, and a success ``data`` carrying an array and ``next_cursor``), an item iterator and a page
iterator from these helpers. Each takes exactly the arguments of the operation's ``sync`` (or
``asyncio``) function: ``cursor`` is where to start (omit it for the first page), everything else
(``limit``, ``max_retries``...) is passed to every page request.

A page is requested only when the iteration reaches it. The last page is the one whose
``next_cursor`` is absent, ``null`` or empty. A server that hands out a cursor it already handed out
(or the one the iteration started from) would make the iteration loop forever: that raises
:class:`RepeatedCursorError` instead. Every error of a page request (``MeduxError`` subclasses,
``httpx`` errors after the operation's own retries) propagates from the iteration unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
E = TypeVar("E")
T = TypeVar("T")

CURSOR_ARGUMENT = "cursor"


class RepeatedCursorError(RuntimeError):
    """The server returned a ``next_cursor`` this iteration had already followed: paging stops here.

    Attributes:
        operation_id: the paged operation.
        page: the 1-based number of the page whose ``next_cursor`` repeated an earlier one.
        cursor: the repeated cursor (an opaque token, not a credential).
    """

    def __init__(self, operation_id: str, page: int, cursor: str) -> None:
        self.operation_id = operation_id
        self.page = page
        self.cursor = cursor
        super().__init__(
            f"{operation_id}: page {page} returned a next_cursor this iteration already followed; "
            "stopping instead of requesting the same pages forever"
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: its items, and the cursor of the next page (None on the last page).

    Pass ``next_cursor`` as ``cursor`` to resume an iteration later from the page after this one.
    """

    items: Sequence[T]
    next_cursor: str | None

    @classmethod
    def of(cls, items: Sequence[T] | None, next_cursor: str | None) -> Page[T]:
        # The spec's last page has no next_cursor; a null or empty one ends paging the same way.
        return cls(items=items or (), next_cursor=next_cursor or None)


class _CursorLog:
    """The cursors an iteration has followed, to refuse one the server hands out a second time."""

    def __init__(self, operation_id: str, start: object) -> None:
        self.operation_id = operation_id
        self.followed: set[str] = {start} if isinstance(start, str) and start else set()
        self.pages = 0

    def next_after(self, page: Page[Any]) -> str | None:
        self.pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return None
        if cursor in self.followed:
            raise RepeatedCursorError(self.operation_id, self.pages, cursor)
        self.followed.add(cursor)
        return cursor


def _documented(
    function: Callable[..., Any], fetch: Callable[..., Any], what: str, operation_id: str
) -> None:
    # functools.wraps gave `function` the signature of `fetch` (its __wrapped__); the doc is our own.
    function.__doc__ = (
        f"{what} of {operation_id}, following next_cursor lazily (see the module ``paging``).\n\n"
        f"Takes the arguments of ``{fetch.__module__}.{fetch.__name__}``: ``cursor`` is where to start."
    )


def page_iterator(
    fetch: Callable[P, E], page_of: Callable[[E], Page[T]], operation_id: str
) -> Callable[P, Iterator[Page[T]]]:
    """An iterator over the pages ``fetch`` returns, following each page's ``next_cursor``."""

    @functools.wraps(fetch)
    def pages(*args: P.args, **kwargs: P.kwargs) -> Iterator[Page[T]]:
        log = _CursorLog(operation_id, kwargs.get(CURSOR_ARGUMENT))
        while True:
            page = page_of(fetch(*args, **kwargs))
            yield page
            cursor = log.next_after(page)
            if cursor is None:
                return
            kwargs[CURSOR_ARGUMENT] = cursor

    _documented(pages, fetch, "Every page", operation_id)
    return pages


def item_iterator(
    fetch: Callable[P, E], page_of: Callable[[E], Page[T]], operation_id: str
) -> Callable[P, Iterator[T]]:
    """An iterator over the items of every page ``fetch`` returns, a page requested when reached."""
    pages = page_iterator(fetch, page_of, operation_id)

    @functools.wraps(fetch)
    def items(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        for page in pages(*args, **kwargs):
            yield from page.items

    _documented(items, fetch, "Every item of every page", operation_id)
    return items


def async_page_iterator(
    fetch: Callable[P, Awaitable[E]], page_of: Callable[[E], Page[T]], operation_id: str
) -> Callable[P, AsyncIterator[Page[T]]]:
    """The ``async for`` version of :func:`page_iterator`."""

    @functools.wraps(fetch)
    async def pages(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Page[T]]:
        log = _CursorLog(operation_id, kwargs.get(CURSOR_ARGUMENT))
        while True:
            page = page_of(await fetch(*args, **kwargs))
            yield page
            cursor = log.next_after(page)
            if cursor is None:
                return
            kwargs[CURSOR_ARGUMENT] = cursor

    _documented(pages, fetch, "Every page (async for)", operation_id)
    return pages


def async_item_iterator(
    fetch: Callable[P, Awaitable[E]], page_of: Callable[[E], Page[T]], operation_id: str
) -> Callable[P, AsyncIterator[T]]:
    """The ``async for`` version of :func:`item_iterator`."""
    pages = async_page_iterator(fetch, page_of, operation_id)

    @functools.wraps(fetch)
    async def items(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[T]:
        async for page in pages(*args, **kwargs):
            for item in page.items:
                yield item

    _documented(items, fetch, "Every item of every page (async for)", operation_id)
    return items


__all__ = [
    "Page",
    "RepeatedCursorError",
    "async_item_iterator",
    "async_page_iterator",
    "item_iterator",
    "page_iterator",
]
