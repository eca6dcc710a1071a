"""The live-mode guard decides from the bytes about to leave: what may bill, how fast, how many,
and when to pause or stop. Time is a fake clock here: no test waits."""

from __future__ import annotations

import json

import pytest
import requests

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.guarded_session import (
    INVALID_WITH_KEY,
    MAY_BILL,
    NO_CREDENTIALS,
    OTHER_WITH_KEY,
    WRONG_KEY,
    Guard,
    RunStopped,
    Withheld,
)
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.spec import OPERATION_PATH

KEY = "sk_live_guard_test_key"
URL = "https://api.example.invalid" + OPERATION_PATH
VALID_BODY = {"file_id": "file_1"}


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def request(
    body: object = VALID_BODY, authorization: str | None = f"Bearer {KEY}", method: str = "POST"
) -> requests.PreparedRequest:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.Request(method, URL, headers=headers, data=data).prepare()


def guard(policy: LivePolicy, fake: FakeTime | None = None) -> tuple[Guard, list[str]]:
    fake = fake or FakeTime()
    said: list[str] = []
    return Guard(policy, KEY, clock=fake.clock, sleep=fake.sleep, say=said.append), said


def envelope(code: int) -> bytes:
    return json.dumps({"code": code, "message": codebook().by_code[code].message}).encode()


REMOTE = LivePolicy(remote=True, max_requests=100)


@pytest.mark.parametrize(
    ("prepared", "kind"),
    [
        (request(authorization=None), NO_CREDENTIALS),
        (request(authorization="Bearer sk_someone_else"), WRONG_KEY),
        (request(authorization=""), WRONG_KEY),
        (request(body={"file_id": ""}), INVALID_WITH_KEY),
        (request(body=b"{not json"), INVALID_WITH_KEY),
        (request(body=VALID_BODY), MAY_BILL),
        (request(authorization=f"bearer {KEY}"), MAY_BILL),
        (request(authorization=KEY), MAY_BILL),
        (request(method="DELETE"), OTHER_WITH_KEY),
    ],
)
def test_requests_are_classified_by_what_they_would_send(
    prepared: requests.PreparedRequest, kind: str
) -> None:
    assert guard(REMOTE)[0].kind(prepared) == kind


def test_remote_default_withholds_every_request_that_may_bill() -> None:
    live, _ = guard(REMOTE)
    for prepared in (
        request(authorization=None),
        request(authorization="Bearer x"),
        request(body={"file_id": 1}),
    ):
        live.admit(prepared)
    for prepared in (request(), request(authorization=KEY), request(method="PUT")):
        with pytest.raises(Withheld):
            live.admit(prepared)
    assert live.sent[MAY_BILL] == 0
    assert live.withheld == {MAY_BILL: 2, OTHER_WITH_KEY: 1}


def test_allow_billable_sends_at_most_the_budget() -> None:
    live, _ = guard(LivePolicy(remote=True, allow_billable=True, max_billable=2, max_requests=100))
    live.admit(request())
    live.admit(request())
    with pytest.raises(Withheld):
        live.admit(request())
    assert live.sent[MAY_BILL] == 2


def test_loopback_targets_are_not_gated() -> None:
    live, _ = guard(LivePolicy(remote=False))
    for _ in range(5):
        live.admit(request())
    assert live.sent[MAY_BILL] == 5


def test_requests_are_paced_to_the_rate_cap() -> None:
    fake = FakeTime()
    live, _ = guard(LivePolicy(remote=True, max_rps=2.0, max_requests=100), fake)
    for _ in range(3):
        live.admit(request(authorization=None))
    assert fake.sleeps == [0.5, 0.5]


def test_total_cap_stops_the_run_and_stays_stopped() -> None:
    live, said = guard(LivePolicy(remote=True, max_requests=3))
    for _ in range(3):
        live.admit(request(authorization=None))
    with pytest.raises(RunStopped, match="cap of 3 requests"):
        live.admit(request(authorization=None))
    with pytest.raises(RunStopped):
        live.admit(request(authorization=None))
    assert live.total_sent == 3
    assert said == ["conformance: stopping the run: reached the cap of 3 requests (MEDUX_MAX_REQUESTS)"]


@pytest.mark.parametrize("code", sorted(codebook().refused_before_work))
def test_rate_limit_code_pauses_exponentially_then_stops(code: int) -> None:
    fake = FakeTime()
    live, said = guard(REMOTE, fake)
    for _ in range(5):
        live.observe(200, {}, envelope(code))
    assert fake.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
    with pytest.raises(RunStopped, match="6 requests in a row"):
        live.observe(200, {}, envelope(code))
    assert live.backoffs == 5
    assert said[0] == "conformance: rate limited by the server; pausing 1s"


def test_retry_after_lengthens_the_pause_and_any_other_code_resets_it() -> None:
    fake = FakeTime()
    live, _ = guard(REMOTE, fake)
    (limited,) = codebook().refused_before_work
    live.observe(429, {"Retry-After": "7"}, envelope(limited))
    live.observe(200, {}, envelope(next(iter(codebook().unauthenticated))))
    live.observe(429, {}, envelope(limited))
    assert fake.sleeps == [7.0, 1.0]


def test_server_billing_beyond_the_budget_stops_the_run() -> None:
    live, _ = guard(REMOTE)
    (success,) = codebook().success
    with pytest.raises(RunStopped, match="more than the 0 this run allows"):
        live.observe(200, {}, envelope(success))
    with pytest.raises(RunStopped):
        live.admit(request(authorization=None))


def test_billed_answers_within_the_budget_are_fine() -> None:
    live, _ = guard(LivePolicy(remote=True, allow_billable=True, max_billable=2, max_requests=100))
    (success,) = codebook().success
    live.observe(200, {}, envelope(success))
    live.observe(200, {}, envelope(success))
    assert live.billed_outcomes == 2
    assert live.stopped is None
