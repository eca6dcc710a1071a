"""bench/client_pagination.py: both walks collect every asset once, in order, from pages the envelope
rule accepts, over the same transport; the goal is the ratio of median walk times."""

from __future__ import annotations

from pathlib import Path

import httpx
import medux_avatar_client
import pytest

from bench import client_overhead, client_pagination
from medux_contract.envelope import judge
from medux_contract.spec import load_contract

LIST = load_contract().operation(client_pagination.OPERATION_ID)


def pages_seen(count: int, page_size: int) -> list[httpx.Response]:
    transport = client_pagination.pages_transport(count, page_size)
    seen: list[httpx.Response] = []

    def record(request: httpx.Request) -> httpx.Response:
        response = transport.handle_request(request)
        response.read()
        seen.append(response)
        return response

    walkers = client_pagination.make_walkers(httpx.MockTransport(record), page_size)
    try:
        walkers.raw()
    finally:
        walkers.close()
    return seen


def test_every_page_served_is_an_envelope_the_rule_accepts_and_the_last_has_no_cursor() -> None:
    pages = pages_seen(250, 100)
    assert len(pages) == 3
    for response in pages:
        verdict = judge(LIST, response.status_code, response.headers, response.content)
        assert verdict.ok, verdict.problems()
    assert [bool(page.json()["data"].get("next_cursor")) for page in pages] == [True, True, False]


@pytest.mark.parametrize(("count", "page_size"), [(250, 100), (10, 3), (100, 100)])
def test_raw_and_typed_walks_collect_every_asset_once_in_order(count: int, page_size: int) -> None:
    walkers = client_pagination.make_walkers(client_pagination.pages_transport(count, page_size), page_size)
    try:
        assert walkers.raw() == client_pagination.asset_ids(count)
        assert walkers.typed() == client_pagination.asset_ids(count)
    finally:
        walkers.close()


def test_both_walks_send_the_same_requests() -> None:
    sent: list[httpx.Request] = []
    transport = client_pagination.pages_transport(25, 10)

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return transport.handle_request(request)

    walkers = client_pagination.make_walkers(httpx.MockTransport(record), 10)
    try:
        walkers.raw()
        raw = [(r.method, r.url.path, dict(r.url.params), r.headers["authorization"]) for r in sent]
        sent.clear()
        walkers.typed()
        typed = [(r.method, r.url.path, dict(r.url.params), r.headers["authorization"]) for r in sent]
    finally:
        walkers.close()
    assert raw == typed
    assert len(raw) == 3


@pytest.mark.parametrize(("typed_ms", "met"), [(11.0, True), (12.0, False)])
def test_the_goal_is_the_ratio_of_median_walk_times(typed_ms: float, met: bool) -> None:
    result = client_pagination.PaginationResult(10.0, typed_ms, 50, (1.1, 1.2))
    (goal,) = client_pagination.section(result).goals
    assert goal.figure == pytest.approx(typed_ms / 10.0)
    assert goal.target == client_pagination.GOAL_RATIO
    assert goal.met is met


def test_a_missed_goal_comes_with_the_client_frames_that_cost_the_time() -> None:
    walkers = client_pagination.make_walkers(client_pagination.pages_transport(300, 100), 100)
    try:
        profile = client_overhead.profile_sides(walkers.raw, walkers.typed, 5, warmup=1)
    finally:
        walkers.close()
    client_modules = {path.stem for path in Path(medux_avatar_client.__file__).parent.rglob("*.py")}
    assert profile.costs
    assert all(cost.where.split(".")[0] in client_modules for cost in profile.costs)
    assert profile.json_decodes_per_call == (3.0, 3.0)
    missed = client_pagination.PaginationResult(10.0, 13.0, 5, (1.3,))
    notes = client_pagination.section(missed, profile).notes
    assert any(note.startswith("Profile (cProfile") and "per walk" in note for note in notes)
