"""A live run against a server the suite is told is remote (the "is local" decision is injected;
the server really is on loopback): it prints its plan first, cannot make the server bill, keeps
to its caps, backs off on the rate-limit code and stops when told to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tests.test_conformance.broken_servers import Answer, RewriteResponse, on_envelope
from contract_tests.test_conformance.recording import Exchange, Recording
from medux_contract.conformance import cli as conformance
from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.guarded_session import Guard
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.runner import EXIT_STOPPED, UrlTarget, run_suite
from medux_contract.conformance.targets import embedded_mock_settings
from medux_contract.lint.spec_rules import schema_validator
from medux_contract.loopback import served
from medux_contract.mock import create_app
from medux_contract.spec import load_spec, operation

KEY = "sk_test_pretend_live_key"
FAST = "1000"  # requests/s: pacing itself is proven with a fake clock in test_live_guard


def pretend_remote(url: str) -> bool:
    return False


@pytest.fixture
def events() -> list[Any]:
    return []


@pytest.fixture
def server(events: list[Any]) -> Iterator[tuple[str, Recording]]:
    recording = Recording(create_app(embedded_mock_settings("mapped", KEY)), events)
    with served(recording) as url:
        yield url, recording


def live_run(url: str, tmp_path: Path, events: list[Any], **env: str) -> int:
    settings = {"MEDUX_BASE_URL": url, "MEDUX_API_KEY": KEY, "MEDUX_MAX_RPS": FAST, **env}
    return conformance.main(
        ["--reports-dir", str(tmp_path)], env=settings, is_local=pretend_remote, say=events.append
    )


def said(events: list[Any]) -> str:
    return "\n".join(event for event in events if isinstance(event, str))


REQUEST_VALIDATOR = schema_validator(
    load_spec(), operation(load_spec())["requestBody"]["content"]["application/json"]["schema"]
)


def valid_body(body: bytes) -> bool:
    try:
        return REQUEST_VALIDATOR.is_valid(json.loads(body))
    except ValueError:
        return False


def with_key(exchanges: list[Exchange]) -> list[Exchange]:
    return [exchange for exchange in exchanges if exchange.authorization and KEY in exchange.authorization]


def test_default_live_run_prints_its_plan_then_sends_nothing_that_can_bill(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    exit_code = live_run(url, tmp_path, events)
    output = said(events)
    assert exit_code == 0, output
    first_request = next(index for index, event in enumerate(events) if isinstance(event, Exchange))
    plan = [event for event in events[:first_request] if isinstance(event, str)]
    assert any("REMOTE" in line for line in plan)
    assert any("valid requests with your key are withheld" in line for line in plan)
    assert any("caps: at most 1000 requests/s, at most 200 requests in all" in line for line in plan)
    table = codebook()
    assert not [e for e in recording.exchanges if e.code in table.billable], "the server billed a request"
    # What it did send: every kind of request that cannot bill, each judged by the mock itself.
    assert any(e.authorization is None for e in recording.exchanges)
    assert any(e.authorization and KEY not in e.authorization for e in recording.exchanges)
    keyed = with_key(recording.exchanges)
    assert keyed
    assert {e.code for e in keyed} <= table.invalid_request
    assert "withheld:" in output


def test_billable_requests_only_when_allowed_and_within_the_budget(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    exit_code = live_run(url, tmp_path, events, MEDUX_ALLOW_BILLABLE="1", MEDUX_MAX_BILLABLE="2")
    output = said(events)
    assert exit_code == 0, output
    assert "billable: up to 2 valid requests with your key" in output
    keyed_and_valid = [e for e in with_key(recording.exchanges) if valid_body(e.body)]
    assert len(keyed_and_valid) == 2
    assert "2 with your key, valid (may bill)" in output
    assert len([e for e in recording.exchanges if e.code in codebook().billable]) <= 2


def test_total_request_cap_stops_the_run(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    exit_code = live_run(url, tmp_path, events, MEDUX_MAX_REQUESTS="8")
    assert exit_code == EXIT_STOPPED
    assert len(recording.exchanges) == 8
    assert "stopped early: reached the cap of 8 requests (MEDUX_MAX_REQUESTS)" in said(events)


class FakeSleep:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def answer_with(code: int) -> Any:
    entry = codebook().by_code[code]

    def change(envelope: dict[str, Any]) -> None:
        envelope.clear()
        envelope.update(code=entry.code, message=entry.message)

    def transform(answer: Answer) -> Answer:
        return on_envelope(change)(answer)

    return transform


def run_against(app: Any, tmp_path: Path, sleep: FakeSleep) -> tuple[int, list[str], Recording]:
    recording = Recording(app)
    lines: list[str] = []
    with served(recording) as url:
        policy = LivePolicy.from_env({"MEDUX_MAX_RPS": FAST}, url, is_local=pretend_remote)
        guard = Guard(policy, KEY, sleep=sleep, say=lines.append)
        result = run_suite(UrlTarget(url, KEY, policy), reports_dir=tmp_path, say=lines.append, guard=guard)
    return result.exit_code, lines, recording


def test_rate_limit_code_makes_the_run_back_off_then_stop(tmp_path: Path) -> None:
    (limited,) = codebook().refused_before_work
    app = RewriteResponse(create_app(embedded_mock_settings("all-200", KEY)), answer_with(limited))
    sleep = FakeSleep()
    exit_code, lines, recording = run_against(app, tmp_path, sleep)
    assert exit_code == EXIT_STOPPED
    assert len(recording.exchanges) == 6
    assert [s for s in sleep.sleeps if s >= 1] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert any("6 requests in a row with the rate-limit code" in line for line in lines)


def test_server_that_bills_without_permission_stops_the_run_at_once(tmp_path: Path) -> None:
    (success,) = codebook().success
    app = RewriteResponse(create_app(embedded_mock_settings("all-200", KEY)), answer_with(success))
    exit_code, lines, recording = run_against(app, tmp_path, FakeSleep())
    assert exit_code == EXIT_STOPPED
    assert len(recording.exchanges) == 1
    assert any("more than the 0 this run allows" in line for line in lines)
