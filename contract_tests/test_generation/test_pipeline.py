"""`make` and `make test` run every step, summarise, and fail when any step fails."""

from __future__ import annotations

import sys

import pytest

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


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
def test_every_pipeline_names_only_known_steps(pipeline: str) -> None:
    assert set(PIPELINES[pipeline]) <= set(STEPS)


def test_test_pipeline_includes_the_drift_gate_and_the_spec_lint() -> None:
    assert {"lint", "check-generated", "pytest", "mypy", "ruff"} <= set(PIPELINES["test"])
