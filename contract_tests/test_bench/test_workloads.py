"""The benchmark workloads are real: the mock answers each operation's load request (the made-up
fixture operation's too) with its success envelope, the mock accepts the flags the bench starts it
with, and the client-overhead callers get the spec's success answer through the shared transport."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import medux_avatar_client
import pytest
from starlette.applications import Starlette

from bench import client_overhead, mock_load
from bench.envelope_check import answer_problems, answer_without_key, sample_answers
from bench.servers import RunningServer, serve
from bench.workload import Workload, workload_for
from bench.wrk import run_wrk
from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.mock.cli import parser, settings_from
from medux_contract.spec import (
    REPO_ROOT,
    SPEC_PATH,
    Contract,
    Operation,
    contract_of,
    load_contract,
    read_spec,
)

CONTRACT = load_contract()
FIXTURE = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))


def unlimited(spec: Contract | None = None) -> MockSettings:
    """The mock as the load test runs it: no credit, asset or rate limit."""
    return MockSettings(credits=None, asset_limit=None, rate_limit_burst=None, spec=spec)


async def answer(app: Starlette, load: Workload) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=load.base_url) as client:
        body = None if load.body is None else load.body.encode()
        return await client.request(load.method, load.target, content=body, headers=load.headers())


@pytest.mark.parametrize("op", CONTRACT.operations, ids=lambda op: op.operation_id)
async def test_the_mock_answers_each_operations_load_request_with_its_success(op: Operation) -> None:
    load = mock_load.workload(op, RunningServer("mock", pid=0, port=1))
    response = await answer(create_app(unlimited()), load)
    assert answer_problems(CONTRACT, load, response) == []


async def test_the_fixture_operation_gets_a_workload_the_mock_serving_that_spec_answers() -> None:
    op = FIXTURE.operation(FIXTURE_OPERATION_ID)
    load = mock_load.workload(op, RunningServer("mock", pid=0, port=1), FIXTURE)
    response = await answer(create_app(unlimited(FIXTURE)), load)
    assert answer_problems(FIXTURE, load, response) == []
    keyless = await answer(create_app(unlimited(FIXTURE)), load.without_key())
    assert answer_problems(FIXTURE, load, keyless) == [f"code 13, expected {op.success.value}"]


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


def test_the_served_mock_passes_the_sampled_check_and_refuses_a_keyless_request_per_operation() -> None:
    unauthenticated = next(code for code in CONTRACT.codes if code.group == "authentication")
    with serve("mock", mock_load.mock_command(quiet=True), cwd=REPO_ROOT) as server:
        for op in CONTRACT.operations:
            load = mock_load.workload(op, server)
            assert sample_answers(CONTRACT, load, 3) == [[], [], []], op.operation_id
            keyless = answer_without_key(load)
            assert f"code {unauthenticated.code} ({unauthenticated.message!r})" in keyless, op.operation_id


WRK = shutil.which("wrk")
needs_wrk = pytest.mark.skipif(WRK is None, reason="wrk is not installed (apt-get install -y wrk)")


@needs_wrk
@pytest.mark.parametrize(
    ("contract", "op"),
    [
        *((CONTRACT, op) for op in CONTRACT.operations),
        (FIXTURE, FIXTURE.operation(FIXTURE_OPERATION_ID)),
    ],
    ids=lambda value: getattr(value, "operation_id", ""),
)
def test_the_lua_prefilter_passes_the_mocks_success_and_flags_every_keyless_answer(
    contract: Contract, op: Operation
) -> None:
    assert WRK is not None
    with served(create_app(unlimited(None if contract is CONTRACT else contract))) as base_url:
        load = workload_for(op, contract, base_url, key=DEFAULT_TEST_KEY)
        passed = run_wrk(Path(WRK), load, duration_s=1, connections=2, threads=1)
        keyless = run_wrk(Path(WRK), load.without_key(), duration_s=1, connections=2, threads=1)
    assert passed.checked > 0
    assert (passed.nonconformant, passed.first_nonconformant) == (0, "")
    assert keyless.checked > 0
    assert keyless.nonconformant == keyless.checked
