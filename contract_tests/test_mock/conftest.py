"""Shared helpers: the real mock in-process over httpx.ASGITransport, and the contract check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest

from medux_contract.envelope import judge
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.spec import Contract, Operation, load_contract, schema_validator

CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")

MockClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def code_of(name: str) -> int:
    """The code of the table row ``name`` (the behaviour the mock implements for it)."""
    return CONTRACT.codes.by_name(name).code


def auth(key: str = DEFAULT_TEST_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


_VALIDATORS: dict[tuple[int, str], Any] = {}


def _validator(contract: Contract, operation: Operation) -> Any:
    # Keyed by identity: a Contract holds mappings, so it cannot be hashed.
    slot = (id(contract), operation.operation_id)
    if slot not in _VALIDATORS:
        _VALIDATORS[slot] = schema_validator(contract.document, operation.response_schema)
    return _VALIDATORS[slot]


def assert_envelope(response: httpx.Response, contract: Contract = CONTRACT) -> dict[str, Any]:
    """The response keeps the contract: a JSON envelope that the envelope rule accepts for the
    operation the request was sent to (its own code set, message, data, status and response
    schema); for a request no operation serves, the table's code and message. Returns the body."""
    assert response.headers["content-type"] == "application/json", response.headers
    body = response.json()
    operation = contract.find(response.request.method, response.request.url.path)
    if operation is None:
        assert body["message"] == contract.codes[body["code"]].message
        return body  # type: ignore[no-any-return]
    verdict = judge(
        operation,
        response.status_code,
        response.headers,
        response.content,
        validator=_validator(contract, operation),
    )
    assert verdict.ok, (body, verdict.problems())
    return body  # type: ignore[no-any-return]


@asynccontextmanager
async def _mock_client(
    settings: MockSettings | None = None, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    if overrides:
        settings = MockSettings(**overrides) if settings is None else replace(settings, **overrides)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock.test") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


@pytest.fixture
def mock_client() -> MockClient:
    """``async with mock_client(**settings) as client``: a fresh in-process mock per use."""
    return _mock_client


def _latin1(headers: Mapping[str, str | bytes]) -> list[tuple[bytes, bytes]]:
    # Bytes values let tests send header values that are not ASCII, as a raw client could.
    return [
        (name.encode("latin-1"), value if isinstance(value, bytes) else value.encode("latin-1"))
        for name, value in headers.items()
    ]


async def post(
    client: httpx.AsyncClient,
    body: Any = None,
    *,
    key: str | None = DEFAULT_TEST_KEY,
    headers: Mapping[str, str | bytes] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    """Create Avatar by Image."""
    all_headers = _latin1({**(auth(key) if key is not None else {}), **(headers or {})})
    if content is not None:
        return await client.post(CREATE.path, content=content, headers=all_headers)
    return await client.post(CREATE.path, json=body, headers=all_headers)


async def call(
    client: httpx.AsyncClient,
    operation: Operation,
    params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
    *,
    key: str | None = DEFAULT_TEST_KEY,
    headers: Mapping[str, str | bytes] | None = None,
) -> httpx.Response:
    """Call a body-less operation (a GET) with query ``params``."""
    all_headers = _latin1({**(auth(key) if key is not None else {}), **(headers or {})})
    return await client.request(
        operation.method.upper(), operation.path, params=params or {}, headers=all_headers
    )
