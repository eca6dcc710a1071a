"""bench/client_*.py: every side is timed alike, and the prebuilt-URL side asks for the same URL."""

from __future__ import annotations

import httpx

from bench import client_overhead, client_pagination


def test_rotating_rounds_times_every_side_alike_and_rotates_who_goes_first() -> None:
    calls: list[str] = []
    sides = {name: (lambda name=name: calls.append(name)) for name in ("raw", "typed", "other")}

    timed = client_overhead.rotating_rounds(sides, rounds=3, per_round=2)

    assert {name: len(samples) for name, samples in timed.samples.items()} == {
        "raw": 6,
        "typed": 6,
        "other": 6,
    }
    firsts = [calls[index * 6] for index in range(3)]
    assert firsts == ["raw", "typed", "other"]
    assert timed.ratios["raw"] == (1.0, 1.0, 1.0)
    assert len(timed.ratios["typed"]) == 3


def test_prebuilt_url_side_requests_the_url_the_relative_side_does() -> None:
    seen: list[httpx.URL] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return client_overhead.success_transport().handle_request(request)

    callers = client_overhead.make_callers(httpx.MockTransport(record))
    try:
        assert callers.raw_prebuilt_url() == callers.raw() == callers.typed()
    finally:
        callers.close()
    assert seen[0] == seen[1] == seen[2]


def test_prebuilt_url_walk_collects_every_asset_once() -> None:
    walkers = client_pagination.make_walkers(client_pagination.pages_transport(30, 10), 10)
    try:
        assert walkers.raw_prebuilt_url() == client_pagination.asset_ids(30)
    finally:
        walkers.close()


def test_overhead_section_reports_the_typed_work_alone_without_a_goal() -> None:
    result = client_overhead.OverheadResult(
        raw_median_us=100.0,
        typed_median_us=90.0,
        calls_per_side=10,
        round_ratios=(0.9,),
        raw_prebuilt_url_median_us=75.0,
    )
    section = client_overhead.section(result)
    assert section.figures["typed_work_ratio"] == 1.2
    (goal,) = section.goals
    assert goal.key == "client_overhead_ratio"
    assert goal.figure == 0.9
    assert any("URL prebuilt" in row.label for row in section.rows)
