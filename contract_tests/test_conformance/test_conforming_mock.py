"""`make conformance` passes on the embedded mock, in both HTTP status modes, with every envelope
check and every stateful rule judging real responses of every operation, and leaves JUnit XML and
a HAR cassette under the reports directory. The mock serving the fixture spec (a made-up third
operation) passes too, with that operation judged, and fails when only that operation breaks."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, write_fixture_spec
from contract_tests.test_conformance.broken_servers import fixture_broken_server
from medux_contract.conformance import cli as conformance
from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.run_config import HAR_FILE, JUNIT_FILE
from medux_contract.conformance.runner import EXIT_VIOLATIONS, InProcessTarget, run_suite
from medux_contract.conformance.stateful import STATEFUL_RULES
from medux_contract.conformance.targets import SECOND_TEST_KEY, STATUS_MODES, embedded_mock
from medux_contract.mock import DEFAULT_TEST_KEY
from medux_contract.spec import load_contract

SUMMARY_LINE = re.compile(r"^  (pass|FAIL|----)  (\w+)\s+(?:(\d+) responses|.*)$")
PER_OPERATION = re.compile(r"^  answers judged per operation: (.+)$")
SMALL_RUN = 5


def judged_per_operation(lines: list[str]) -> dict[str, int]:
    for line in lines:
        match = PER_OPERATION.match(line)
        if match:
            pairs = (part.rsplit(" ", 1) for part in match.group(1).split(", "))
            return {name: int(count) for name, count in pairs}
    return {}


def summaries(lines: list[str]) -> dict[str, dict[str, tuple[str, int]]]:
    """Target label -> check -> (verdict, responses judged), parsed from the printed summary."""
    result: dict[str, dict[str, tuple[str, int]]] = {}
    current: dict[str, tuple[str, int]] = {}
    for line in lines:
        header = re.match(r"^conformance: (.+): \d+ responses judged$", line)
        if header:
            current = result.setdefault(header.group(1), {})
            continue
        match = SUMMARY_LINE.match(line)
        if match:
            current[match.group(2)] = (match.group(1), int(match.group(3) or 0))
    return result


def test_embedded_mock_keeps_the_contract_in_both_status_modes(tmp_path: Path) -> None:
    lines: list[str] = []
    exit_code = conformance.main(["--reports-dir", str(tmp_path)], env={}, say=lines.append)
    output = "\n".join(lines)
    assert exit_code == 0, output
    found = summaries(lines)
    for mode in STATUS_MODES:
        checks = found[f"embedded mock, status mode {mode}"]
        for check in (*ENVELOPE_CHECKS, *STATEFUL_RULES):
            verdict, judged = checks[check]
            assert verdict == "pass", output
            assert judged > 0, f"{check} judged no response in mode {mode}:\n{output}"
        assert all(verdict == "pass" for verdict, _ in checks.values()), output
        assert f"conformance: PASSED (embedded mock, status mode {mode})" in output
    per_operation = judged_per_operation(lines)
    assert set(per_operation) == {op.operation_id for op in load_contract().operations}, output
    assert all(count > 0 for count in per_operation.values()), output


def test_run_leaves_junit_and_a_har_cassette_per_status_mode(tmp_path: Path) -> None:
    exit_code = conformance.main(["--reports-dir", str(tmp_path)], env={}, say=lambda line: None)
    assert exit_code == 0
    for mode in STATUS_MODES:
        junit = ET.parse(tmp_path / f"mock-{mode}" / JUNIT_FILE).getroot()
        assert junit.get("failures") == "0"
        assert int(junit.get("tests", "0")) >= 1
        har = json.loads((tmp_path / f"mock-{mode}" / HAR_FILE).read_text(encoding="utf-8"))
        assert har["log"]["entries"], "the cassette recorded no exchange"


def test_one_status_mode_can_be_chosen(tmp_path: Path) -> None:
    lines: list[str] = []
    exit_code = conformance.main(
        ["--reports-dir", str(tmp_path)], env={"MEDUX_MOCK_STATUS_MODE": "mapped"}, say=lines.append
    )
    assert exit_code == 0
    assert list(summaries(lines)) == ["embedded mock, status mode mapped"]


def test_unknown_status_mode_is_a_clear_settings_error(tmp_path: Path) -> None:
    lines: list[str] = []
    exit_code = conformance.main(
        ["--reports-dir", str(tmp_path)], env={"MEDUX_MOCK_STATUS_MODE": "teapot"}, say=lines.append
    )
    assert exit_code == conformance.EXIT_SETTINGS
    assert lines == ["conformance: MEDUX_MOCK_STATUS_MODE must be one of all-200, mapped, both, got 'teapot'"]


def test_mock_serving_the_fixture_spec_keeps_it_with_the_made_up_operation_judged(tmp_path: Path) -> None:
    spec = write_fixture_spec(tmp_path)
    lines: list[str] = []
    result = run_suite(
        embedded_mock("mapped", spec=spec),
        reports_dir=tmp_path / "reports",
        max_examples=SMALL_RUN,
        say=lines.append,
        spec_path=spec,
    )
    output = "\n".join(lines)
    assert result.passed, output
    assert result.tally.by_operation[FIXTURE_OPERATION_ID] > 0, output
    assert FIXTURE_OPERATION_ID in judged_per_operation(lines), output


def test_a_server_broken_only_on_the_made_up_operation_fails_through_its_check(tmp_path: Path) -> None:
    server = fixture_broken_server(write_fixture_spec(tmp_path))
    assert server.spec is not None
    lines: list[str] = []
    broken = InProcessTarget(server.name, server.app(), DEFAULT_TEST_KEY, SECOND_TEST_KEY)
    result = run_suite(
        broken,
        reports_dir=tmp_path / "reports",
        max_examples=SMALL_RUN,
        say=lines.append,
        spec_path=server.spec,
    )
    output = "\n".join(lines)
    assert result.exit_code == EXIT_VIOLATIONS, output
    ours = [check for check in result.tally.failed_checks if check in (*ENVELOPE_CHECKS, *STATEFUL_RULES)]
    assert ours == [server.breaks], output
