"""The reports a CI reads: summary.json validates against the schema committed next to the
runner (passing, failing and capped runs alike) and says what the run judged; JUnit has one test
case per check (stateful rules included) and operation, a failure for each failed one with its
examples."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from contract_tests.test_conformance.test_run_to_the_end import FAULTS, two_faults_on
from medux_contract.conformance import cli as conformance
from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.reports import SUMMARY_FILE, SUMMARY_SCHEMA
from medux_contract.conformance.run_config import JUNIT_FILE
from medux_contract.conformance.runner import InProcessTarget, run_suite
from medux_contract.conformance.stateful import STATEFUL_RULES
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock, embedded_mock_settings
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, create_app
from medux_contract.spec import load_contract

CONTRACT = load_contract()
SMALL_RUN = 5
KEY = "sk_test_pretend_live_key_for_reports"


def validated_summary(reports: Path) -> dict[str, Any]:
    schema = json.loads(SUMMARY_SCHEMA.read_text(encoding="utf-8"))
    summary: dict[str, Any] = json.loads((reports / SUMMARY_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(summary)]
    assert not errors, errors
    return summary


def test_summary_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SUMMARY_SCHEMA.read_text(encoding="utf-8")))


def test_summary_of_a_passing_run_says_what_it_judged(tmp_path: Path) -> None:
    mock = embedded_mock("mapped")
    result = run_suite(mock, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lambda _: None)
    summary = validated_summary(tmp_path)
    assert (summary["verdict"], summary["exit_code"]) == ("passed", 0)
    assert summary["target"] == "embedded mock, status mode mapped"
    assert summary["contract_version"] == CONTRACT.version
    assert summary["responses_judged"] == result.tally.responses > 0
    assert summary["duration_seconds"] > 0
    verdicts = {(c["check"], c["operation"]): c["verdict"] for c in summary["checks"]}
    for operation in CONTRACT.operations:
        for check in ENVELOPE_CHECKS:
            assert (check, operation.operation_id) in verdicts
    assert {check for check, _ in verdicts} >= set(STATEFUL_RULES)
    assert "failed" not in verdicts.values()
    covered = [item["operation"] for item in summary["coverage"]]
    assert covered == [op.operation_id for op in CONTRACT.operations]
    assert summary["caps"]["limits"] is None
    assert summary["caps"]["stopped_early"] is None


def test_summary_and_junit_of_a_failing_run_carry_every_failure(tmp_path: Path) -> None:
    operation = CONTRACT.operation("listAvatars")
    target = InProcessTarget("two faults", two_faults_on(operation), DEFAULT_TEST_KEY, SECOND_TEST_KEY)
    run_suite(target, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lambda _: None)
    summary = validated_summary(tmp_path)
    assert (summary["verdict"], summary["exit_code"]) == ("failed", 1)
    failed = {(c["check"], c["operation"]): c for c in summary["checks"] if c["verdict"] == "failed"}
    for check in FAULTS:
        entry = failed[(check, operation.operation_id)]
        assert entry["failed"] >= 1
        assert entry["examples"]
        assert all("reproduce: curl" in example for example in entry["examples"])
    junit = ET.parse(tmp_path / JUNIT_FILE).getroot()
    cases = junit.findall(".//testcase")
    assert len(cases) == len(summary["checks"])
    failures = {case.get("name"): case.find("failure") for case in cases if case.find("failure") is not None}
    assert set(failures) == {f"{check} [{op}]" for check, op in failed}
    assert junit.get("failures") == str(len(failed))
    for check in FAULTS:
        failure = failures[f"{check} [{operation.operation_id}]"]
        assert failure is not None
        assert "reproduce: curl" in (failure.text or "")
    assert {case.get("classname") for case in cases} >= set(STATEFUL_RULES)
    for path in tmp_path.iterdir():
        assert DEFAULT_TEST_KEY not in path.read_text(encoding="utf-8"), path


def test_summary_of_a_capped_live_run_records_the_cap(tmp_path: Path) -> None:
    with served(create_app(embedded_mock_settings("mapped", KEY))) as url:
        env = {"MEDUX_BASE_URL": url, "MEDUX_API_KEY": KEY, "MEDUX_MAX_RPS": "1000"}
        env["MEDUX_MAX_REQUESTS"] = "8"
        exit_code = conformance.main(
            ["--reports-dir", str(tmp_path)], env=env, is_local=lambda url: False, say=lambda _: None
        )
    assert exit_code == 3
    summary = validated_summary(tmp_path / "server")
    assert (summary["verdict"], summary["exit_code"]) == ("incomplete", 3)
    caps = summary["caps"]
    assert "MEDUX_MAX_REQUESTS" in caps["stopped_early"]
    assert caps["limits"]["max_requests"] == 8
    assert caps["limits"]["billable_budget"] == 0
    assert sum(caps["sent"].values()) == 8
    for path in (tmp_path / "server").iterdir():
        assert KEY not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("member", ["target", "coverage", "caps"])
def test_a_summary_missing_a_member_does_not_validate(member: str, tmp_path: Path) -> None:
    run_suite(embedded_mock("all-200"), reports_dir=tmp_path, max_examples=1, say=lambda _: None)
    summary = validated_summary(tmp_path)
    del summary[member]
    schema = json.loads(SUMMARY_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(summary, schema)
