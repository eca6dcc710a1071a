"""What the schemathesis phase left behind for the stateful rules: the things the run created with
its key, and every page a listing answered (an ``after_validate`` hook sees each answer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from schemathesis import Case, CheckResult, HookContext, Response

from medux_contract.conformance.credentials import Credentials, classify, valid_key
from medux_contract.conformance.judged import judged_answer
from medux_contract.conformance.stateful.listing import (
    ITEMS_MEMBER,
    LIMIT_PARAMETER,
    created_identities,
    listings,
)


@dataclass(frozen=True)
class Created:
    """A thing an operation created with the run's key, as a listing would name it."""

    operation_id: str
    listing_id: str
    identity: tuple[Any, ...]


@dataclass(frozen=True)
class SeenPage:
    listing_id: str
    limit: int
    size: int
    request: str


def requested_limit(url: str, default: int | None) -> int | None:
    """The page size a request asked for (the default when it asked for none); None if unreadable."""
    values = parse_qs(urlsplit(url).query, keep_blank_values=True).get(LIMIT_PARAMETER)
    if values is None:
        return default
    text = values[0]
    return int(text) if len(values) == 1 and text.lstrip("-").isdigit() else None


def page_request(method: str | None, url: str | None) -> str:
    parts = urlsplit(url or "")
    return f"{method} {parts.path}" + (f"?{parts.query}" if parts.query else "")


@dataclass
class Observed:
    created: list[Created] = field(default_factory=list)
    pages: list[SeenPage] = field(default_factory=list)

    def after_validate(
        self, context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        answer = judged_answer(case, response)
        code = None if answer is None else answer.verdict.code
        if answer is None or code is None or answer.verdict.envelope is None:
            return
        if not answer.operation.outcome(code).is_success:
            return
        request = response.request
        if classify(request.headers, valid_key(case)) is not Credentials.VALID:
            return
        data = answer.verdict.envelope.get("data")
        for listing in listings(answer.contract):
            if answer.operation is listing.operation:
                self._saw_page(listing.operation.operation_id, listing.default_limit, request, data)
                continue
            for identity in created_identities(listing, answer.operation, data):
                created = Created(answer.operation.operation_id, listing.operation.operation_id, identity)
                if created not in self.created:
                    self.created.append(created)

    def _saw_page(self, listing_id: str, default: int | None, request: Any, data: Any) -> None:
        limit = requested_limit(request.url or "", default)
        items = data.get(ITEMS_MEMBER) if isinstance(data, dict) else None
        if limit is not None and isinstance(items, list):
            self.pages.append(
                SeenPage(listing_id, limit, len(items), page_request(request.method, request.url))
            )
