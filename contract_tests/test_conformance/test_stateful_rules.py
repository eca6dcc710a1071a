"""The stateful rules give each of their three verdicts for the right reason, and a paging walk
always ends: against a small in-test list server whose faults are chosen one at a time."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.conformance.run_config import RunOptions, build_config
from medux_contract.conformance.stateful import Observed, PhaseSettings, RuleStatus, run_stateful_phase
from medux_contract.conformance.stateful.listing import listing_of
from medux_contract.conformance.stateful.observed import Created
from medux_contract.conformance.stateful.pager import Pager
from medux_contract.conformance.stateful.phase import (
    CREATED_ARE_LISTED,
    CURSOR_VISITS_ONCE,
    OTHER_KEYS_SEE_NONE,
    PAGES_WITHIN_LIMIT,
    STATEFUL_RULES,
)
from medux_contract.envelope import build_envelope
from medux_contract.spec import SPEC_PATH, contract_of, load_contract

KEY = "sk_test_stateful_first"
OTHER = "sk_test_stateful_second"
CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")
LISTING = listing_of(LIST)
ID = "avatar_asset_id"

Page = Callable[[str, int, int, list[str]], dict[str, Any]]
"""(key, start, limit, the key's ids) -> the envelope of that page."""


def honest_page(key: str, start: int, limit: int, ids: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"items": [{ID: i} for i in ids[start : start + limit]]}
    if start + limit < len(ids):
        data["next_cursor"] = f"{key[-6:]}-{start + limit}"
    return build_envelope(LIST, 0, data)


class ListServer:
    """Pages through fixed ids per key; ``page`` decides each answer (honest by default)."""

    def __init__(self, ids: dict[str, list[str]], page: Page = honest_page) -> None:
        self.ids, self.page = ids, page
        self.requests = 0

    async def endpoint(self, request: Request) -> Response:
        self.requests += 1
        key = request.headers.get("authorization", "").removeprefix("Bearer ")
        if key not in self.ids:
            return self.json(build_envelope(LIST, 13))
        limit = int(request.query_params.get("limit", "20"))
        cursor = request.query_params.get("cursor")
        start = int(cursor.rsplit("-", 1)[1]) if cursor else 0
        return self.json(self.page(key, start, limit, self.ids[key]))

    @staticmethod
    def json(envelope: dict[str, Any]) -> Response:
        return Response(json.dumps(envelope), media_type="application/json")

    def app(self) -> Starlette:
        return Starlette(routes=[Route(LIST.path, self.endpoint, methods=["GET"])])


def schema_for(server: ListServer, tmp_path: Path) -> Any:
    config = build_config(RunOptions(key=KEY, reports_dir=tmp_path))
    schema = schemathesis.openapi.from_path(SPEC_PATH, config=config)
    schema.app = server.app()
    return schema


def created(*ids: str) -> Observed:
    observed = Observed()
    observed.created = [Created(CREATE.operation_id, LIST.operation_id, (i,)) for i in ids]
    return observed


def verdicts(
    server: ListServer, tmp_path: Path, observed: Observed, settings: PhaseSettings | None = None
) -> dict[str, Any]:
    settings = settings or PhaseSettings(key=KEY, other_key=OTHER)
    results = run_stateful_phase(schema_for(server, tmp_path), CONTRACT, {}, observed, settings)
    return {result.rule: result for result in results}


FIRST = [f"a{n}" for n in range(7)]
SECOND = [f"b{n}" for n in range(3)]


def test_an_honest_server_passes_every_rule_having_judged_pages(tmp_path: Path) -> None:
    found = verdicts(ListServer({KEY: FIRST, OTHER: SECOND}), tmp_path, created("a5", "a6"))
    assert list(found) == list(STATEFUL_RULES)
    for rule in STATEFUL_RULES:
        assert found[rule].status is RuleStatus.PASSED, found[rule]
        assert found[rule].judged > 0


def test_a_created_asset_missing_from_the_list_fails_only_that_rule(tmp_path: Path) -> None:
    found = verdicts(ListServer({KEY: FIRST, OTHER: SECOND}), tmp_path, created("a6", "zz"))
    assert found[CREATED_ARE_LISTED].status is RuleStatus.FAILED
    assert "1 of the 2 things created with the run's key are missing" in found[CREATED_ARE_LISTED].detail
    assert "zz" in found[CREATED_ARE_LISTED].detail
    assert [r for r in STATEFUL_RULES if found[r].status is RuleStatus.FAILED] == [CREATED_ARE_LISTED]


def test_another_key_seeing_the_assets_fails_only_that_rule(tmp_path: Path) -> None:
    found = verdicts(ListServer({KEY: FIRST, OTHER: [*SECOND, "a2"]}), tmp_path, created("a2"))
    assert found[OTHER_KEYS_SEE_NONE].status is RuleStatus.FAILED
    assert "holds 1 of the 1 things created" in found[OTHER_KEYS_SEE_NONE].detail
    assert OTHER not in found[OTHER_KEYS_SEE_NONE].detail
    assert [r for r in STATEFUL_RULES if found[r].status is RuleStatus.FAILED] == [OTHER_KEYS_SEE_NONE]


def test_without_created_assets_or_a_second_key_those_rules_do_not_apply(tmp_path: Path) -> None:
    found = verdicts(
        ListServer({KEY: FIRST}), tmp_path, Observed(), PhaseSettings(key=KEY, no_created_hint="a hint")
    )
    assert found[CREATED_ARE_LISTED].status is RuleStatus.NOT_APPLICABLE
    assert found[CREATED_ARE_LISTED].detail.endswith("(a hint)")
    assert found[OTHER_KEYS_SEE_NONE].status is RuleStatus.NOT_APPLICABLE
    assert "MEDUX_SECOND_API_KEY" in found[OTHER_KEYS_SEE_NONE].detail
    assert found[CURSOR_VISITS_ONCE].status is RuleStatus.PASSED
    assert found[PAGES_WITHIN_LIMIT].status is RuleStatus.PASSED


def test_a_second_key_the_server_refuses_makes_that_rule_not_applicable(tmp_path: Path) -> None:
    found = verdicts(ListServer({KEY: FIRST}), tmp_path, created("a1"))
    assert found[OTHER_KEYS_SEE_NONE].status is RuleStatus.NOT_APPLICABLE
    assert (
        "the second key could not list: page 1 was answered with code 13" in found[OTHER_KEYS_SEE_NONE].detail
    )


def test_a_run_without_a_key_judges_nothing(tmp_path: Path) -> None:
    found = verdicts(ListServer({KEY: FIRST}), tmp_path, created("a1"), PhaseSettings(key=None))
    assert {result.status for result in found.values()} == {RuleStatus.NOT_APPLICABLE}


def test_a_spec_without_a_listing_judges_nothing(tmp_path: Path) -> None:
    document = copy.deepcopy(dict(CONTRACT.document))
    del document["paths"][LIST.path]
    contract = contract_of(document)
    server = ListServer({KEY: FIRST})
    results = run_stateful_phase(
        schema_for(server, tmp_path), contract, {}, created("a1"), PhaseSettings(key=KEY)
    )
    assert {result.status for result in results} == {RuleStatus.NOT_APPLICABLE}
    assert "no operation of the spec lists" in results[0].detail
    assert server.requests == 0


def test_only_operations_that_page_with_cursor_limit_and_items_are_listings() -> None:
    assert LISTING is not None
    assert (LISTING.min_limit, LISTING.max_limit, LISTING.default_limit) == (1, 100, 20)
    assert LISTING.identifiers == (ID,)
    fixture = contract_of(with_fixture_operation(dict(CONTRACT.document)))
    assert listing_of(fixture.operation(FIXTURE_OPERATION_ID)) is None
    assert listing_of(CREATE) is None


def walk_against(page: Page, tmp_path: Path, max_pages: int = 50) -> tuple[Any, ListServer]:
    server = ListServer({KEY: FIRST}, page)
    assert LISTING is not None
    walk = Pager(schema_for(server, tmp_path), LISTING, {}).walk(KEY, 2, max_pages)
    return walk, server


def test_a_cursor_returned_twice_stops_the_walk_as_a_loop(tmp_path: Path) -> None:
    def same_cursor(key: str, start: int, limit: int, ids: list[str]) -> dict[str, Any]:
        envelope = honest_page(key, start, limit, ids)
        envelope["data"]["next_cursor"] = "stuck-2"
        envelope["data"]["items"] = [{ID: f"{ids[0]}-{start}"}]
        return envelope

    walk, server = walk_against(same_cursor, tmp_path)
    assert walk.fault == "page 2 returned the next_cursor page 1 already returned: following it would loop"
    assert server.requests == 2


def test_an_item_on_two_pages_is_a_fault(tmp_path: Path) -> None:
    def repeats(key: str, start: int, limit: int, ids: list[str]) -> dict[str, Any]:
        return honest_page(key, max(start - 1, 0), limit, ids)

    walk, _ = walk_against(repeats, tmp_path)
    assert walk.fault is not None
    assert "item a1 came on page 1 and again on page 2" in walk.fault


def test_a_server_that_never_ends_is_stopped_at_the_page_bound(tmp_path: Path) -> None:
    def endless(key: str, start: int, limit: int, ids: list[str]) -> dict[str, Any]:
        data = {"items": [{ID: f"x{start}"}], "next_cursor": f"more-{start + 1}"}
        return build_envelope(LIST, 0, data)

    walk, server = walk_against(endless, tmp_path, max_pages=5)
    assert walk.fault == "following next_cursor did not end within 5 pages"
    assert server.requests == 5


def test_refusing_a_cursor_the_server_issued_is_a_fault(tmp_path: Path) -> None:
    def refuses_later_pages(key: str, start: int, limit: int, ids: list[str]) -> dict[str, Any]:
        return honest_page(key, start, limit, ids) if start == 0 else build_envelope(LIST, 12)

    walk, _ = walk_against(refuses_later_pages, tmp_path)
    assert walk.fault is not None
    assert walk.fault.startswith("the server refused the next_cursor it returned on page 1")


@pytest.mark.parametrize("code", [13, 99])
def test_a_first_page_that_is_not_a_success_leaves_the_walk_unread(tmp_path: Path, code: int) -> None:
    walk, _ = walk_against(lambda key, start, limit, ids: build_envelope(LIST, code), tmp_path)
    assert walk.fault is None
    assert walk.unread is not None
    assert walk.unread.startswith(f"page 1 was answered with code {code}")
