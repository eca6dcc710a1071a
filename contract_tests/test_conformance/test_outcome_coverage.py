"""Outcome coverage: per operation, which of its codes a run saw and which it never saw. The
embedded mock shows every one (the run asks it for the codes generation cannot reach); a server
that only ever answers 0, 12 and 13, as a live API does to a test account, shows exactly those,
passes, and fails when MEDUX_REQUIRE_CODES asks for the others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp

from contract_tests.test_conformance.broken_servers import RewriteResponse, on_envelope
from medux_contract.conformance import cli as conformance
from medux_contract.conformance.coverage import CODES_OBSERVED, RequiredCodes
from medux_contract.conformance.live_policy import PolicyError
from medux_contract.conformance.reports import SUMMARY_FILE
from medux_contract.conformance.runner import EXIT_PASSED, EXIT_VIOLATIONS, InProcessTarget, run_suite
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock, embedded_mock_settings
from medux_contract.mock import DEFAULT_TEST_KEY, create_app
from medux_contract.spec import load_contract

CONTRACT = load_contract()
SMALL_RUN = 5
LIVE_CODES = frozenset({0, 12, 13})
INVALID_INPUT = 12


def only_live_codes() -> ASGIApp:
    """The mock, with every answer outside 0/12/13 turned into a plain code-12 envelope: still a
    conformant server (12 is an answer of every operation), and one whose other outcomes never show."""
    invalid = CONTRACT.codes[INVALID_INPUT]

    def narrow(envelope: dict[str, Any]) -> None:
        if envelope.get("code") not in LIVE_CODES:
            envelope.clear()
            envelope.update(code=invalid.code, message=invalid.message)

    return RewriteResponse(create_app(embedded_mock_settings("all-200")), on_envelope(narrow))


def live_like(required: RequiredCodes, tmp_path: Path, lines: list[str]) -> Any:
    # It says it honours Prefer, like the mock, so the run asks it for every code and still sees 3.
    target = InProcessTarget("live-like", only_live_codes(), DEFAULT_TEST_KEY, SECOND_TEST_KEY, True)
    return run_suite(
        target, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lines.append, required=required
    )


def test_embedded_mock_run_sees_every_code_of_every_operation(tmp_path: Path) -> None:
    lines: list[str] = []
    mock = embedded_mock("all-200")
    result = run_suite(mock, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lines.append)
    assert result.passed, "\n".join(lines)
    assert {item.operation_id for item in result.coverage} == {op.operation_id for op in CONTRACT.operations}
    for item in result.coverage:
        assert item.observed == CONTRACT.operation(item.operation_id).codes
        assert item.missing == ()
        seen = ", ".join(map(str, item.codes))
        assert f"  codes of {item.operation_id}: seen {seen}; never seen none" in lines


def test_server_answering_only_0_12_13_shows_the_others_as_never_seen(tmp_path: Path) -> None:
    lines: list[str] = []
    result = live_like(RequiredCodes(), tmp_path, lines)
    output = "\n".join(lines)
    assert result.exit_code == EXIT_PASSED, output
    for item in result.coverage:
        codes = CONTRACT.operation(item.operation_id).codes
        assert set(item.observed) == LIVE_CODES & set(codes), output
        assert set(item.missing) == set(codes) - LIVE_CODES, output
    summary = json.loads((tmp_path / SUMMARY_FILE).read_text(encoding="utf-8"))
    create = next(item for item in summary["coverage"] if item["operation"] == "createAvatarByImage")
    assert create["observed"] == [0, 12, 13]
    assert 1401 in create["missing"]
    assert 16 in create["missing"]


def test_required_codes_never_seen_fail_the_run(tmp_path: Path) -> None:
    lines: list[str] = []
    result = live_like(RequiredCodes(every=True), tmp_path, lines)
    output = "\n".join(lines)
    assert result.exit_code == EXIT_VIOLATIONS, output
    assert result.tally.failed_checks == [CODES_OBSERVED], output
    failed = {op for op, cell in result.tally.of_check(CODES_OBSERVED) if cell.failed}
    assert failed == {op.operation_id for op in CONTRACT.operations if set(op.codes) - LIVE_CODES}
    never = [code for code in CONTRACT.operation("createAvatarByImage").codes if code not in LIVE_CODES]
    assert f"required codes never observed: {', '.join(map(str, never))}" in output


def test_requiring_only_codes_the_server_answers_passes(tmp_path: Path) -> None:
    lines: list[str] = []
    result = live_like(RequiredCodes(codes=frozenset(LIVE_CODES)), tmp_path, lines)
    assert result.exit_code == EXIT_PASSED, "\n".join(lines)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", RequiredCodes()),
        ("all", RequiredCodes(every=True)),
        ("ALL", RequiredCodes(every=True)),
        ("0, 12,13", RequiredCodes(codes=frozenset({0, 12, 13}))),
    ],
)
def test_require_codes_setting_is_read(value: str, expected: RequiredCodes) -> None:
    assert RequiredCodes.from_env({"MEDUX_REQUIRE_CODES": value}) == expected


@pytest.mark.parametrize("value", ["yes", "12,", "0;12", "-1"])
def test_unusable_require_codes_is_a_settings_error(value: str, tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="MEDUX_REQUIRE_CODES"):
        RequiredCodes.from_env({"MEDUX_REQUIRE_CODES": value})
    lines: list[str] = []
    env = {"MEDUX_REQUIRE_CODES": value}
    exit_code = conformance.main(["--reports-dir", str(tmp_path)], env=env, say=lines.append)
    assert exit_code == conformance.EXIT_SETTINGS
    assert len(lines) == 1
    assert "MEDUX_REQUIRE_CODES must be 'all' or codes" in lines[0]
