"""bench/list_scaling.py: the page both loads ask for is a real middle page of the seeded mock, and
the goal is the ratio of the two throughputs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bench import list_scaling
from bench.errors import BenchError
from bench.wrk import LoadResult, combined
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.mock.cli import parser, settings_from
from medux_contract.spec import load_contract

CONTRACT = load_contract()
LIST = CONTRACT.operation(list_scaling.OPERATION_ID)
HEADERS = {"Authorization": f"Bearer {DEFAULT_TEST_KEY}"}


def seeded_app(assets: int) -> Any:
    return create_app(MockSettings(credits=None, asset_limit=None, rate_limit_burst=None, seed_assets=assets))


def every_asset_id(base_url: str) -> list[str]:
    """The key's whole list, walked with the largest page the spec allows."""
    ids: list[str] = []
    params: dict[str, Any] = {"limit": list_scaling.max_limit(LIST)}
    with httpx.Client(base_url=base_url, headers=HEADERS) as client:
        while True:
            data = client.get(LIST.path, params=params).json()["data"]
            ids += [item["avatar_asset_id"] for item in data["items"]]
            if not data.get("next_cursor"):
                return ids
            params["cursor"] = data["next_cursor"]


def test_the_load_asks_for_the_page_in_the_middle_of_the_keys_list() -> None:
    with served(seeded_app(30)) as base_url:
        everything = every_asset_id(base_url)
        load = list_scaling.middle_page_workload(CONTRACT, base_url, 30)
        assert load.method == "GET"
        page = httpx.get(load.url, headers=load.headers()).json()
    assert len(everything) == 30
    assert [item["avatar_asset_id"] for item in page["data"]["items"]] == everything[15:20]
    assert page["data"]["next_cursor"]


def test_the_small_key_gets_a_full_page_too() -> None:
    with served(seeded_app(list_scaling.FEW_ASSETS)) as base_url:
        load = list_scaling.middle_page_workload(CONTRACT, base_url, list_scaling.FEW_ASSETS)
        page = httpx.get(load.url, headers=load.headers()).json()
    assert len(page["data"]["items"]) == list_scaling.PAGE_SIZE


def test_a_position_past_the_end_of_the_list_is_a_clear_error() -> None:
    with served(seeded_app(3)) as base_url, pytest.raises(BenchError, match="the list ended after 3"):
        list_scaling.cursor_at(base_url, LIST, DEFAULT_TEST_KEY, 5)


def test_the_seeded_mocks_are_the_load_tests_mock_plus_the_seed() -> None:
    argv = list(list_scaling.seeded_mock_command(100_000)(4010))
    settings = settings_from(parser().parse_args(argv[argv.index("--port") :]))
    assert settings.seed_assets == 100_000
    assert (settings.credits, settings.asset_limit, settings.rate_limit_burst) == (None, None, None)


def load(requests: int, seconds: float, p99_ms: float = 2.0, nonconformant: int = 0) -> LoadResult:
    return LoadResult(
        requests=requests,
        duration_s=seconds,
        requests_per_s=requests / seconds,
        p50_ms=1.0,
        p90_ms=1.5,
        p99_ms=p99_ms,
        mean_ms=1.0,
        max_ms=p99_ms * 2,
        socket_errors=0,
        non_2xx=0,
        checked=requests,
        nonconformant=nonconformant,
        first_nonconformant="bad" if nonconformant else "",
    )


def test_rounds_combine_into_totals_and_the_rate_over_their_summed_time() -> None:
    total = combined([load(1000, 2.0), load(3000, 2.0, p99_ms=9.0, nonconformant=1)])
    assert (total.requests, total.duration_s, total.requests_per_s) == (4000, 4.0, 1000.0)
    assert total.p99_ms == 9.0  # the worst round shows
    assert (total.nonconformant, total.first_nonconformant) == (1, "bad")


@pytest.mark.parametrize(("many_rps", "met"), [(900.0, True), (500.0, False)])
def test_the_goal_is_the_big_keys_throughput_over_the_small_keys(many_rps: float, met: bool) -> None:
    result = list_scaling.ScalingResult(few=load(1000, 1.0), many=load(int(many_rps), 1.0))
    (goal,) = list_scaling.section(result).goals
    assert goal.figure == pytest.approx(many_rps / 1000)
    assert goal.target == list_scaling.GOAL_RATIO
    assert goal.met is met


def test_a_server_that_answers_no_envelope_is_a_clear_error() -> None:
    async def html(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": 502, "headers": [(b"content-type", b"text/html")]}
        )
        await send({"type": "http.response.body", "body": b"<h1>Bad gateway</h1>"})

    with served(html) as base_url, pytest.raises(BenchError, match="unexpected answer '<h1>Bad gateway"):
        list_scaling.cursor_at(base_url, LIST, DEFAULT_TEST_KEY, 5)
