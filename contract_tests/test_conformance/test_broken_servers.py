"""Every deliberately broken server makes the suite fail, through exactly the check or stateful
rule it breaks (whether it breaks every operation or only one); the layers that break them are
harmless on their own."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contract_tests.test_conformance.broken_servers import (
    BROKEN_SERVERS,
    BrokenServer,
    RewriteRequest,
    RewriteResponse,
)
from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.run_config import JUNIT_FILE
from medux_contract.conformance.runner import EXIT_VIOLATIONS, InProcessTarget, run_suite
from medux_contract.conformance.stateful import STATEFUL_RULES
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock_settings
from medux_contract.mock import DEFAULT_TEST_KEY, create_app

SMALL_RUN = 5
OUR_RULES = (*ENVELOPE_CHECKS, *STATEFUL_RULES)


def test_every_check_and_stateful_rule_has_a_broken_server() -> None:
    assert {server.breaks for server in BROKEN_SERVERS} == set(OUR_RULES)


@pytest.mark.parametrize("server", BROKEN_SERVERS, ids=lambda server: server.name)
def test_broken_server_fails_the_suite_through_its_rule(server: BrokenServer, tmp_path: Path) -> None:
    lines: list[str] = []
    target = InProcessTarget(server.name, server.app(), DEFAULT_TEST_KEY, SECOND_TEST_KEY)
    result = run_suite(target, reports_dir=tmp_path, max_examples=SMALL_RUN, say=lines.append)
    output = "\n".join(lines)
    assert result.exit_code == EXIT_VIOLATIONS, output
    assert [check for check in result.tally.failed_checks if check in OUR_RULES] == [server.breaks], output
    assert f"  FAIL  {server.breaks}" in output
    assert f"conformance: FAILED ({server.name})" in output
    if server.breaks in ENVELOPE_CHECKS:
        junit = ET.parse(tmp_path / JUNIT_FILE).getroot()
        assert int(junit.get("failures", "0")) >= 1
        assert server.breaks in ET.tostring(junit, encoding="unicode")


def test_the_rewriting_layers_alone_keep_the_contract(tmp_path: Path) -> None:
    app = create_app(embedded_mock_settings("mapped"))
    untouched = RewriteRequest(
        RewriteResponse(app, lambda answer: answer), lambda headers, body: (headers, body)
    )
    result = run_suite(
        InProcessTarget("pass-through layers", untouched, DEFAULT_TEST_KEY, SECOND_TEST_KEY),
        reports_dir=tmp_path,
        max_examples=SMALL_RUN,
        say=lambda line: None,
    )
    assert result.passed, result.tally.lines()
