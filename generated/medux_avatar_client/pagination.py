"""Automatic pagination, generated from openapi.yaml: one set of iterators per paged operation.

Do not edit: ``make generate`` renders this module (medux_contract/generation/client_extras.py) for
every operation that takes a ``cursor`` query parameter and whose success ``data`` carries an array
and ``next_cursor``. For such an operation ``<name>`` there are

- ``iter_<name>(...)`` / ``aiter_<name>(...)``: every item of every page (``for`` / ``async for``);
- ``iter_<name>_pages(...)`` / ``aiter_<name>_pages(...)``: every page, as a ``paging.Page`` with
  ``items`` and ``next_cursor`` (pass it as ``cursor`` to resume later).

They take exactly the arguments of ``api.<tag>.<name>.sync`` / ``asyncio``: ``cursor`` is where to
start (omit it for the first page); the others (``limit``, ``max_retries``...) go with every page
request, each retried as that operation allows. A page is requested only when the iteration reaches
it; iteration ends after the page without a ``next_cursor`` (absent, null or empty), and raises
``paging.RepeatedCursorError`` when the server hands out a cursor the iteration already followed.
Errors of a page request (``MeduxError`` subclasses, ``httpx`` errors) propagate unchanged.
"""

from __future__ import annotations

from .api.clone import list_avatars
from .models import Asset
from .paging import Page, async_item_iterator, async_page_iterator, item_iterator, page_iterator
from .results import ListAvatarsResult
from .types import Unset


def _list_avatars_page(envelope: ListAvatarsResult) -> Page[Asset]:
    # The success carries the items (sync raised otherwise); the last page has no cursor.
    data = envelope.data
    cursor = data.next_cursor
    return Page.of(data.items, None if isinstance(cursor, Unset) else cursor)


iter_list_avatars = item_iterator(list_avatars.sync, _list_avatars_page, "listAvatars")
iter_list_avatars_pages = page_iterator(list_avatars.sync, _list_avatars_page, "listAvatars")
aiter_list_avatars = async_item_iterator(list_avatars.asyncio, _list_avatars_page, "listAvatars")
aiter_list_avatars_pages = async_page_iterator(list_avatars.asyncio, _list_avatars_page, "listAvatars")

__all__ = [
    "aiter_list_avatars",
    "aiter_list_avatars_pages",
    "iter_list_avatars",
    "iter_list_avatars_pages",
]
