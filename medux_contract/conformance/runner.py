"""One conformance run: a target, pytest driving schemathesis over the suite, then the stateful
phase, and a verdict per check and rule.

pytest runs in-process over :mod:`medux_contract.conformance.suite`, which takes its schema (the
spec, ``openapi.yaml`` unless the run names another file, loaded with the run's configuration) and
its sender from the run activated in :mod:`medux_contract.conformance.active_run`. schemathesis
writes the reports (JUnit XML and a HAR cassette) under the run's reports directory. The stateful
rules (:mod:`medux_contract.conformance.stateful`) run afterwards over the same transport. The
summary printed here is per check and per rule, with each operation's outcome coverage; the same
goes to ``summary.json`` and JUnit XML (:mod:`medux_contract.conformance.reports`).

Why pytest and not schemathesis's engine (what its CLI runs): every request of a remote run, the
checks' own probes and the stateful phase included, must pass through the live guard's ``requests``
session (:mod:`medux_contract.conformance.guarded_session`), and the engine builds its own session
per thread with no way to hand it ours. The engine's ``continue-on-failure`` is matched instead by
the sender recording failures rather than raising them, so every phase runs to its end.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
import schemathesis.pytest.plugin as schemathesis_pytest_plugin

from medux_contract.conformance.active_run import ActiveRun, activated
from medux_contract.conformance.coverage import (
    CODES_OBSERVED,
    NONE_REQUIRED,
    Coverage,
    RequiredCodes,
    outcome_coverage,
)
from medux_contract.conformance.guarded_session import Guard, RunStopped, Withheld, guarded_session
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.operations import contract_for
from medux_contract.conformance.outcome_tour import tour
from medux_contract.conformance.reports import RunFacts, write_reports
from medux_contract.conformance.run_config import JUNIT_FILE, RunOptions, build_config
from medux_contract.conformance.sender import Sender
from medux_contract.conformance.stateful import Observed, PhaseSettings, run_stateful_phase
from medux_contract.conformance.summary import Tally
from medux_contract.spec import SPEC_PATH

Say = Callable[[str], None]

SUITE_MODULE = "medux_contract.conformance.suite"
SUITE_PATH = Path(__file__).resolve().parent / "suite.py"
# Quiet pytest: the per-check summary below is the report; JUnit and the cassette hold the details.
PYTEST_ARGS = (
    "-q",
    "-s",
    "--no-header",
    "--tb=no",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:warnings",
    "-o",
    "addopts=",
)

EXIT_PASSED = 0
EXIT_VIOLATIONS = 1
EXIT_STOPPED = 3


@dataclass(frozen=True)
class InProcessTarget:
    """An ASGI app called in-process (the embedded mock, or a variant of it in tests)."""

    label: str
    app: Any
    key: str | None = field(repr=False)
    other_key: str | None = field(default=None, repr=False)
    """A second key the app accepts, for the rule that keys never see each other's assets."""
    chooses_outcomes: bool = False
    """The app answers ``Prefer: example=<name>`` with that outcome (the embedded mock): the run
    then asks for every code of every operation (:mod:`medux_contract.conformance.outcome_tour`)."""


@dataclass(frozen=True)
class UrlTarget:
    base_url: str
    key: str | None = field(repr=False)
    policy: LivePolicy
    other_key: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return self.base_url


Target = InProcessTarget | UrlTarget


@dataclass
class RunResult:
    label: str
    reports_dir: Path
    tally: Tally
    pytest_exit: int
    guard: Guard | None = None
    stopped: str | None = None
    errors: list[str] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    contract_version: str = ""
    started_at: str = ""
    duration_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.tally.failed_checks or self.errors or self.pytest_exit != pytest.ExitCode.OK:
            return EXIT_VIOLATIONS
        if self.stopped:
            return EXIT_STOPPED
        return EXIT_PASSED

    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_PASSED

    @property
    def verdict(self) -> str:
        return {EXIT_PASSED: "passed", EXIT_VIOLATIONS: "failed", EXIT_STOPPED: "incomplete"}[self.exit_code]

    def facts(self) -> RunFacts:
        guard = self.guard
        policy = guard.policy if guard is not None else None
        return RunFacts(
            target=self.label,
            contract_version=self.contract_version,
            verdict=self.verdict,
            exit_code=self.exit_code,
            started_at=self.started_at,
            duration_seconds=self.duration_seconds,
            coverage=self.coverage,
            stopped=self.stopped,
            sent=dict(guard.sent) if guard is not None else {},
            withheld=dict(guard.withheld) if guard is not None else {},
            limits=None
            if policy is None
            else {
                "max_requests": policy.max_requests,
                "max_rps": policy.max_rps,
                "billable_budget": policy.billable_budget,
            },
            errors=self.errors,
        )


