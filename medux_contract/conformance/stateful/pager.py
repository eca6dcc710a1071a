"""Reading a listing page by page, as a client would: follow ``next_cursor`` until it ends.

Requests go through schemathesis with the run's transport (in-process app, or the guarded session
against a URL), so every page passes the live guard like any other request. A walk stops at the
first sign of a paging fault and says what it was; it never follows a cursor it has seen before,
so a server that loops cannot hold the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from schemathesis.schemas import BaseSchema

from medux_contract.conformance.codebook import rejecting_input
from medux_contract.conformance.stateful.listing import (
    CURSOR_PARAMETER,
    ITEMS_MEMBER,
    LIMIT_PARAMETER,
    NEXT_CURSOR_MEMBER,
    Listing,
)
from medux_contract.conformance.stateful.observed import page_request
from medux_contract.envelope import Verdict, judge

AUTHORIZATION = "Authorization"


@dataclass(frozen=True)
class Page:
    request: str
    limit: int | None
    """The page size asked for; None: the request named none (the default applies)."""
    items: tuple[Any, ...]
    next_cursor: Any


@dataclass
class Walk:
    limit: int | None
    pages: list[Page] = field(default_factory=list)
    identities: list[tuple[Any, ...]] = field(default_factory=list)
    fault: str | None = None
    """A paging fault: an item twice, a cursor twice, the server's own cursor refused, no end."""
    unread: str | None = None
    """Why the walk could not go on without a paging fault (a refused key, a server error, ...)."""

    @property
    def ended(self) -> bool:
        return self.fault is None and self.unread is None


def _answer_text(page_number: int, verdict: Verdict, status: int) -> str:
    if verdict.code is None:
        problems = "; ".join(verdict.problems()) or "no envelope"
        return f"page {page_number} got HTTP {status} without a usable envelope ({problems})"
    message = verdict.envelope.get("message") if verdict.envelope else None
    return f"page {page_number} was answered with code {verdict.code} {message!r} (HTTP {status})"


class Pager:
    def __init__(self, schema: BaseSchema, listing: Listing, transport_kwargs: dict[str, Any]) -> None:
        operation = listing.operation
        self.listing = listing
        self._api = schema[operation.path][operation.method.upper()]
        self._transport_kwargs = transport_kwargs

    def fetch(self, key: str, cursor: str | None, limit: int | None) -> tuple[int, Verdict, str]:
        query: dict[str, Any] = {}
        if limit is not None:
            query[LIMIT_PARAMETER] = limit
        if cursor is not None:
            query[CURSOR_PARAMETER] = cursor
        case = self._api.Case(query=query, headers={AUTHORIZATION: f"Bearer {key}"})
        response = case.call(**self._transport_kwargs)
        verdict = judge(self.listing.operation, response.status_code, response.headers, response.content)
        return response.status_code, verdict, page_request(response.request.method, response.request.url)

    def walk(self, key: str, limit: int | None, max_pages: int) -> Walk:
        walk = Walk(limit)
        seen_items: dict[tuple[Any, ...], int] = {}
        seen_cursors: dict[str, int] = {}
        cursor: str | None = None
        for number in range(1, max_pages + 1):
            status, verdict, request = self.fetch(key, cursor, limit)
            page = self._page(verdict, request, limit)
            if page is None:
                code = verdict.code
                if number > 1 and code is not None and code in rejecting_input(self.listing.operation):
                    walk.fault = (
                        f"the server refused the next_cursor it returned on page {number - 1}: "
                        + _answer_text(number, verdict, status)
                    )
                else:
                    walk.unread = _answer_text(number, verdict, status)
                return walk
            walk.pages.append(page)
            for item in page.items:
                identity = self.listing.identity(item) or (json.dumps(item, sort_keys=True, default=str),)
                if identity in seen_items:
                    walk.fault = (
                        f"item {_shown(identity)} came on page {seen_items[identity]} and again on "
                        f"page {number} ({request})"
                    )
                    return walk
                seen_items[identity] = number
                walk.identities.append(identity)
            following = page.next_cursor
            if following is None or following == "":
                return walk
            if not isinstance(following, str):
                walk.fault = (
                    f"page {number} has a next_cursor of type {type(following).__name__}, not a string"
                )
                return walk
            if following in seen_cursors:
                walk.fault = (
                    f"page {number} returned the next_cursor page {seen_cursors[following]} already "
                    "returned: following it would loop"
                )
                return walk
            seen_cursors[following] = number
            cursor = following
        walk.fault = f"following next_cursor did not end within {max_pages} pages"
        return walk

    def _page(self, verdict: Verdict, request: str, limit: int | None) -> Page | None:
        if verdict.code is None or verdict.envelope is None:
            return None
        if not self.listing.operation.outcome(verdict.code).is_success:
            return None
        data = verdict.envelope.get("data")
        items = data.get(ITEMS_MEMBER) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return None
        return Page(
            request, limit, tuple(items), data.get(NEXT_CURSOR_MEMBER) if isinstance(data, dict) else None
        )


def _shown(identity: tuple[Any, ...]) -> str:
    return ", ".join(map(str, identity))
