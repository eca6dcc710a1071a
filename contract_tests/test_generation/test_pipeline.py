"""`make` and `make test` run every step, summarise, and fail when any step fails."""

from __future__ import annotations

import sys

import pytest

from medux_contract.docs.browser import UNAVAILABLE_FLAG
from medux_contract.pipeline import PIPELINES, STEPS, Step, run


def step(name: str, exit_code: int) -> Step:
    return Step(name, (sys.executable, "-c", f"print('ran {name}'); raise SystemExit({exit_code})"))


def test_failing_step_fails_the_pipeline_but_later_steps_still_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run("test", [step("first", 0), step("broken", 3), step("last", 0)])
    out = capsys.readouterr().out
    assert code == 1
    assert "==> [3/3] last" in out
    assert "FAIL  broken" in out
    assert "PASS  first" in out
    assert "test: FAILED: broken" in out


def test_all_steps_passing_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("test", [step("only", 0)]) == 0
    assert "test: all steps passed" in capsys.readouterr().out


def show_flag(name: str) -> Step:
    return Step(
        name, (sys.executable, "-c", f"import os; print('{name}:', os.environ.get('{UNAVAILABLE_FLAG}'))")
    )


def test_a_failed_step_sets_its_flag_for_the_later_steps_only(capfd: pytest.CaptureFixture[str]) -> None:
    flagging = Step("provider", (sys.executable, "-c", "raise SystemExit(1)"), failure_flag=UNAVAILABLE_FLAG)
    assert run("test", [show_flag("before"), flagging, show_flag("after")]) == 1
    out = capfd.readouterr().out
    assert "before: None" in out
    assert "after: 1" in out


def test_a_flag_left_in_the_callers_environment_does_not_reach_the_steps(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # Otherwise a leftover export would quietly skip the browser tests in a run whose browser is fine.
    monkeypatch.setenv(UNAVAILABLE_FLAG, "1")
    assert run("test", [show_flag("only")]) == 0
    assert "only: None" in capfd.readouterr().out


def test_the_browser_is_brought_before_the_tests_in_both_pipelines() -> None:
    for pipeline in ("main", "test"):
        names = PIPELINES[pipeline]
        assert names.index("browser") < names.index("pytest")


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
def test_every_pipeline_names_only_known_steps(pipeline: str) -> None:
    assert set(PIPELINES[pipeline]) <= set(STEPS)


def test_test_pipeline_includes_the_drift_gate_and_the_spec_lint() -> None:
    assert {"lint", "check-generated", "pytest", "mypy", "ruff"} <= set(PIPELINES["test"])
