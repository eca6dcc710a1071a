"""What the client tests share: each operation's generated functions, a fake clock, canned answers.

Every test that holds for any operation takes an :class:`Endpoint` (one per operation of the spec) and
calls it through :meth:`Endpoint.call` / :meth:`Endpoint.call_detailed`, sync or async, with the
arguments the spec's own examples give. A new operation in openapi.yaml is tested with no edit here.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from types import ModuleType
from typing import Any, Literal

import httpx
import pytest
import respx
from medux_avatar_client import AuthenticatedClient, RetryPolicy
from medux_avatar_client.api.clone import create_avatar_by_image
from medux_avatar_client.models import CreateAvatarByImageRequest, CreateAvatarByImageResponse
from medux_avatar_client.results import CreateAvatarByImageResult
from medux_avatar_client.types import Response

from medux_contract.envelope import build_envelope
from medux_contract.generation.paged_operations import endpoint_module, tag_package
from medux_contract.spec import Contract, Operation, Outcome, load_contract

CONTRACT: Contract = load_contract()
BASE_URL: str = CONTRACT.document["servers"][0]["url"]
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")
OPERATION_URL = BASE_URL + CREATE.path
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

    def clock(self) -> float:
        return self.monotonic

    def policy(self, **options: Any) -> RetryPolicy:
        return RetryPolicy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            now=self.now,
            random=self.random,
            clock=self.clock,
            **options,
        )


def make_client(clock: FakeClock, **options: Any) -> AuthenticatedClient:
    options.setdefault("retry_policy", clock.policy())
    options.setdefault("base_url", BASE_URL)
    return AuthenticatedClient(token=options.pop("token", CANARY_KEY), **options)


@dataclass(frozen=True)
class Endpoint:
    """One operation of the spec and the generated module that calls it."""

    operation: Operation

    @property
    def id(self) -> str:
        return self.operation.operation_id

    @cached_property
    def module(self) -> ModuleType:
        package = f"medux_avatar_client.api.{tag_package(self.operation)}"
        return importlib.import_module(f"{package}.{endpoint_module(self.operation)}")

    def arguments(self) -> dict[str, Any]:
        """A valid call: the body from the spec's first request example, required parameters' examples."""
        arguments: dict[str, Any] = {}
        if self.operation.has_body:
            body_type = typing.get_type_hints(self.module.sync)["body"]
            example = next(iter(self.operation.request_examples.values()))
            arguments["body"] = body_type.from_dict(example)
        for parameter in self.operation.parameters:
            if parameter.required:
                arguments[parameter.name] = _example_value(parameter.schema)
        return arguments

    def route(self, api: respx.MockRouter) -> respx.Route:
        return api.route(method=self.operation.method.upper(), path=self.operation.path)

    async def call(self, mode: Mode, client: AuthenticatedClient, **options: Any) -> Any:
        """The raise-or-return call, in either style."""
        arguments = {**self.arguments(), **options}
        if mode == "sync":
            return self.module.sync(client=client, **arguments)
        return await self.module.asyncio(client=client, **arguments)

    async def call_detailed(self, mode: Mode, client: AuthenticatedClient, **options: Any) -> Any:
        """The ``*_detailed`` call, in either style."""
        arguments = {**self.arguments(), **options}
        if mode == "sync":
            return self.module.sync_detailed(client=client, **arguments)
        return await self.module.asyncio_detailed(client=client, **arguments)

    def answer(
        self, code: int, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """The envelope this operation answers ``code`` with, at the mock's mapped status by default."""
        status = CONTRACT.mock_http_status.get(code, 200) if status is None else status
        return httpx.Response(status, json=build_envelope(self.operation, code), headers=headers)


def _example_value(schema: Mapping[str, Any]) -> Any:
    return {"string": "x", "integer": 1, "boolean": True}.get(str(schema.get("type")), "x")


ENDPOINTS = tuple(Endpoint(op) for op in CONTRACT.operations)
CREATE_ENDPOINT = Endpoint(CREATE)
LIST_ENDPOINT = Endpoint(LIST)


def endpoint_params() -> list[Any]:
    return [pytest.param(endpoint, id=endpoint.id) for endpoint in ENDPOINTS]


def outcome_params(
    *, failures_only: bool = False, where: typing.Callable[[Endpoint, Outcome], bool] | None = None
) -> list[Any]:
    """(endpoint, outcome) for every code every operation can answer, filtered by ``where``."""
    return [
        pytest.param(endpoint, outcome, id=f"{endpoint.id}-{outcome.code.name}")
        for endpoint in ENDPOINTS
        for outcome in endpoint.operation.outcomes
        if not (failures_only and outcome.is_success) and (where is None or where(endpoint, outcome))
    ]


def request_body(**extra: Any) -> CreateAvatarByImageRequest:
    return CreateAvatarByImageRequest(file_id=extra.pop("file_id", "FILE_ID"), **extra)


async def create(
    mode: Mode, client: AuthenticatedClient, body: CreateAvatarByImageRequest | None = None, **options: Any
) -> CreateAvatarByImageResult:
    """Create Avatar by Image, raise-or-return, in either style."""
    body = body or request_body()
    if mode == "sync":
        return create_avatar_by_image.sync(client=client, body=body, **options)
    return await create_avatar_by_image.asyncio(client=client, body=body, **options)


async def create_detailed(
    mode: Mode, client: AuthenticatedClient, body: CreateAvatarByImageRequest | None = None, **options: Any
) -> Response[CreateAvatarByImageResponse]:
    """Create Avatar by Image, ``*_detailed``, in either style."""
    body = body or request_body()
    if mode == "sync":
        return create_avatar_by_image.sync_detailed(client=client, body=body, **options)
    return await create_avatar_by_image.asyncio_detailed(client=client, body=body, **options)


def envelope(operation: Operation, code: int, **extra: Any) -> dict[str, Any]:
    """The envelope ``operation`` answers ``code`` with (the spec's example data), plus ``extra``."""
    return {**build_envelope(operation, code), **extra}


def mock_status(code: int) -> int:
    return CONTRACT.mock_http_status.get(code, 200)
