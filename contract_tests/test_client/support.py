"""What the client tests share: one way to call the operation sync or async, a fake clock, canned answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from medux_avatar_client import AuthenticatedClient, RetryPolicy
from medux_avatar_client.api.clone import create_avatar_by_image
from medux_avatar_client.models import CreateAvatarByImageRequest, CreateAvatarByImageResponse
from medux_avatar_client.types import Response

from medux_contract.spec import OPERATION_PATH, CodeEntry, load_spec

BASE_URL: str = load_spec()["servers"][0]["url"]
OPERATION_URL = BASE_URL + OPERATION_PATH
# A key that must never show up anywhere but the Authorization header.
CANARY_KEY = "sk_live_CANARY_7f3a9c1e5b"
Mode = Literal["sync", "async"]
MODES: tuple[Mode, ...] = ("sync", "async")


@dataclass
class FakeClock:
    """Stands in for time in RetryPolicy: sleeping only records the delay and moves the clock."""

    sleeps: list[float] = field(default_factory=list)
    wall: datetime = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
    monotonic: float = 1000.0
    jitter_draw: float = 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.wall += timedelta(seconds=seconds)
        self.monotonic += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def now(self) -> datetime:
        return self.wall

    def random(self) -> float:
        return self.jitter_draw

    def policy(self, **options: Any) -> RetryPolicy:
        return RetryPolicy(
            sleep=self.sleep, async_sleep=self.async_sleep, now=self.now, random=self.random, **options
        )


def make_client(clock: FakeClock, **options: Any) -> AuthenticatedClient:
    options.setdefault("retry_policy", clock.policy())
    options.setdefault("base_url", BASE_URL)
    return AuthenticatedClient(token=options.pop("token", CANARY_KEY), **options)


def request_body(**extra: Any) -> CreateAvatarByImageRequest:
    return CreateAvatarByImageRequest(file_id=extra.pop("file_id", "FILE_ID"), **extra)


async def create(
    mode: Mode, client: AuthenticatedClient, body: CreateAvatarByImageRequest | None = None, **options: Any
) -> CreateAvatarByImageResponse:
    """The raise-or-return call, in either style."""
    body = body or request_body()
    if mode == "sync":
        return create_avatar_by_image.sync(client=client, body=body, **options)
    return await create_avatar_by_image.asyncio(client=client, body=body, **options)


async def create_detailed(
    mode: Mode, client: AuthenticatedClient, body: CreateAvatarByImageRequest | None = None, **options: Any
) -> Response[CreateAvatarByImageResponse]:
    """The stock ``*_detailed`` call, in either style."""
    body = body or request_body()
    if mode == "sync":
        return create_avatar_by_image.sync_detailed(client=client, body=body, **options)
    return await create_avatar_by_image.asyncio_detailed(client=client, body=body, **options)


def envelope(entry: CodeEntry, **extra: Any) -> dict[str, Any]:
    """The envelope the table describes for ``entry`` (its ``carries`` members as empty objects)."""
    data: dict[str, Any] = {member: {} for member in entry.carries}
    if "asset" in data:
        data["asset"] = {"avatar_asset_id": "avatar_test_001"}
    body: dict[str, Any] = {"code": entry.code, "message": entry.message}
    if data:
        body["data"] = data
    return {**body, **extra}
