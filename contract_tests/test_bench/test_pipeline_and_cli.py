"""bench/pipeline_times.py and bench/__main__.py: how commands are timed and reported, and the options."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

import bench.__main__ as bench_main
from bench import pipeline_times
from bench.__main__ import Options, parse_args
from bench.pipeline_times import Timed, timed
from bench.report import Row, Section
from contract_tests.test_bench.test_goals_and_results import MACHINE


def test_a_command_is_timed_with_its_exit_code_and_its_output_logged(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    result = timed([sys.executable, "-c", "print('hello'); raise SystemExit(4)"], tmp_path, 30, log)
    assert result.exit_code == 4
    assert result.status == "failed (exit 4)"
    assert not result.passed
    assert "hello" in log.read_text()


SUMMARY = """
==> [8/8] pytest
1175 passed in 76.64s
==> summary of `test`
  PASS  lint                1.6s
  FAIL  mypy                2.5s
  PASS  pytest             76.9s
test: FAILED: mypy
"""


def test_step_times_come_from_the_pipelines_own_summary() -> None:
    assert pipeline_times.parse_steps(SUMMARY) == (("lint", 1.6), ("mypy", 2.5), ("pytest", 76.9))
    assert pipeline_times.parse_steps("no summary here") == ()


def test_a_commands_step_summary_is_kept_with_its_time(tmp_path: Path) -> None:
    script = f"print({SUMMARY!r})"
    result = timed([sys.executable, "-c", script], tmp_path, 30, tmp_path / "log")
    assert result.passed
    assert dict(result.steps)["pytest"] == 76.9


def test_a_command_past_its_time_limit_is_stopped_with_its_children_and_marked_timed_out(
    tmp_path: Path,
) -> None:
    pid_file = tmp_path / "child.pid"
    # A shell whose child records its pid, as make's children (pytest) would run under it.
    child_code = f'import os, time; open("{pid_file}", "w").write(str(os.getpid())); time.sleep(30)'
    command = ["sh", "-c", f"{sys.executable} -c '{child_code}' & wait"]
    result = timed(command, tmp_path, 0.5, tmp_path / "log")
    assert result.exit_code is None
    assert result.status == "timed out"
    child = int(pid_file.read_text())
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()


def test_commands_run_without_pointing_at_this_checkouts_env_or_a_live_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDUX_BASE_URL", "https://api.medux.io")
    monkeypatch.setenv("VIRTUAL_ENV", "/elsewhere/.venv")
    env = pipeline_times.clean_env()
    assert "MEDUX_BASE_URL" not in env
    assert "VIRTUAL_ENV" not in env
    assert env["PATH"]


def test_failed_or_timed_out_steps_are_shown_but_are_not_goal_figures() -> None:
    times = {
        "fresh test": Timed("make test", 40.0, 0),
        "generate": Timed("make generate", 9.0, 2),
        "lint": Timed("make lint", 1.0, 0),
        "test": Timed("make test", 240.0, None),
        "all": Timed("make all", 50.0, 0),
    }
    section = pipeline_times.section(times)
    goals = {goal.key: goal for goal in section.goals}
    assert goals["regeneration_time"].met is None
    assert goals["warm_test_time"].met is None
    values = {row.label: row.value_text for row in section.rows}
    assert values["`make generate` (warm)"] == "failed (exit 2) after 9.0 s"
    assert values["`make test` (warm)"] == "timed out after 240.0 s"
    assert values["first `make test` on a fresh clone"] == "40.0 s"
    assert any("did not pass" in note for note in section.notes)


def test_commands_left_without_time_are_not_run_and_say_so(tmp_path: Path) -> None:
    times = pipeline_times.measure_pipeline(budget_s=0, log=tmp_path / "log")
    assert set(times) == {"fresh test", *pipeline_times.WARM_TARGETS}
    assert all(not result.ran for result in times.values())
    values = {row.label: row.value_text for row in pipeline_times.section(times).rows}
    assert values["`make test` (warm)"] == "not run (time budget spent)"


def test_passing_steps_are_judged_against_their_goals() -> None:
    times = {
        name: Timed(name, seconds, 0)
        for name, seconds in {
            "fresh test": 70.0,
            "generate": 1.2,
            "lint": 2.0,
            "test": 75.0,
            "all": 90.0,
        }.items()
    }
    goals = {goal.key: goal for goal in pipeline_times.section(times).goals}
    assert goals["regeneration_time"].met is True
    assert goals["warm_test_time"].met is False


def test_quick_mode_comes_from_the_flag_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_SKIP_PIPELINE", raising=False)
    assert parse_args([]).quick is False
    assert parse_args(["--quick"]).quick is True
    monkeypatch.setenv("BENCH_SKIP_PIPELINE", "1")
    assert parse_args([]).quick is True
    monkeypatch.setenv("BENCH_SKIP_PIPELINE", "0")
    assert parse_args([]).quick is False


def test_defaults_are_the_issues_bounded_load() -> None:
    load = parse_args([]).load
    assert (load.duration_s, load.connections, load.threads, load.rounds) == (8.0, 32, 2, 4)


@pytest.mark.parametrize(
    "argv",
    [
        ["--duration", "0"],
        ["--duration", "600"],
        ["--connections", "0"],
        ["--threads", "64", "--connections", "8"],
    ],
)
def test_unbounded_or_impossible_loads_are_refused_with_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2
    assert "must be" in capsys.readouterr().err


def test_only_names_the_steps_to_run_and_refuses_an_unknown_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_args([]).only == frozenset()
    assert parse_args(["--only", "mock_load, soak"]).only == {"mock_load", "soak"}
    with pytest.raises(SystemExit) as stopped:
        parse_args(["--only", "mock_load,loadd"])
    assert stopped.value.code == 2
    assert "no step named loadd" in capsys.readouterr().err


def test_steps_left_out_by_only_are_recorded_as_skipped_and_the_wall_time_carries_no_goal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran: list[str] = []

    def step(key: str) -> Callable[[Options], list[Section]]:
        def measure(options: Options) -> list[Section]:
            ran.append(key)
            return [Section(key=key, title=key, rows=[Row("figure", 1.0, "s")])]

        return measure

    monkeypatch.setattr(bench_main, "STEPS", (("first", step("first")), ("second", step("second"))))
    monkeypatch.setattr("bench.machine.describe", lambda: MACHINE)
    options = replace(parse_args(["--out", str(tmp_path / "results.json")]), only=frozenset({"second"}))
    assert bench_main.run(options) == 0
    document = json.loads((tmp_path / "results.json").read_text())
    assert ran == ["second"]
    assert document["skipped"] == {"first": "--only second"}
    assert document["settings"]["only"] == ["second"]
    assert "bench_wall_time" not in {goal["key"] for goal in document["goals"]}
