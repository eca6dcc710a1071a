"""Credentials: anything but exactly one ``Authorization: Bearer <known key>`` gets code 13."""

from __future__ import annotations

import httpx
import pytest

from contract_tests.test_mock.conftest import CREATE, MockClient, assert_envelope, code_of, post
from medux_contract.mock import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings

VALID_BODY = {"file_id": "FILE_ID"}


async def test_missing_bearer_yields_code_13(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, VALID_BODY, key=None)
    assert assert_envelope(response)["code"] == code_of("UNAUTHENTICATED")


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(DEFAULT_TEST_KEY, id="key-without-scheme"),
        pytest.param(f"Basic {DEFAULT_TEST_KEY}", id="basic-scheme"),
        pytest.param("Bearer", id="scheme-without-key"),
        pytest.param("Bearer ", id="scheme-with-empty-key"),
        pytest.param(f"Bearer {DEFAULT_TEST_KEY} extra", id="trailing-token"),
        pytest.param(f"Bearer {DEFAULT_TEST_KEY}x", id="wrong-key"),
        pytest.param(f"Bearer {DEFAULT_TEST_KEY.upper()}", id="key-is-case-sensitive"),
        pytest.param("", id="empty-header"),
        pytest.param("Bearer \u00e9\u00e8", id="latin-1-key"),
    ],
)
async def test_malformed_or_wrong_authorization_yields_code_13(
    mock_client: MockClient, authorization: str
) -> None:
    async with mock_client() as client:
        response = await client.post(
            CREATE.path, json=VALID_BODY, headers={b"Authorization": authorization.encode("latin-1")}
        )
    assert assert_envelope(response)["code"] == code_of("UNAUTHENTICATED")


async def test_repeated_authorization_headers_yield_code_13(mock_client: MockClient) -> None:
    headers = httpx.Headers([("Authorization", f"Bearer {DEFAULT_TEST_KEY}")] * 2)
    async with mock_client() as client:
        response = await client.post(CREATE.path, json=VALID_BODY, headers=headers)
    assert assert_envelope(response)["code"] == code_of("UNAUTHENTICATED")


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_bearer_scheme_is_case_insensitive(mock_client: MockClient, scheme: str) -> None:
    async with mock_client() as client:
        response = await client.post(
            CREATE.path, json=VALID_BODY, headers={"Authorization": f"{scheme}  {DEFAULT_TEST_KEY}"}
        )
    assert assert_envelope(response)["code"] == code_of("OK")


@pytest.mark.parametrize("key", [DEFAULT_TEST_KEY, DEFAULT_PAID_TEST_KEY])
async def test_documented_default_keys_are_accepted(mock_client: MockClient, key: str) -> None:
    async with mock_client() as client:
        response = await post(client, VALID_BODY, key=key)
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_configured_keys_replace_the_defaults(mock_client: MockClient) -> None:
    async with mock_client(MockSettings(api_keys={"sk_live_custom": "free"})) as client:
        custom = await post(client, VALID_BODY, key="sk_live_custom")
        default = await post(client, VALID_BODY, key=DEFAULT_TEST_KEY)
    assert assert_envelope(custom)["code"] == code_of("OK")
    assert assert_envelope(default)["code"] == code_of("UNAUTHENTICATED")


async def test_credentials_are_checked_before_the_body(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, content=b"not json", key=None, headers={"Content-Type": "text/plain"})
    assert assert_envelope(response)["code"] == code_of("UNAUTHENTICATED")
