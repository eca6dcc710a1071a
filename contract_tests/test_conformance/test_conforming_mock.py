"""`make conformance` passes on the embedded mock, in both HTTP status modes, with every envelope
check judging real responses, and leaves JUnit XML and a HAR cassette under the reports directory."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from medux_contract.conformance import cli as conformance
from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.run_config import HAR_FILE, JUNIT_FILE
from medux_contract.conformance.targets import STATUS_MODES

SUMMARY_LINE = re.compile(r"^  (pass|FAIL|----)  (\w+)\s+(?:(\d+) responses|.*)$")


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
        for check in ENVELOPE_CHECKS:
            verdict, judged = checks[check]
            assert verdict == "pass", output
            assert judged > 0, f"{check} judged no response in mode {mode}:\n{output}"
        assert all(verdict == "pass" for verdict, _ in checks.values()), output
        assert f"conformance: PASSED (embedded mock, status mode {mode})" in output


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
