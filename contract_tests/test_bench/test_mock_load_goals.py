"""bench/mock_load.py's goals and bench/mock_profile.py: the mock is judged against Prism (log off)
and against its bare-ASGI floor, per operation; nginx is information only; a missed throughput goal
asks for a profile, which names where a mock request's time goes for any operation of any spec."""

from __future__ import annotations

import pytest

from bench import mock_load, mock_profile
from bench.mock_load import OperationLoad, ServerRun
from bench.report import Section
from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from contract_tests.test_bench.test_list_scaling import load
from medux_contract.spec import SPEC_PATH, contract_of, load_contract, read_spec

CONTRACT = load_contract()
FIXTURE = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))
SETTINGS = mock_load.LoadSettings()


def run(requests_per_s: float, keyless: str | None = None, p99_ms: float = 2.0) -> ServerRun:
    return ServerRun("server", load(int(requests_per_s * 8), 8.0, p99_ms), 100, 0, (), keyless)


def measured(mock: float, prism: float, floor: float, nginx: float | None = None) -> OperationLoad:
    return OperationLoad(
        CONTRACT.operations[0],
        mock=run(mock, "HTTP 200, code 13"),
        mock_logging=run(mock / 2),
        prism=run(prism, "HTTP 401, code 0", p99_ms=9.0),
        floor=run(floor),
        nginx=None if nginx is None else run(nginx),
    )


def goals(section: Section) -> dict[str, tuple[float | None, bool | None]]:
    return {
        goal.key.rsplit("_create_avatar_by_image", 1)[0]: (goal.figure, goal.met) for goal in section.goals
    }


def test_the_mock_is_judged_against_prism_with_its_log_off_and_against_its_floor() -> None:
    section = mock_load.operation_section(measured(mock=10_000, prism=2_000, floor=16_000), SETTINGS)
    found = goals(section)
    assert found["mock_throughput_vs_prism"][0] == pytest.approx(5.0)
    assert found["mock_throughput_vs_floor"][0] == pytest.approx(0.625)
    assert found["mock_throughput_vs_prism"][1] is True
    assert found["mock_throughput_vs_floor"][1] is True
    assert found["mock_nonconformant"] == (0.0, True)
    assert found["mock_p99_vs_prism"][1] is True
    assert not mock_load.missed(section)


@pytest.mark.parametrize(
    ("mock", "prism", "floor", "missed_goal"),
    [(7_000, 2_000, 16_000, "mock_throughput_vs_floor"), (7_000, 1_900, 12_000, "mock_throughput_vs_prism")],
)
def test_a_missed_throughput_goal_asks_for_a_profile(
    mock: float, prism: float, floor: float, missed_goal: str
) -> None:
    section = mock_load.operation_section(measured(mock, prism, floor), SETTINGS)
    assert goals(section)[missed_goal][1] is False
    assert mock_load.missed(section)


def test_nginx_is_information_only_and_says_when_it_is_not_installed() -> None:
    without = mock_load.operation_section(measured(10_000, 2_000, 16_000), SETTINGS)
    with_nginx = mock_load.operation_section(
        measured(10_000, 2_000, 16_000, nginx=60_000), SETTINGS, "1.22.1"
    )
    assert [goal.key for goal in without.goals] == [goal.key for goal in with_nginx.goals]
    rows = {row.label: row.value_text for row in without.rows}
    assert rows["nginx requests/s (one worker, the same bytes)"].startswith("not available")
    rows = {row.label: row.value_text for row in with_nginx.rows}
    assert rows["nginx requests/s (one worker, the same bytes)"] == "60,000 req/s"
    assert with_nginx.figures["nginx"]["requests_per_s"] == 60_000
    assert without.figures["nginx"] is None


def test_the_prism_rows_with_its_log_on_are_gone() -> None:
    section = mock_load.operation_section(measured(10_000, 2_000, 16_000), SETTINGS)
    labels = " ".join(row.label for row in section.rows)
    assert "both logs off" in labels
    assert "log on" not in labels
    assert "mock_log_off" not in section.figures


@pytest.mark.parametrize(
    ("contract", "operation_id"),
    [*((CONTRACT, op.operation_id) for op in CONTRACT.operations), (FIXTURE, FIXTURE_OPERATION_ID)],
)
def test_the_profile_names_where_a_mock_request_goes_for_every_operation(
    contract: object, operation_id: str
) -> None:
    assert contract is CONTRACT or contract is FIXTURE
    (profile,) = mock_profile.profile_operations([contract.operation(operation_id)], contract, requests=300)
    assert profile.mock_us > profile.floor_us
    assert profile.floor_us > 0
    assert profile.costs
    assert all(cost.own_us > 0 for cost in profile.costs)
    (line,) = profile.lines()
    assert line.startswith(f"Profile of {operation_id}")
    assert profile.as_dict()["operation_id"] == operation_id
