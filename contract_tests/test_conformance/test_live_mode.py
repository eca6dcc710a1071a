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
from medux_contract.conformance.codebook import billable_codes, rate_limit_codes, rejecting_input
from medux_contract.conformance.guarded_session import CANNOT_BILL, Guard
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.runner import EXIT_STOPPED, UrlTarget, run_suite
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock_settings
from medux_contract.loopback import served
from medux_contract.mock import create_app
from medux_contract.spec import load_contract, schema_validator

KEY = "sk_test_pretend_live_key"
CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")
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


assert CREATE.request_schema is not None
REQUEST_VALIDATOR = schema_validator(CONTRACT.document, CREATE.request_schema)


def valid_body(body: bytes) -> bool:
    try:
        return REQUEST_VALIDATOR.is_valid(json.loads(body))
    except ValueError:
        return False


def with_key(exchanges: list[Exchange], method: str | None = None) -> list[Exchange]:
    return [
        exchange
        for exchange in exchanges
        if exchange.authorization and KEY in exchange.authorization and method in (None, exchange.method)
    ]


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
    posts = [e for e in recording.exchanges if e.method == CREATE.method.upper()]
    assert not [e for e in posts if e.code in billable_codes(CREATE)], "the server billed a request"
    # What it did send: every kind of request that cannot bill, each judged by the mock itself.
    assert any(e.authorization is None for e in recording.exchanges)
    assert any(e.authorization and KEY not in e.authorization for e in recording.exchanges)
    keyed_posts = with_key(recording.exchanges, CREATE.method.upper())
    assert keyed_posts
    assert {e.code for e in keyed_posts} <= rejecting_input(CREATE)
    assert "withheld:" in output


def test_billable_requests_only_when_allowed_and_within_the_budget(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    exit_code = live_run(url, tmp_path, events, MEDUX_ALLOW_BILLABLE="1", MEDUX_MAX_BILLABLE="2")
    output = said(events)
    assert exit_code == 0, output
    assert "billable: up to 2 valid requests with your key" in output
    keyed_and_valid = [e for e in with_key(recording.exchanges, "POST") if valid_body(e.body)]
    assert len(keyed_and_valid) == 2
    assert "2 with your key, valid (may bill)" in output
    posts = [e for e in recording.exchanges if e.method == "POST"]
    assert len([e for e in posts if e.code in billable_codes(CREATE)]) <= 2


def test_default_live_run_lists_with_the_key_and_judges_the_paging_rules(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    exit_code = live_run(url, tmp_path, events)
    output = said(events)
    assert exit_code == 0, output
    keyed_reads = with_key(recording.exchanges, LIST.method.upper())
    assert any(e.code == CONTRACT.codes.success.code for e in keyed_reads)
    assert f"with your key to operations that cannot bill ({LIST.operation_id})" in output
    assert f" {CANNOT_BILL}" in output
    assert "  pass  next_cursor_visits_every_item_once" in output
    assert "  pass  pages_never_exceed_limit" in output
    assert "not applicable: the run created nothing listAvatars should list" in output
    assert "MEDUX_ALLOW_BILLABLE=1 lets the run create" in output


def test_with_billing_allowed_what_the_run_created_is_judged_in_the_list_of_each_key(
    server: tuple[str, Recording], events: list[Any], tmp_path: Path
) -> None:
    url, recording = server
    env = {"MEDUX_ALLOW_BILLABLE": "1", "MEDUX_MAX_BILLABLE": "10", "MEDUX_SECOND_API_KEY": SECOND_TEST_KEY}
    exit_code = live_run(url, tmp_path, events, **env)
    output = said(events)
    assert exit_code == 0, output
    assert any(e.method == "POST" and e.code == CONTRACT.codes.success.code for e in recording.exchanges)
    assert "  pass  created_assets_are_listed" in output
    assert "  pass  other_keys_never_see_them" in output
    assert any(e.authorization == f"Bearer {SECOND_TEST_KEY}" for e in recording.exchanges)
    assert SECOND_TEST_KEY not in output


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
    entry = CONTRACT.codes[code]

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
    (limited,) = rate_limit_codes(CONTRACT.codes)
    app = RewriteResponse(create_app(embedded_mock_settings("all-200", KEY)), answer_with(limited))
    sleep = FakeSleep()
    exit_code, lines, recording = run_against(app, tmp_path, sleep)
    assert exit_code == EXIT_STOPPED
    assert len(recording.exchanges) == 6
    assert [s for s in sleep.sleeps if s >= 1] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert any("6 requests in a row with the rate-limit code" in line for line in lines)


def test_server_that_bills_without_permission_stops_the_run_at_once(tmp_path: Path) -> None:
    success = CONTRACT.codes.success.code
    app = RewriteResponse(create_app(embedded_mock_settings("all-200", KEY)), answer_with(success))
    exit_code, lines, recording = run_against(app, tmp_path, FakeSleep())
    assert exit_code == EXIT_STOPPED
    # A success of the list costs nothing; the first success of the POST is one too many.
    posts = [index for index, e in enumerate(recording.exchanges) if e.method == CREATE.method.upper()]
    assert posts
    assert len(recording.exchanges) == posts[0] + 1
    assert any("more than the 0 this run allows" in line for line in lines)
