"""State per key: credits, asset limit, plan and rate limit, also under concurrent requests."""

from __future__ import annotations

import asyncio

from contract_tests.test_mock.conftest import MockClient, assert_envelope, code_of, post
from medux_contract.mock import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings

IMAGE = {"file_id": "FILE_ID"}
PAID_MODEL = {"file_id": "FILE_ID", "model_id": "avatar-image-clone-pro"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def codes(client: object, count: int, body: dict[str, str], key: str = DEFAULT_TEST_KEY) -> list[int]:
    return [assert_envelope(await post(client, body, key=key))["code"] for _ in range(count)]  # type: ignore[arg-type]


async def test_credits_run_out_into_code_1401(mock_client: MockClient) -> None:
    async with mock_client(credits=2, rate_limit_burst=None) as client:
        seen = await codes(client, 4, IMAGE)
    assert seen == [code_of("OK")] * 2 + [code_of("INSUFFICIENT_CREDITS")] * 2


async def test_zero_credits_refuse_the_first_clone(mock_client: MockClient) -> None:
    async with mock_client(credits=0) as client:
        assert await codes(client, 1, IMAGE) == [code_of("INSUFFICIENT_CREDITS")]


async def test_asset_limit_yields_code_1406_and_spends_no_credit(mock_client: MockClient) -> None:
    async with mock_client(credits=5, asset_limit=2, rate_limit_burst=None) as client:
        seen = await codes(client, 3, IMAGE)
        account = client.app.state.mock.accounts.snapshot(DEFAULT_TEST_KEY)  # type: ignore[attr-defined]
    assert seen == [code_of("OK")] * 2 + [code_of("ASSET_LIMIT_REACHED")]
    assert (account.credits, account.assets) == (3, 2)


async def test_failed_requests_cost_no_credit(mock_client: MockClient) -> None:
    async with mock_client(credits=1, rate_limit_burst=None) as client:
        refused = await codes(client, 3, {"file_id": "file_voice_audio"})
        accepted = await codes(client, 1, IMAGE)
    assert refused == [code_of("ASSET_CATEGORY_MISMATCH")] * 3
    assert accepted == [code_of("OK")]


async def test_free_plan_asking_for_a_paid_model_yields_code_1409(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, PAID_MODEL, key=DEFAULT_TEST_KEY)
    body = assert_envelope(response)
    assert body["code"] == code_of("PAID_PLAN_REQUIRED")
    assert "paid_plan_required" in body["data"]


async def test_paid_plan_may_use_the_paid_model(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, PAID_MODEL, key=DEFAULT_PAID_TEST_KEY)
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_each_key_has_its_own_credits(mock_client: MockClient) -> None:
    async with mock_client(credits=1) as client:
        first = await codes(client, 2, IMAGE, key=DEFAULT_TEST_KEY)
        second = await codes(client, 1, IMAGE, key=DEFAULT_PAID_TEST_KEY)
    assert first == [code_of("OK"), code_of("INSUFFICIENT_CREDITS")]
    assert second == [code_of("OK")]


async def test_rate_limit_trips_and_recovers_with_the_clock(mock_client: MockClient) -> None:
    clock = FakeClock()
    async with mock_client(rate_limit_burst=3, rate_limit_per_second=0.5, clock=clock) as client:
        burst = await codes(client, 4, IMAGE)
        limited = await post(client, IMAGE)
        clock.now += 1.0  # half a token: still limited
        still = await codes(client, 1, IMAGE)
        clock.now += 1.0  # one token
        recovered = await codes(client, 2, IMAGE)
    assert burst == [code_of("OK")] * 3 + [code_of("RATE_LIMITED")]
    assert assert_envelope(limited)["code"] == code_of("RATE_LIMITED")
    assert limited.headers["Retry-After"] == "2"
    assert still == [code_of("RATE_LIMITED")]
    assert recovered == [code_of("OK"), code_of("RATE_LIMITED")]


async def test_rate_limited_in_mapped_mode_is_http_429_with_retry_after(mock_client: MockClient) -> None:
    async with mock_client(status_mode="mapped", rate_limit_burst=1, clock=FakeClock()) as client:
        await post(client, IMAGE)
        response = await post(client, IMAGE)
    assert assert_envelope(response)["code"] == code_of("RATE_LIMITED")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1


async def test_rate_limit_is_per_key(mock_client: MockClient) -> None:
    async with mock_client(rate_limit_burst=1, clock=FakeClock()) as client:
        first = await codes(client, 2, IMAGE, key=DEFAULT_TEST_KEY)
        other = await codes(client, 1, IMAGE, key=DEFAULT_PAID_TEST_KEY)
    assert first == [code_of("OK"), code_of("RATE_LIMITED")]
    assert other == [code_of("OK")]


async def test_rate_limit_can_be_turned_off(mock_client: MockClient) -> None:
    async with mock_client(
        rate_limit_burst=None, credits=None, asset_limit=None, clock=FakeClock()
    ) as client:
        seen = await codes(client, 60, IMAGE)
    assert set(seen) == {code_of("OK")}


async def test_concurrent_requests_never_overspend_credits(mock_client: MockClient) -> None:
    credits = 25
    async with mock_client(credits=credits, rate_limit_burst=None) as client:
        responses = await asyncio.gather(*(post(client, IMAGE) for _ in range(credits + 15)))
        account = client.app.state.mock.accounts.snapshot(DEFAULT_TEST_KEY)  # type: ignore[attr-defined]
    bodies = [assert_envelope(response) for response in responses]
    successes = [body for body in bodies if body["code"] == code_of("OK")]
    assert len(successes) == credits
    assert sum(body["code"] == code_of("INSUFFICIENT_CREDITS") for body in bodies) == 15
    assert len({body["data"]["asset"]["avatar_asset_id"] for body in successes}) == credits
    assert (account.credits, account.assets) == (0, credits)


async def test_concurrent_requests_never_pass_the_rate_limit(mock_client: MockClient) -> None:
    async with mock_client(rate_limit_burst=10, clock=FakeClock()) as client:
        responses = await asyncio.gather(*(post(client, IMAGE) for _ in range(30)))
    seen = [assert_envelope(response)["code"] for response in responses]
    assert seen.count(code_of("OK")) == 10
    assert seen.count(code_of("RATE_LIMITED")) == 20


async def test_reset_restores_every_account(mock_client: MockClient) -> None:
    async with mock_client(credits=1) as client:
        before = await codes(client, 2, IMAGE)
        client.app.state.mock.reset()  # type: ignore[attr-defined]
        after = await codes(client, 1, IMAGE)
    assert before == [code_of("OK"), code_of("INSUFFICIENT_CREDITS")]
    assert after == [code_of("OK")]


def test_defaults_are_the_documented_ones() -> None:
    settings = MockSettings()
    assert settings.api_keys == {DEFAULT_TEST_KEY: "free", DEFAULT_PAID_TEST_KEY: "paid"}
    assert (settings.status_mode, settings.credits, settings.asset_limit) == ("all-200", 100, 50)
    assert (settings.rate_limit_burst, settings.rate_limit_per_second) == (20, 10.0)
    assert settings.max_body_bytes == 64 * 1024
