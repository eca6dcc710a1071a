"""The schemathesis CLI, reading the committed schemathesis.toml, gives the same verdict as
`make conformance` (pytest) on the same server: pass on the mock, and fail through the same
envelope checks on broken servers, both faults of a server with two (both run to the end)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from contract_tests.test_conformance.broken_servers import BROKEN_SERVERS, LIST
from contract_tests.test_conformance.test_run_to_the_end import FAULTS, two_faults_on
from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.runner import UrlTarget, run_suite
from medux_contract.conformance.targets import embedded_mock_settings
from medux_contract.loopback import served
from medux_contract.mock import DEFAULT_TEST_KEY, create_app
from medux_contract.spec import REPO_ROOT, SPEC_PATH

SCHEMATHESIS_CLI = Path(sys.executable).parent / "schemathesis"
CLI_TIMEOUT_SECONDS = 120
CUSTOM_FAILURE = re.compile(r"Custom check failed: `(\w+)`")
TWO_FAULTS = "two-faults-on-the-list"


def server(name: str) -> ASGIApp:
    if name == "mock":
        return create_app(embedded_mock_settings("all-200"))
    if name == TWO_FAULTS:
        return two_faults_on(LIST)
    return next(broken for broken in BROKEN_SERVERS if broken.name == name).app()


def cli_run(url: str, reports: Path) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEDUX_")}
    return subprocess.run(
        [str(SCHEMATHESIS_CLI), "run", str(SPEC_PATH), "--url", url, "--report-dir", str(reports)],
        cwd=REPO_ROOT,
        env={**env, "MEDUX_API_KEY": DEFAULT_TEST_KEY},
        capture_output=True,
        text=True,
        check=False,
        timeout=CLI_TIMEOUT_SECONDS,
    )


@pytest.mark.parametrize("name", ["mock", "wrong-message", "success-without-credentials", TWO_FAULTS])
def test_cli_and_pytest_give_the_same_verdict(name: str, tmp_path: Path) -> None:
    with served(server(name)) as url:
        suite = run_suite(
            UrlTarget(url, DEFAULT_TEST_KEY, LivePolicy(remote=False)),
            reports_dir=tmp_path / "pytest",
            say=lambda line: None,
        )
        cli = cli_run(url, tmp_path / "cli")
    assert cli.returncode in (0, 1), cli.stdout + cli.stderr
    assert (cli.returncode == 0) == suite.passed, cli.stdout
    cli_failed = set(CUSTOM_FAILURE.findall(cli.stdout))
    assert cli_failed == {check for check in suite.tally.failed_checks if check in ENVELOPE_CHECKS}
    if name != "mock":
        assert cli_failed, cli.stdout
    if name == TWO_FAULTS:
        assert set(FAULTS) <= cli_failed, cli.stdout
    assert "Configuration:    " + str(REPO_ROOT / "schemathesis.toml") in cli.stdout


def test_cli_names_the_missing_key_instead_of_running_without_one(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEDUX_")}
    cli = subprocess.run(
        [
            str(SCHEMATHESIS_CLI),
            "run",
            str(SPEC_PATH),
            "--url",
            "http://127.0.0.1:9",
            "--report-dir",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=CLI_TIMEOUT_SECONDS,
    )
    assert cli.returncode != 0
    assert "MEDUX_API_KEY" in cli.stdout + cli.stderr
