"""The reusable GitHub Action and the workflow that uses it, checked for what they must say (they
cannot run here): a composite action whose inputs are all used and all declared, that checks out
the pinned contract version, passes only settings the suite reads, keeps the key out of its
scripts, uploads the reports even when the suite fails, and ends with the suite's exit status;
a workflow that uses it from its local path against the embedded mock."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from medux_contract.spec import REPO_ROOT

ACTION = REPO_ROOT / ".github" / "actions" / "conformance" / "action.yml"
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "conformance-action.yml"
LOCAL_USE = "./" + ACTION.parent.relative_to(REPO_ROOT).as_posix()
SUITE_SOURCES = REPO_ROOT / "medux_contract" / "conformance"
INPUT_REFERENCE = re.compile(r"inputs\.([A-Za-z0-9_-]+)")


def load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def steps_using(steps: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [step for step in steps if str(step.get("uses", "")).startswith(action + "@")]


def settings_the_suite_reads() -> set[str]:
    names: set[str] = set()
    for path in SUITE_SOURCES.rglob("*.py"):
        names |= set(re.findall(r"\bMEDUX_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return names


def test_action_is_composite_with_the_documented_inputs() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"name", "description", "inputs", "outputs", "runs"} <= set(action)
    inputs = action["inputs"]
    assert inputs["contract-version"]["required"] is True
    for name in ("base-url", "api-key", "require-codes", "max-requests", "allow-billable"):
        assert inputs[name]["required"] is False, name
    assert all("description" in spec for spec in inputs.values())


def test_every_input_is_used_and_every_used_input_declared() -> None:
    action = load(ACTION)
    referenced = set(INPUT_REFERENCE.findall(yaml.safe_dump(action["runs"])))
    assert referenced == set(action["inputs"])


def test_action_checks_out_the_pinned_contract_version() -> None:
    steps = load(ACTION)["runs"]["steps"]
    (checkout,) = steps_using(steps, "actions/checkout")
    assert checkout["with"]["ref"] == "${{ inputs.contract-version }}"
    assert "inputs.contract-repository" in checkout["with"]["repository"]
    assert checkout["with"]["persist-credentials"] is False


def test_action_runs_make_conformance_with_settings_the_suite_reads() -> None:
    steps = load(ACTION)["runs"]["steps"]
    (suite,) = [step for step in steps if "make conformance" in step.get("run", "")]
    assert suite["working-directory"] == checkout_path(steps)
    env = suite["env"]
    assert env["MEDUX_BASE_URL"] == "${{ inputs.base-url }}"
    assert env["MEDUX_API_KEY"] == "${{ inputs.api-key }}"
    assert set(env) <= settings_the_suite_reads(), set(env) - settings_the_suite_reads()
    assert "exit-code=" in suite["run"]


def test_no_script_of_the_action_splices_in_an_input() -> None:
    # Inputs reach scripts as environment variables only: a key can't be echoed into the log by
    # the script's text, and a crafted input can't inject shell.
    for step in load(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_action_uploads_the_reports_even_when_the_suite_fails_then_returns_its_verdict() -> None:
    steps = load(ACTION)["runs"]["steps"]
    (upload,) = steps_using(steps, "actions/upload-artifact")
    assert upload["if"] == "always()"
    assert upload["with"]["path"] == f"{checkout_path(steps)}/reports/conformance"
    assert upload["with"]["name"] == "${{ inputs.artifact-name }}"
    last = steps[-1]
    assert last["env"]["EXIT_CODE"] == "${{ steps.suite.outputs.exit-code }}"
    assert 'exit "${EXIT_CODE' in last["run"]


def test_workflow_uses_the_action_from_its_local_path_against_the_embedded_mock() -> None:
    workflow = load(WORKFLOW)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert isinstance(triggers, dict)
    assert "push" in triggers
    action_inputs = load(ACTION)["inputs"]
    uses = [
        step for job in workflow["jobs"].values() for step in job["steps"] if step.get("uses") == LOCAL_USE
    ]
    assert len(uses) == 1
    given = uses[0]["with"]
    assert set(given) <= set(action_inputs)
    assert {name for name, spec in action_inputs.items() if spec.get("required")} <= set(given)
    assert given["contract-version"] == "${{ github.sha }}"
    assert "base-url" not in given  # no URL: the embedded mock
    job = next(job for job in workflow["jobs"].values() if uses[0] in job["steps"])
    assert steps_using(job["steps"], "actions/checkout"), "a local action needs the repository checked out"


def checkout_path(steps: list[dict[str, Any]]) -> str:
    (checkout,) = steps_using(steps, "actions/checkout")
    return str(checkout["with"]["path"])
