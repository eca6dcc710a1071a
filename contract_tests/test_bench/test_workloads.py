"""The benchmark workloads are real: the mock answers the load's request with the success envelope,
the mock accepts the flags the bench starts it with, and the client-overhead callers get the
spec's success answer through the shared transport."""

from __future__ import annotations

from pathlib import Path

import httpx
import medux_avatar_client

from bench import client_overhead, mock_load
from bench.envelope_check import answer_without_key, envelope_problems, response_validator, sample_answers
from bench.servers import RunningServer, serve
from medux_contract.mock import MockSettings, create_app
from medux_contract.mock.cli import parser, settings_from
from medux_contract.spec import OPERATION_PATH, REPO_ROOT, SPEC_PATH, code_table


async def test_the_mock_answers_the_load_request_with_the_expected_success() -> None:
    workload = mock_load.workload(RunningServer("mock", pid=0, port=1))
    assert workload.url.endswith(OPERATION_PATH)
    app = create_app(MockSettings(credits=None, asset_limit=None, rate_limit_burst=None))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://mock.test"
    ) as client:
        response = await client.post(
            OPERATION_PATH,
            content=workload.body.encode(),
            headers={"Content-Type": "application/json", "Authorization": workload.authorization or ""},
        )
    problems = envelope_problems(
        response.status_code, response.headers, response.content, workload.expect, response_validator()
    )
    assert problems == []


def test_the_mock_is_started_without_credit_asset_or_rate_limits() -> None:
    argv = list(mock_load.mock_command(quiet=True)(4010))
    settings = settings_from(parser().parse_args(argv[argv.index("--port") :]))
    assert (settings.credits, settings.asset_limit, settings.rate_limit_burst) == (None, None, None)
    assert "--log-level" in argv


def test_prism_serves_the_same_spec_on_loopback() -> None:
    argv = list(mock_load.prism_command(quiet=False)(4011))
    assert argv[1:3] == ["mock", str(SPEC_PATH)]
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == "4011"


def test_raw_and_typed_callers_both_return_the_spec_success_asset() -> None:
    expected = client_overhead.success_example()["data"]["asset"]["avatar_asset_id"]
    callers = client_overhead.make_callers(client_overhead.success_transport())
    try:
        assert callers.raw() == expected
        assert callers.typed() == expected
    finally:
        callers.close()


def test_raw_and_typed_callers_send_the_same_body_and_bearer_key() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return client_overhead.success_transport().handle_request(request)

    callers = client_overhead.make_callers(httpx.MockTransport(record))
    try:
        callers.raw()
        callers.typed()
    finally:
        callers.close()
    raw, typed = seen
    assert (raw.method, raw.url.path) == (typed.method, typed.url.path)
    assert raw.headers["authorization"] == typed.headers["authorization"]
    assert raw.headers["content-type"] == typed.headers["content-type"] == "application/json"
    assert (
        httpx.Response(200, content=raw.content).json() == httpx.Response(200, content=typed.content).json()
    )


def test_client_overhead_goal_is_the_ratio_of_medians() -> None:
    result = client_overhead.OverheadResult(
        raw_median_us=100.0, typed_median_us=120.0, calls_per_side=10, round_ratios=(1.1, 1.3)
    )
    (goal,) = client_overhead.section(result).goals
    assert goal.figure == 1.2
    assert goal.met is False
    assert goal.target == client_overhead.GOAL_RATIO


def test_the_overhead_profile_names_client_frames_and_counts_json_decodes() -> None:
    profile = client_overhead.profile_overhead(calls=200)
    assert profile.costs
    client_modules = {path.stem for path in (Path(medux_avatar_client.__file__).parent).rglob("*.py")}
    assert all(cost.where.split(".")[0] in client_modules for cost in profile.costs)
    assert all(0 < cost.share < 1 for cost in profile.costs)
    assert profile.json_decodes_per_call[1] == 1.0
    assert profile.json_decodes_per_call[0] >= 1.0
    result = client_overhead.OverheadResult(100.0, 130.0, 10, (1.3,))
    notes = client_overhead.section(result, profile).notes
    assert any(note.startswith("Profile (cProfile") for note in notes)


def test_the_served_mock_passes_the_sampled_check_and_refuses_a_keyless_request() -> None:
    unauthenticated = next(entry for entry in code_table() if entry.group == "authentication")
    with serve("mock", mock_load.mock_command(quiet=True), cwd=REPO_ROOT) as server:
        workload = mock_load.workload(server)
        assert sample_answers(workload, 3) == [[], [], []]
        keyless = answer_without_key(workload)
    assert f"code {unauthenticated.code} ({unauthenticated.message!r})" in keyless