class _ErrorCollector:
    """Remembers failures that are not check verdicts (a crash, an unreachable schema, ...)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:  # check failures never fail the test (the sender records them)
            self.errors.append(report.longreprtext)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(report.longreprtext)


def run_suite(
    target: Target,
    *,
    reports_dir: Path,
    max_examples: int | None = None,
    seed: int | None = None,
    say: Say = print,
    guard: Guard | None = None,
    spec_path: Path = SPEC_PATH,
    required: RequiredCodes = NONE_REQUIRED,
) -> RunResult:
    """Run the suite against ``target``, judged by the spec at ``spec_path``; print its summary;
    return the verdict."""
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.monotonic()
    remote = isinstance(target, UrlTarget) and target.policy.remote
    reports_dir.mkdir(parents=True, exist_ok=True)
    options = RunOptions(
        key=target.key,
        reports_dir=reports_dir,
        base_url=target.base_url if isinstance(target, UrlTarget) else None,
        max_examples=max_examples,
        remote=remote,
        seed=seed,
    )
    config = build_config(options)
    schema = schemathesis.openapi.from_path(spec_path, config=config)
    contract = contract_for(schema)
    transport_kwargs: dict[str, Any] = {}
    if isinstance(target, InProcessTarget):
        schema.app = target.app
    else:
        free = [op.operation_id for op in contract.operations if not op.can_bill]
        for line in target.policy.plan(target.base_url, has_key=target.key is not None, free_operations=free):
            say(f"conformance: {line}")
        guard = guard or Guard(
            target.policy, target.key, contract=contract, base_url=target.base_url, say=say
        )
        transport_kwargs = {"session": guarded_session(guard)}
    tally = Tally(secrets=tuple(key for key in (target.key, target.other_key) if key))
    observed = Observed()
    schema.hooks.register_hook_with_name(tally.after_validate, "after_validate")
    schema.hooks.register_hook_with_name(observed.after_validate, "after_validate")
    sender = Sender(transport_kwargs, guard)
    plugin = _ErrorCollector()
    _tolerate_missing_allure()
    say(f"conformance: {target.label}")
    # A fresh import per run: the suite builds its test from the active run at import time.
    sys.modules.pop(SUITE_MODULE, None)
    with activated(ActiveRun(schema, sender)):
        exit_code = pytest.main([str(SUITE_PATH), *PYTEST_ARGS], plugins=[plugin])
    if isinstance(target, InProcessTarget) and target.chooses_outcomes:
        tour(schema, contract, sender, target.key, tally.observed_codes)
    if not (sender.stopped or sender.unreachable or (guard is not None and guard.stopped)):
        settings = PhaseSettings(
            key=target.key,
            other_key=target.other_key,
            remote=remote,
            no_created_hint=_no_created_hint(target),
        )
        try:
            for rule in run_stateful_phase(schema, contract, transport_kwargs, observed, settings):
                tally.add_rule(rule)
        except (RunStopped, Withheld) as stop:
            sender.stopped = sender.stopped or f"stateful phase: {stop}"
        except (requests.ConnectionError, requests.Timeout) as exc:
            sender.unreachable = f"cannot reach the server in the stateful phase ({type(exc).__name__})"
    coverage = outcome_coverage(contract, tally.observed_codes, required)
    if required.any:
        for item in coverage:
            tally.add_requirement(
                CODES_OBSERVED, item.operation_id, list(item.missing_required), list(item.required)
            )
    result = RunResult(
        label=target.label,
        reports_dir=reports_dir,
        tally=tally,
        pytest_exit=int(exit_code),
        guard=guard,
        stopped=sender.stopped or (guard.stopped if guard else None),
        errors=[*plugin.errors, *([sender.unreachable] if sender.unreachable else [])],
        coverage=coverage,
        contract_version=contract.version,
        started_at=started_at,
        duration_seconds=time.monotonic() - started,
    )
    write_reports(reports_dir, JUNIT_FILE, result.facts(), tally)
    scrub_reports(reports_dir, target.key)
    scrub_reports(reports_dir, target.other_key)
    for line in render(result):
        say(line)
    return result


def _no_created_hint(target: Target) -> str:
    if isinstance(target, UrlTarget) and target.policy.billable_budget == 0:
        return "against a remote server creating bills: MEDUX_ALLOW_BILLABLE=1 lets the run create"
    return ""


def render(result: RunResult) -> list[str]:
    lines = [f"conformance: {result.label}: {result.tally.responses} responses judged"]
    lines += result.tally.lines()
    lines += [item.line() for item in result.coverage]
    if result.guard is not None:
        guard = result.guard
        sent = ", ".join(f"{count} {kind}" for kind, count in guard.sent.items()) or "nothing"
        lines.append(f"  sent: {sent}")
        if guard.withheld:
            lines.append(
                "  withheld: " + ", ".join(f"{count} {kind}" for kind, count in guard.withheld.items())
            )
        if guard.backoffs:
            lines.append(f"  paused {guard.backoffs} times for the rate-limit code")
    for error in result.errors:
        lines.append("  ERROR (not a check verdict):")
        lines += [f"    {line}" for line in error.strip().splitlines()[-15:]]
    if result.stopped:
        lines.append(f"  stopped early: {result.stopped}")
    verdict = {EXIT_PASSED: "PASSED", EXIT_VIOLATIONS: "FAILED", EXIT_STOPPED: "INCOMPLETE"}[result.exit_code]
    lines.append(f"conformance: {verdict} ({result.label}); reports in {result.reports_dir}")
    return lines


def scrub_reports(reports_dir: Path, key: str | None) -> None:
    """Belt and braces over schemathesis's own sanitization: no report file keeps the key."""
    if not key:
        return
    for path in reports_dir.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if key in text:
                path.write_text(text.replace(key, "[Filtered]"), encoding="utf-8", errors="surrogateescape")


def _tolerate_missing_allure() -> None:
    # schemathesis 4.32.5's pytest plugin imports `allure_commons` whenever any report is enabled,
    # even when Allure is not (upstream fixed only the xdist path, schemathesis PR #3662). Without
    # the optional Allure extra there is nothing to forward to, so the forwarder is skipped.
    if importlib.util.find_spec("allure_commons") is None:
        schemathesis_pytest_plugin._register_allure_forwarder = lambda label, writers: None
