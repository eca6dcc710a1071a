"""Shared helpers: the real mock in-process over httpx.ASGITransport, and the contract check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest

from medux_contract.lint.spec_rules import schema_validator
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, create_app
from medux_contract.spec import OPERATION_PATH, code_entry, code_table, load_spec, operation

_RESPONSE_VALIDATOR = schema_validator(
    load_spec(), operation(load_spec())["responses"]["200"]["content"]["application/json"]["schema"]
)

MockClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def code_of(name: str) -> int:
    """The code of the table row ``name`` (the behaviour the mock implements for it)."""
    return next(entry.code for entry in code_table() if entry.name == name)


def auth(key: str = DEFAULT_TEST_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_envelope(response: httpx.Response) -> dict[str, Any]:
    """The response keeps the contract: a JSON envelope the spec's schema accepts, with the
    message the code table pairs with its code. Returns the body."""
    assert response.headers["content-type"] == "application/json", response.headers
    body = response.json()
    errors = [error.message for error in _RESPONSE_VALIDATOR.iter_errors(body)]
    assert errors == [], (body, errors)
    assert body["message"] == code_entry(body["code"]).message
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


async def post(
    client: httpx.AsyncClient,
    body: Any = None,
    *,
    key: str | None = DEFAULT_TEST_KEY,
    headers: Mapping[str, str | bytes] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    # Bytes values let tests send header values that are not ASCII, as a raw client could.
    merged = {**(auth(key) if key is not None else {}), **(headers or {})}
    all_headers = [
        (name.encode("latin-1"), value if isinstance(value, bytes) else value.encode("latin-1"))
        for name, value in merged.items()
    ]
    if content is not None:
        return await client.post(OPERATION_PATH, content=content, headers=all_headers)
    return await client.post(OPERATION_PATH, json=body, headers=all_headers)
