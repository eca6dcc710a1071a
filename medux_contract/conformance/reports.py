"""The reports of one run a CI can read: one JSON summary (its schema is ``summary.schema.json``
next to this module) and JUnit XML with one test case per check and operation.

schemathesis still writes the HAR cassette; JUnit is ours because the run no longer fails a test
per check failure (it runs to the end), so schemathesis's per-operation JUnit would read green.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.coverage import CODES_OBSERVED, Coverage
from medux_contract.conformance.stateful import STATEFUL_RULES
from medux_contract.conformance.summary import Tally

SUMMARY_FILE = "summary.json"
SUMMARY_SCHEMA = Path(__file__).resolve().parent / "summary.schema.json"
SUMMARY_FORMAT = 1
"""Bumped when a member of the summary changes meaning or goes away (new members do not bump it)."""


@dataclass(frozen=True)
class RunFacts:
    """What the reports say about a run besides the verdicts in its tally."""

    target: str
    contract_version: str
    verdict: str
    exit_code: int
    started_at: str
    duration_seconds: float
    coverage: list[Coverage]
    stopped: str | None = None
    sent: Mapping[str, int] = field(default_factory=dict)
    withheld: Mapping[str, int] = field(default_factory=dict)
    limits: Mapping[str, float | int | None] | None = None
    errors: list[str] = field(default_factory=list)


def kind_of(check: str) -> str:
    if check in STATEFUL_RULES:
        return "stateful"
    if check == CODES_OBSERVED:
        return "coverage"
    return "ours" if check in ENVELOPE_CHECKS else "schemathesis"


def summary_document(facts: RunFacts, tally: Tally) -> dict[str, Any]:
    return {
        "format": SUMMARY_FORMAT,
        "target": facts.target,
        "contract_version": facts.contract_version,
        "verdict": facts.verdict,
        "exit_code": facts.exit_code,
        "started_at": facts.started_at,
        "duration_seconds": round(facts.duration_seconds, 3),
        "responses_judged": tally.responses,
        "checks": [
            {
                "check": check,
                "kind": kind_of(check),
                "operation": operation,
                "verdict": cell.verdict,
                "judged": cell.judged,
                "failed": cell.failed,
                "examples": list(cell.examples),
                "not_applicable": cell.not_applicable,
            }
            for (check, operation), cell in _ordered(tally)
        ],
        "coverage": [
            {
                "operation": item.operation_id,
                "codes": list(item.codes),
                "observed": list(item.observed),
                "missing": list(item.missing),
                "required": list(item.required),
                "missing_required": list(item.missing_required),
            }
            for item in facts.coverage
        ],
        "caps": {
            "stopped_early": facts.stopped,
            "limits": dict(facts.limits) if facts.limits is not None else None,
            "sent": dict(facts.sent),
            "withheld": dict(facts.withheld),
        },
        "errors": list(facts.errors),
    }


def junit_document(facts: RunFacts, tally: Tally) -> ET.ElementTree:
    suite = ET.Element("testsuite", name=f"conformance: {facts.target}", time=f"{facts.duration_seconds:.3f}")
    failures = skipped = 0
    cells = _ordered(tally)
    for (check, operation), cell in cells:
        case = ET.SubElement(suite, "testcase", name=f"{check} [{operation}]", classname=check)
        if cell.failed:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type=check, message=f"{cell.failed} of {cell.judged} failed on {operation}"
            )
            failure.text = "\n\n".join(cell.examples)
        elif not cell.judged:
            skipped += 1
            ET.SubElement(case, "skipped", message=cell.not_applicable or "no response it applies to")
    errors = 0
    for number, error in enumerate([*facts.errors, *([facts.stopped] if facts.stopped else [])], 1):
        case = ET.SubElement(suite, "testcase", name=f"run error {number}", classname="run")
        last_line = error.strip().splitlines()[-1] if error.strip() else "error"
        ET.SubElement(case, "error", message=last_line).text = error
        errors += 1
    suite.set("tests", str(len(cells) + errors))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", tests=suite.get("tests", "0"), failures=str(failures), errors=str(errors))
    root.append(suite)
    ET.indent(root)
    return ET.ElementTree(root)


def write_reports(reports_dir: Path, junit_file: str, facts: RunFacts, tally: Tally) -> None:
    document = summary_document(facts, tally)
    (reports_dir / SUMMARY_FILE).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    junit_document(facts, tally).write(reports_dir / junit_file, encoding="utf-8", xml_declaration=True)


def _ordered(tally: Tally) -> list[tuple[tuple[str, str], Any]]:
    rank = {name: index for index, name in enumerate(tally.order)}
    return sorted(tally.cells.items(), key=lambda item: rank[item[0][0]])
