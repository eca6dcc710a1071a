"""The live-mode guard decides from the bytes about to leave and the facts of the operation they
reach: what may bill, how fast, how many, and when to pause or stop. Time is a fake clock here:
no test waits."""

from __future__ import annotations

import json

import pytest
import requests

from medux_contract.conformance.codebook import rate_limit_codes
from medux_contract.conformance.guarded_session import (
    CANNOT_BILL,
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
from medux_contract.spec import load_contract

KEY = "sk_live_guard_test_key"
CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")
BASE = "https://api.example.invalid"
URL = BASE + CREATE.path
LIST_URL = BASE + LIST.path
VALID_BODY = {"file_id": "file_1"}
SUCCESS = CONTRACT.codes.success.code
(RATE_LIMITED,) = rate_limit_codes(CONTRACT.codes)


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


def list_request(
    query: dict[str, str | int] | None = None, authorization: str | None = f"Bearer {KEY}"
) -> requests.PreparedRequest:
    headers = {} if authorization is None else {"Authorization": authorization}
    return requests.Request("GET", LIST_URL, headers=headers, params=query or {}).prepare()


def guard(policy: LivePolicy, fake: FakeTime | None = None) -> tuple[Guard, list[str]]:
    fake = fake or FakeTime()
    said: list[str] = []
    return Guard(policy, KEY, clock=fake.clock, sleep=fake.sleep, say=said.append), said


def envelope(code: int) -> bytes:
    return json.dumps({"code": code, "message": CONTRACT.codes[code].message}).encode()


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
        (list_request(), CANNOT_BILL),
        (list_request({"limit": 0}), CANNOT_BILL),
        (list_request(authorization=None), NO_CREDENTIALS),
        (list_request(authorization="Bearer sk_someone_else"), WRONG_KEY),
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


def test_remote_default_sends_reads_with_the_key_and_counts_none_against_the_budget() -> None:
    live, _ = guard(REMOTE)
    for _ in range(3):
        live.admit(list_request({"limit": 2}))
    assert live.sent == {CANNOT_BILL: 3}
    assert not live.withheld


def test_reads_stay_under_the_request_cap() -> None:
    live, _ = guard(LivePolicy(remote=True, max_requests=2))
    live.admit(list_request())
    live.admit(list_request())
    with pytest.raises(RunStopped, match="cap of 2 requests"):
        live.admit(list_request())


def test_reads_are_paced_to_the_rate_cap() -> None:
    fake = FakeTime()
    live, _ = guard(LivePolicy(remote=True, max_rps=4.0, max_requests=100), fake)
    for _ in range(3):
        live.admit(list_request())
    assert fake.sleeps == [0.25, 0.25]


def test_request_below_another_base_path_reaches_no_operation() -> None:
    live = Guard(REMOTE, KEY, contract=CONTRACT, base_url=BASE + "/v2")
    assert live.kind(list_request()) == OTHER_WITH_KEY
    prefixed = requests.Request("GET", BASE + "/v2" + LIST.path, headers={"Authorization": f"Bearer {KEY}"})
    assert live.kind(prefixed.prepare()) == CANNOT_BILL


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


@pytest.mark.parametrize("code", sorted(rate_limit_codes(CONTRACT.codes)))
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
    live.observe(429, {"Retry-After": "7"}, envelope(RATE_LIMITED))
    live.observe(200, {}, envelope(CONTRACT.codes.by_name("UNAUTHENTICATED").code))
    live.observe(429, {}, envelope(RATE_LIMITED))
    assert fake.sleeps == [7.0, 1.0]


def test_server_billing_beyond_the_budget_stops_the_run() -> None:
    live, _ = guard(REMOTE)
    with pytest.raises(RunStopped, match="more than the 0 this run allows"):
        live.observe(200, {}, envelope(SUCCESS), CREATE)
    with pytest.raises(RunStopped):
        live.admit(request(authorization=None))


def test_success_of_an_operation_that_cannot_bill_is_not_a_billed_answer() -> None:
    live, _ = guard(REMOTE)
    for _ in range(3):
        live.observe(200, {}, envelope(SUCCESS), LIST)
    assert live.billed_outcomes == 0
    assert live.stopped is None


def test_success_from_outside_the_contract_counts_as_billed() -> None:
    live, _ = guard(REMOTE)
    with pytest.raises(RunStopped, match="more than the 0 this run allows"):
        live.observe(200, {}, envelope(SUCCESS), None)


def test_billed_answers_within_the_budget_are_fine() -> None:
    live, _ = guard(LivePolicy(remote=True, allow_billable=True, max_billable=2, max_requests=100))
    live.observe(200, {}, envelope(SUCCESS), CREATE)
    live.observe(200, {}, envelope(SUCCESS), CREATE)
    assert live.billed_outcomes == 2
    assert live.stopped is None
