"""Which targets count as remote, the MEDUX_* caps, and the plan printed before a live run."""

from __future__ import annotations

import pytest

from medux_contract.conformance.live_policy import (
    DEFAULT_MAX_BILLABLE,
    DEFAULT_MAX_REQUESTS,
    DEFAULT_MAX_RPS,
    LivePolicy,
    PolicyError,
    is_loopback_url,
)

REMOTE_URL = "https://api.medux.io"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4010",
        "http://localhost:4010",
        "http://[::1]:8000",
        "http://127.8.9.10",
        "http://LOCALHOST",
    ],
)
def test_loopback_addresses_are_local(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.medux.io",
        "http://localhost.medux.test:4010",
        "http://10.0.0.1",
        "http://0.0.0.0:4010",
        "http://[::]:80",
    ],
)
def test_everything_else_is_remote_even_names_that_may_resolve_locally(url: str) -> None:
    assert not is_loopback_url(url)


def test_remote_defaults_cannot_bill() -> None:
    policy = LivePolicy.from_env({}, REMOTE_URL)
    assert policy == LivePolicy(
        remote=True,
        allow_billable=False,
        max_billable=DEFAULT_MAX_BILLABLE,
        max_rps=DEFAULT_MAX_RPS,
        max_requests=DEFAULT_MAX_REQUESTS,
    )
    assert policy.billable_budget == 0


def test_remote_settings_come_from_the_environment() -> None:
    env = {
        "MEDUX_ALLOW_BILLABLE": "1",
        "MEDUX_MAX_BILLABLE": "5",
        "MEDUX_MAX_RPS": "0.5",
        "MEDUX_MAX_REQUESTS": "40",
    }
    policy = LivePolicy.from_env(env, REMOTE_URL)
    assert (policy.billable_budget, policy.max_rps, policy.max_requests) == (5, 0.5, 40)


def test_local_targets_have_no_billing_caps_unless_a_rate_is_asked_for() -> None:
    assert LivePolicy.from_env({"MEDUX_ALLOW_BILLABLE": "0"}, "http://127.0.0.1:4010") == LivePolicy(
        remote=False
    )
    assert LivePolicy.from_env({"MEDUX_MAX_RPS": "3"}, "http://127.0.0.1:4010").max_rps == 3.0


def test_the_local_decision_can_be_injected() -> None:
    assert LivePolicy.from_env({}, "http://127.0.0.1:4010", is_local=lambda url: False).remote


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEDUX_ALLOW_BILLABLE", "maybe"),
        ("MEDUX_MAX_BILLABLE", "-1"),
        ("MEDUX_MAX_BILLABLE", "three"),
        ("MEDUX_MAX_RPS", "0"),
        ("MEDUX_MAX_RPS", "inf"),
        ("MEDUX_MAX_RPS", "fast"),
        ("MEDUX_MAX_REQUESTS", "0"),
    ],
)
def test_unusable_settings_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(PolicyError, match=name):
        LivePolicy.from_env({name: value}, REMOTE_URL)


def test_plan_states_what_is_sent_and_every_cap() -> None:
    plan = "\n".join(LivePolicy.from_env({}, REMOTE_URL).plan(REMOTE_URL, has_key=True))
    assert "REMOTE" in plan
    assert "requests without credentials, with a wrong key" in plan
    assert "valid requests with your key are withheld" in plan
    assert f"at most {DEFAULT_MAX_RPS:g} requests/s" in plan
    assert f"at most {DEFAULT_MAX_REQUESTS} requests in all" in plan


def test_plan_names_the_billable_budget_when_allowed() -> None:
    policy = LivePolicy.from_env({"MEDUX_ALLOW_BILLABLE": "1"}, REMOTE_URL)
    plan = "\n".join(policy.plan(REMOTE_URL, has_key=True))
    assert f"up to {DEFAULT_MAX_BILLABLE} valid requests with your key" in plan
