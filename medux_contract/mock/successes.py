"""The last step of the decision chain: what a request that passed every check gets.

Chosen by the data member the operation's success carries (its ``x-medux-outcomes`` row), the only
vocabulary the spec gives for what an answer holds:

- ``asset``: create an avatar asset for the key (spending a credit and an asset slot together, when
  the operation can answer 1401 / 1406), echo ``title``, and list it from now on;
- ``items``: a page of the key's assets from ``cursor``, at most ``limit`` of them, with a
  ``next_cursor`` unless the page reaches the end;
- anything else: the spec's success example.

A success chosen on demand (a magic value) touches no state: a fresh asset that is not kept, or the
first page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from medux_contract.mock.accounts import Accounts, Asset, Refusal
from medux_contract.mock.call import Call, Refused
from medux_contract.mock.checks import answers
from medux_contract.mock.cursors import Cursors
from medux_contract.mock.outcomes import OperationOutcomes
from medux_contract.spec import CodeTable, Operation

Success = Callable[[Call], bytes]

LIMIT_PARAMETER = "limit"
CURSOR_PARAMETER = "cursor"
# The page size when no `limit` is sent and its schema has no default (the reader applies a default).
FALLBACK_PAGE_SIZE = 20
UNKNOWN_CURSOR = "cursor was not issued by this mock to this key (or it predates a reset)"


def create_asset(
    operation: Operation,
    *,
    codes: CodeTable,
    properties: Mapping[str, Any],
    outcomes: OperationOutcomes,
    accounts: Accounts,
) -> Success | None:
    if "asset" not in operation.success.carries or not operation.secured:
        return None
    credits = answers(operation, codes, "INSUFFICIENT_CREDITS")
    limit = answers(operation, codes, "ASSET_LIMIT_REACHED")
    echo_title = "title" in properties
    outcomes.checked(outcomes.success_envelope(asset=Asset("avatar_mock_startup_check", "title").as_json()))

    def succeed(call: Call) -> bytes:
        assert call.key is not None
        title = call.body.get("title") if echo_title else None
        title = title if isinstance(title, str) else None
        if call.on_demand:
            created: Asset | Refusal = Asset(f"avatar_mock_{secrets.token_hex(8)}", title)
        else:
            created = accounts.charge(call.key, title, credits=credits, limit=limit)
        if created is Refusal.NO_CREDITS:
            raise Refused("INSUFFICIENT_CREDITS", created.value)
        if created is Refusal.ASSET_LIMIT:
            raise Refused("ASSET_LIMIT_REACHED", created.value)
        assert isinstance(created, Asset)
        return outcomes.success(asset=created.as_json())

    return succeed


def list_assets(
    operation: Operation, outcomes: OperationOutcomes, accounts: Accounts, cursors: Cursors
) -> Success | None:
    if "items" not in operation.success.carries or not operation.secured:
        return None
    sample = Asset("avatar_mock_startup_check", "title").as_json()
    outcomes.checked(outcomes.success_envelope(items=[sample], next_cursor="startup_check"))

    def succeed(call: Call) -> bytes:
        assert call.key is not None
        tag = accounts.tag(call.key)
        cursor = None if call.on_demand else call.params.get(CURSOR_PARAMETER)
        start = 0 if cursor is None else cursors.position(tag, str(cursor))
        page = (
            None
            if start is None
            else accounts.page(call.key, start, int(call.params.get(LIMIT_PARAMETER, FALLBACK_PAGE_SIZE)))
        )
        if page is None:
            raise Refused("INVALID_INPUT", UNKNOWN_CURSOR)
        following = None if page.next_position is None else cursors.issue(tag, page.next_position)
        return outcomes.success(items=page.items, next_cursor=following)

    return succeed


def success_for(
    operation: Operation,
    *,
    codes: CodeTable,
    properties: Mapping[str, Any],
    outcomes: OperationOutcomes,
    accounts: Accounts,
    cursors: Cursors,
) -> Success:
    behaviour = create_asset(
        operation, codes=codes, properties=properties, outcomes=outcomes, accounts=accounts
    ) or list_assets(operation, outcomes, accounts, cursors)
    if behaviour is not None:
        return behaviour
    canned = outcomes.canned[operation.success.value].body
    return lambda call: canned
