"""A run goes to its end: a server with two independent faults on one operation fails with both
reported in one run, each check with its count and distinct examples, each example with a curl
reproduction and no key. (Before, the first failing case ended that operation's test, and the
second fault stayed hidden until the first was fixed.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp

from contract_tests.test_conformance.broken_servers import (
    CREATE,
    LIST,
    OnlyFor,
    RewriteResponse,
    on_envelope,
)
from medux_contract.conformance.reports import SUMMARY_FILE
from medux_contract.conformance.runner import EXIT_VIOLATIONS, InProcessTarget, run_suite
from medux_contract.conformance.summary import MAX_EXAMPLES
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock_settings
from medux_contract.mock import DEFAULT_TEST_KEY, create_app
from medux_contract.spec import Operation, load_contract

SMALL_RUN = 5
INVALID_INPUT = 12
CODES = load_contract().codes
FAULTS = ("code_carries_its_data", "message_matches_code")


def two_faults_on(operation: Operation) -> ASGIApp:
    """Its successes lose their data, and its code-12 answers carry another code's message: two
    faults no single answer shows together."""
    other_message = next(row.message for row in CODES if row.code != INVALID_INPUT)

    def break_envelope(envelope: dict[str, Any]) -> None:
        if envelope.get("code") == CODES.success.code:
            envelope.pop("data", None)
        elif envelope.get("code") == INVALID_INPUT:
            envelope["message"] = other_message

    app = create_app(embedded_mock_settings("all-200"))
    broken = RewriteResponse(app, on_envelope(break_envelope))
    return OnlyFor(app, broken, operation.method, operation.path)


@pytest.mark.parametrize("operation", [CREATE, LIST], ids=lambda operation: operation.operation_id)
def test_two_independent_faults_are_both_reported_in_one_run(operation: Operation, tmp_path: Path) -> None:
    lines: list[str] = []
    target = InProcessTarget("two faults", two_faults_on(operation), DEFAULT_TEST_KEY, SECOND_TEST_KEY)
    result = run_suite(target, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lines.append)
    output = "\n".join(lines)
    assert result.exit_code == EXIT_VIOLATIONS, output
    assert set(FAULTS) <= set(result.tally.failed_checks), output
    for check in FAULTS:
        cells = dict(result.tally.of_check(check))
        broken = cells[operation.operation_id]
        assert broken.failed >= 1, output
        assert 1 <= len(broken.examples) <= MAX_EXAMPLES
        assert all("reproduce: curl" in example for example in broken.examples), output
        assert all(DEFAULT_TEST_KEY not in example for example in broken.examples)
        assert not any(cell.failed for name, cell in cells.items() if name != operation.operation_id), output
        assert f"  FAIL  {check}" in output
    summary = json.loads((tmp_path / SUMMARY_FILE).read_text(encoding="utf-8"))
    failed = {(c["check"], c["operation"]) for c in summary["checks"] if c["verdict"] == "failed"}
    assert {(check, operation.operation_id) for check in FAULTS} <= failed


def test_the_run_judges_every_generated_case_after_a_failure(tmp_path: Path) -> None:
    """As many answers are judged with faults as without: nothing stops at the first failure."""
    mock = create_app(embedded_mock_settings("all-200"))
    sound = run_suite(
        InProcessTarget("sound", mock, DEFAULT_TEST_KEY, SECOND_TEST_KEY),
        reports_dir=tmp_path / "sound",
        max_examples=SMALL_RUN,
        seed=1,
        say=lambda line: None,
    )
    broken = run_suite(
        InProcessTarget("two faults", two_faults_on(CREATE), DEFAULT_TEST_KEY, SECOND_TEST_KEY),
        reports_dir=tmp_path / "broken",
        max_examples=SMALL_RUN,
        seed=1,
        say=lambda line: None,
    )
    assert broken.tally.by_operation == sound.tally.by_operation
