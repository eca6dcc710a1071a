"""Bodies are judged by the spec's own request schema: bad input is code 12, a bad model 1410."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests.test_mock.conftest import CONTRACT, CREATE, MockClient, assert_envelope, code_of, post
from medux_contract.mock import REASON_HEADER


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="missing-file_id"),
        pytest.param({"file_id": ""}, id="empty-file_id"),
        pytest.param({"file_id": 42}, id="integer-file_id"),
        pytest.param({"file_id": None}, id="null-file_id"),
        pytest.param({"file_id": ["FILE_ID"]}, id="array-file_id"),
        pytest.param({"file_id": {"id": "FILE_ID"}}, id="object-file_id"),
        pytest.param({"file_id": "FILE_ID", "title": 7}, id="integer-title"),
        pytest.param({"file_id": "FILE_ID", "title": None}, id="null-title"),
        pytest.param({"file_id": "FILE_ID", "model_id": ""}, id="empty-model_id"),
        pytest.param({"file_id": "FILE_ID", "model_id": True}, id="boolean-model_id"),
        pytest.param(["FILE_ID"], id="array-body"),
        pytest.param("FILE_ID", id="string-body"),
        pytest.param(None, id="null-body"),
        pytest.param(0, id="number-body"),
    ],
)
async def test_body_the_schema_rejects_yields_code_12(mock_client: MockClient, body: Any) -> None:
    async with mock_client() as client:
        response = await post(client, body)
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert response.headers[REASON_HEADER]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b'{"file_id": "FILE_ID"', "application/json", id="truncated-json"),
        pytest.param(b"", "application/json", id="empty-body"),
        pytest.param(b"file_id=FILE_ID", "application/x-www-form-urlencoded", id="form-body"),
        pytest.param(b'{"file_id": "FILE_ID"}', "text/plain", id="json-as-text-plain"),
        pytest.param(b'{"file_id": "FILE_ID"}', None, id="no-content-type"),
        pytest.param(b'{"file_id": "FILE_ID"}', "application/json; charset=latin-1", id="non-utf8-charset"),
        pytest.param(b'{"file_id": "FILE_ID",}', "application/json", id="trailing-comma"),
        pytest.param(b"{'file_id': 'FILE_ID'}", "application/json", id="single-quotes"),
    ],
)
async def test_invalid_json_or_content_type_yields_code_12(
    mock_client: MockClient, content: bytes, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    async with mock_client() as client:
        response = await post(client, content=content, headers=headers)
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON; charset=UTF-8"]
)
async def test_json_content_types_are_accepted(mock_client: MockClient, content_type: str) -> None:
    async with mock_client() as client:
        response = await post(
            client, content=b'{"file_id": "FILE_ID"}', headers={"Content-Type": content_type}
        )
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_unknown_model_yields_code_1410(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID", "model_id": "avatar-image-clone-nonexistent"})
    assert assert_envelope(response)["code"] == code_of("INVALID_MODEL")


async def test_unknown_fields_are_accepted_because_the_request_schema_is_open(
    mock_client: MockClient,
) -> None:
    schema = CONTRACT.schemas["CreateAvatarByImageRequest"]
    assert schema["additionalProperties"] is True
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID", "colour": "blue", "nested": {"a": [1, 2]}})
    assert assert_envelope(response)["code"] == code_of("OK")


def _request_examples() -> list[Any]:
    return [pytest.param(value, id=name) for name, value in CREATE.request_examples.items()]


@pytest.mark.parametrize("body", _request_examples())
async def test_every_request_example_of_the_spec_succeeds(
    mock_client: MockClient, body: dict[str, Any]
) -> None:
    async with mock_client() as client:
        response = await post(client, body)
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_default_model_of_the_spec_is_used_when_model_id_is_absent(mock_client: MockClient) -> None:
    # The fixture's only paid model would need a paid plan; the default one must not.
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID"})
        catalog = client.app.state.mock.catalog  # type: ignore[attr-defined]
    default = CONTRACT.schemas["CreateAvatarByImageRequest"]["properties"]["model_id"]["default"]
    assert assert_envelope(response)["code"] == code_of("OK")
    assert catalog.models[default] == "free"
