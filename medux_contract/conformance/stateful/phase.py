"""The stateful rules, run after the schemathesis phase against the same server.

- ``created_assets_are_listed``: what an operation created with the run's key (the POST's asset)
  is in the listing for that key;
- ``next_cursor_visits_every_item_once``: following ``next_cursor`` visits every item once and
  ends (no item twice, no cursor twice, the server accepts the cursors it issued, and small pages
  visit the same items as large ones);
- ``other_keys_never_see_them``: a second key's listing holds none of them;
- ``pages_never_exceed_limit``: no page holds more items than the ``limit`` asked for (or the
  default when none was).

Against a remote server the creating request bills, so the first and third rules judge only what
the run was allowed to create (``MEDUX_ALLOW_BILLABLE=1``); the listing reads cannot bill and run
regardless, within the live guard's caps.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from schemathesis.schemas import BaseSchema

from medux_contract.conformance.stateful.listing import Listing, listings
from medux_contract.conformance.stateful.observed import Observed, SeenPage
from medux_contract.conformance.stateful.pager import Pager, Walk
from medux_contract.spec import Contract

CREATED_ARE_LISTED = "created_assets_are_listed"
CURSOR_VISITS_ONCE = "next_cursor_visits_every_item_once"
OTHER_KEYS_SEE_NONE = "other_keys_never_see_them"
PAGES_WITHIN_LIMIT = "pages_never_exceed_limit"
STATEFUL_RULES: tuple[str, ...] = (
    CREATED_ARE_LISTED,
    CURSOR_VISITS_ONCE,
    OTHER_KEYS_SEE_NONE,
    PAGES_WITHIN_LIMIT,
)

SMALL_PAGE = 2
"""Page size of the local walk: small, so a few items already span several pages."""
MAX_PAGES = 2000
"""Pages one walk may follow before the server counts as never ending."""
SHOWN = 3


class RuleStatus(enum.Enum):
    FAILED = "failed"
    PASSED = "passed"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    status: RuleStatus
    detail: str
    judged: int = 0
    operation: str | None = None
    """The operationId of the listing the rule judged (None when no listing applies)."""


@dataclass(frozen=True)
class PhaseSettings:
    key: str | None
    other_key: str | None = None
    remote: bool = False
    """Remote: one walk at the largest page size (every page is a real request)."""
    no_created_hint: str = ""


def run_stateful_phase(
    schema: BaseSchema,
    contract: Contract,
    transport_kwargs: dict[str, Any],
    observed: Observed,
    settings: PhaseSettings,
) -> list[RuleResult]:
    """Every stateful rule's verdict for every listing of the spec."""
    found = listings(contract)
    if not found:
        return _all_not_applicable("no operation of the spec lists with cursor, limit and items")
    if settings.key is None:
        return _all_not_applicable("the run has no key to list with")
    results: list[RuleResult] = []
    for listing in found:
        rules = _rules_for(Pager(schema, listing, transport_kwargs), observed, settings)
        results += [replace(rule, operation=listing.operation.operation_id) for rule in rules]
    return results


def _all_not_applicable(reason: str) -> list[RuleResult]:
    return [RuleResult(rule, RuleStatus.NOT_APPLICABLE, reason) for rule in STATEFUL_RULES]


def _rules_for(pager: Pager, observed: Observed, settings: PhaseSettings) -> list[RuleResult]:
    listing = pager.listing
    key = settings.key
    assert key is not None
    largest = listing.clamp(listing.max_limit or listing.default_limit or SMALL_PAGE)
    full = pager.walk(key, largest, MAX_PAGES)
    walks = [full]
    if not settings.remote:
        walks.append(pager.walk(key, listing.clamp(SMALL_PAGE), MAX_PAGES))
        walks.append(pager.walk(key, None, MAX_PAGES))
    created = [c.identity for c in observed.created if c.listing_id == listing.operation.operation_id]
    other = pager.walk(settings.other_key, largest, MAX_PAGES) if settings.other_key and created else None
    seen = [page for page in observed.pages if page.listing_id == listing.operation.operation_id]
    return [
        _created_are_listed(listing, created, full, settings.no_created_hint),
        _cursor_visits_once(listing, walks),
        _other_keys_see_none(listing, created, other, settings),
        _pages_within_limit(listing, seen, walks),
    ]


def _label(listing: Listing) -> str:
    return listing.operation.operation_id


def _shown(identities: Iterable[tuple[Any, ...]]) -> str:
    items = [", ".join(map(str, identity)) for identity in identities]
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return "; ".join(items[:SHOWN]) + more


def _created_are_listed(
    listing: Listing, created: list[tuple[Any, ...]], walk: Walk, hint: str
) -> RuleResult:
    if not created:
        reason = f"the run created nothing {_label(listing)} should list" + (f" ({hint})" if hint else "")
        return RuleResult(CREATED_ARE_LISTED, RuleStatus.NOT_APPLICABLE, reason)
    listed = set(walk.identities)
    missing = [identity for identity in created if identity not in listed]
    if not missing:
        return RuleResult(
            CREATED_ARE_LISTED, RuleStatus.PASSED, f"{len(created)} created, all listed", len(walk.pages)
        )
    if not walk.ended:
        reason = f"{_label(listing)} could not be read to its end: {walk.fault or walk.unread}"
        return RuleResult(CREATED_ARE_LISTED, RuleStatus.NOT_APPLICABLE, reason)
    return RuleResult(
        CREATED_ARE_LISTED,
        RuleStatus.FAILED,
        f"{len(missing)} of the {len(created)} things created with the run's key are missing from "
        f"{_label(listing)} for that key ({len(walk.identities)} items over {len(walk.pages)} pages "
        f"with limit {walk.limit}): {_shown(missing)}",
        len(walk.pages),
    )


def _cursor_visits_once(listing: Listing, walks: list[Walk]) -> RuleResult:
    pages = sum(len(walk.pages) for walk in walks)
    for walk in walks:
        if walk.fault:
            detail = f"{_label(listing)} with limit {walk.limit}: {walk.fault}"
            return RuleResult(CURSOR_VISITS_ONCE, RuleStatus.FAILED, detail, pages)
    ended = [walk for walk in walks if walk.ended]
    if not ended:
        reason = f"{_label(listing)} could not be read: {walks[0].unread}"
        return RuleResult(CURSOR_VISITS_ONCE, RuleStatus.NOT_APPLICABLE, reason)
    # Nothing else talks to the server during the phase, so every page size must visit the same items.
    reference = ended[0]
    for walk in ended[1:]:
        if set(walk.identities) != set(reference.identities):
            differ = set(walk.identities) ^ set(reference.identities)
            detail = (
                f"{_label(listing)} visits {len(walk.identities)} items with limit {walk.limit} but "
                f"{len(reference.identities)} with limit {reference.limit}; only one of them has: "
                f"{_shown(sorted(differ, key=str))}"
            )
            return RuleResult(CURSOR_VISITS_ONCE, RuleStatus.FAILED, detail, pages)
    sizes = ", ".join(f"{len(w.identities)} items in {len(w.pages)} pages (limit {w.limit})" for w in ended)
    return RuleResult(CURSOR_VISITS_ONCE, RuleStatus.PASSED, sizes, pages)


def _other_keys_see_none(
    listing: Listing, created: list[tuple[Any, ...]], walk: Walk | None, settings: PhaseSettings
) -> RuleResult:
    if not settings.other_key:
        reason = "the run has no second key (MEDUX_SECOND_API_KEY)"
        return RuleResult(OTHER_KEYS_SEE_NONE, RuleStatus.NOT_APPLICABLE, reason)
    if walk is None or not created:
        reason = f"the run created nothing {_label(listing)} should list"
        return RuleResult(OTHER_KEYS_SEE_NONE, RuleStatus.NOT_APPLICABLE, reason)
    leaked = [identity for identity in created if identity in set(walk.identities)]
    if leaked:
        detail = (
            f"the second key's {_label(listing)} holds {len(leaked)} of the {len(created)} things "
            f"created with the run's key: {_shown(leaked)}"
        )
        return RuleResult(OTHER_KEYS_SEE_NONE, RuleStatus.FAILED, detail, len(walk.pages))
    if not walk.pages:
        reason = f"the second key could not list: {walk.unread or walk.fault}"
        return RuleResult(OTHER_KEYS_SEE_NONE, RuleStatus.NOT_APPLICABLE, reason)
    detail = f"none of {len(created)} in {len(walk.identities)} items"
    return RuleResult(OTHER_KEYS_SEE_NONE, RuleStatus.PASSED, detail, len(walk.pages))


def _pages_within_limit(listing: Listing, seen: list[SeenPage], walks: list[Walk]) -> RuleResult:
    pages = [(page.request, page.limit, page.size) for page in seen]
    for walk in walks:
        for page in walk.pages:
            limit = page.limit if page.limit is not None else listing.default_limit
            if limit is not None:
                pages.append((page.request, limit, len(page.items)))
    if not pages:
        reason = f"no page of {_label(listing)} was answered with success"
        return RuleResult(PAGES_WITHIN_LIMIT, RuleStatus.NOT_APPLICABLE, reason)
    for request, limit, size in pages:
        if size > limit:
            detail = f"{request} answered {size} items, more than its limit of {limit}"
            return RuleResult(PAGES_WITHIN_LIMIT, RuleStatus.FAILED, detail, len(pages))
    return RuleResult(PAGES_WITHIN_LIMIT, RuleStatus.PASSED, f"{len(pages)} pages", len(pages))
