"""Whatever arrives, the answer is a valid JSON envelope: never a 500 page, a traceback or a hang."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Message

from contract_tests.test_mock.conftest import CREATE, MockClient, assert_envelope, code_of, post
from medux_contract.mock import DEFAULT_TEST_KEY, LOGGER_NAME, REASON_HEADER, MockSettings, create_app

LIMIT = MockSettings().max_body_bytes


async def call_asgi(
    app: Starlette, headers: list[tuple[bytes, bytes]], receive: Callable[[], Awaitable[dict[str, Any]]]
) -> tuple[int, dict[bytes, bytes], bytes]:
    """Drive the app with a hand-made ASGI request, to control exactly how the body arrives."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": CREATE.path,
        "raw_path": CREATE.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", f"Bearer {DEFAULT_TEST_KEY}".encode()), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("mock.test", 80),
    }
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def envelope_code(headers: dict[bytes, bytes], body: bytes) -> int:
    assert headers[b"content-type"] == b"application/json"
    return int(json.loads(body)["code"])


async def test_declared_oversized_body_yields_code_12_before_any_byte_is_read() -> None:
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    _, headers, body = await call_asgi(
        create_app(),
        [(b"content-type", b"application/json"), (b"content-length", str(LIMIT + 1).encode())],
        receive,
    )
    assert envelope_code(headers, body) == code_of("INVALID_INPUT")
    assert reads == 0


async def test_endless_streamed_body_is_cut_off_at_the_limit() -> None:
    chunk = 4096
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b" " * chunk, "more_body": True}

    _, headers, body = await call_asgi(create_app(), [(b"content-type", b"application/json")], receive)
    assert envelope_code(headers, body) == code_of("INVALID_INPUT")
    assert reads == LIMIT // chunk + 1


async def test_body_in_many_small_chunks_under_the_limit_is_read_whole() -> None:
    payload = json.dumps({"file_id": "FILE_ID", "title": "t" * 5000}).encode()
    chunks = [payload[i : i + 7] for i in range(0, len(payload), 7)]

    async def receive() -> dict[str, Any]:
        piece = chunks.pop(0)
        return {"type": "http.request", "body": piece, "more_body": bool(chunks)}

    _, headers, body = await call_asgi(create_app(), [(b"content-type", b"application/json")], receive)
    assert envelope_code(headers, body) == code_of("OK")


@pytest.mark.parametrize("length", [b"-1", b"ten", b"1e3", b""])
async def test_unreadable_content_length_yields_code_12(length: bytes) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b'{"file_id": "FILE_ID"}', "more_body": False}

    _, headers, body = await call_asgi(
        create_app(), [(b"content-type", b"application/json"), (b"content-length", length)], receive
    )
    assert envelope_code(headers, body) == code_of("INVALID_INPUT")


async def test_body_over_the_limit_yields_code_12(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID", "title": "x" * (LIMIT + 1)})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


async def test_max_body_bytes_is_configurable(mock_client: MockClient) -> None:
    async with mock_client(max_body_bytes=16) as client:
        response = await post(client, {"file_id": "FILE_ID"})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b'{"file_id": "FILE_ID", "title": "\xff\xfe"}', "not UTF-8", id="invalid-utf8"),
        pytest.param('{"file_id": "FILE_ID"}'.encode("utf-16"), "not UTF-8", id="utf16-json"),
        pytest.param(b'\xef\xbb\xbf{"file_id": "FILE_ID"}', "not valid JSON", id="utf8-bom"),
        pytest.param(b"[" * 50_000, "nested too deeply", id="deeply-nested-arrays"),
        pytest.param(
            b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested too deeply", id="deeply-nested-objects"
        ),
        pytest.param(
            b'{"file_id": "FILE_ID", "n": ' + b"9" * 5000 + b"}",
            "not valid JSON",
            id="integer-too-long-to-parse",
        ),
        pytest.param(b'{"file_id": "FILE_ID", "n": NaN}', "NaN is not JSON", id="nan"),
        pytest.param(b'{"file_id": "FILE_ID", "n": -Infinity}', "-Infinity is not JSON", id="infinity"),
        pytest.param(b"\x00\x00\x00", "not valid JSON", id="nul-bytes"),
    ],
)
async def test_malformed_bytes_yield_code_12(mock_client: MockClient, content: bytes, reason: str) -> None:
    assert len(content) <= LIMIT  # each case must be refused for its own reason, not for its size
    async with mock_client() as client:
        response = await post(client, content=content, headers={"Content-Type": "application/json"})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert reason in response.headers[REASON_HEADER]


async def test_deep_nesting_inside_file_id_yields_code_12(mock_client: MockClient) -> None:
    deep = b"[" * 900 + b"]" * 900
    async with mock_client() as client:
        response = await post(
            client, content=b'{"file_id": ' + deep + b"}", headers={"Content-Type": "application/json"}
        )
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


async def test_deep_nesting_in_an_unknown_field_is_accepted(mock_client: MockClient) -> None:
    deep = b"[" * 900 + b"]" * 900
    async with mock_client() as client:
        response = await post(
            client,
            content=b'{"file_id": "FILE_ID", "x": ' + deep + b"}",
            headers={"Content-Type": "application/json"},
        )
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_huge_title_under_the_limit_is_echoed(mock_client: MockClient) -> None:
    title = "\u00e9" * (LIMIT // 8)
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID", "title": title})
    assert assert_envelope(response)["data"]["asset"]["title"] == title


async def test_huge_unknown_file_id_yields_code_12_with_a_short_reason(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": "f" * (LIMIT // 2)})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert len(response.headers[REASON_HEADER]) < 2000


@pytest.mark.parametrize(
    "title",
    ["\ud800", "\x00", "line\nbreak\r\n", "\U0001f600", "<script>alert(1)</script>"],
    ids=["lone-surrogate", "nul", "newlines", "emoji", "markup"],
)
async def test_odd_strings_round_trip_as_valid_json(mock_client: MockClient, title: str) -> None:
    content = json.dumps({"file_id": "FILE_ID", "title": title}).encode()
    async with mock_client() as client:
        response = await post(client, content=content, headers={"Content-Type": "application/json"})
    assert assert_envelope(response)["data"]["asset"]["title"] == title


async def test_duplicate_keys_take_the_last_value(mock_client: MockClient) -> None:
    content = b'{"file_id": "file_never_uploaded", "file_id": "FILE_ID"}'
    async with mock_client() as client:
        response = await post(client, content=content, headers={"Content-Type": "application/json"})
    assert assert_envelope(response)["code"] == code_of("OK")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Strange": "\u00ff" * 200}, id="latin-1-header"),
        pytest.param({"Prefer": ""}, id="empty-prefer"),
        pytest.param({"Prefer": "respond-async, wait=5"}, id="unrelated-prefer"),
        pytest.param({"Accept": "text/html"}, id="accept-html"),
        pytest.param({"Accept-Encoding": "gzip"}, id="accept-gzip"),
        pytest.param({"Cookie": "a=b"}, id="cookie"),
        pytest.param({"Transfer-Encoding": "identity"}, id="transfer-encoding"),
    ],
)
async def test_odd_headers_do_not_change_a_success(mock_client: MockClient, headers: dict[str, str]) -> None:
    async with mock_client() as client:
        response = await post(
            client, {"file_id": "FILE_ID"}, headers={k: v.encode("latin-1") for k, v in headers.items()}
        )
    assert assert_envelope(response)["code"] == code_of("OK")


async def test_prefer_with_an_empty_example_yields_code_12(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await post(client, {"file_id": "FILE_ID"}, headers={"Prefer": "example="})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_wrong_method_yields_an_envelope_with_405(mock_client: MockClient, method: str) -> None:
    async with mock_client() as client:
        response = await client.request(
            method, CREATE.path, headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}"}
        )
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize(
    "path",
    ["/", "/nope", CREATE.path + "/", CREATE.path.upper(), "/api/app/v1/clone/avatar/by_%00image"],
)
async def test_unknown_path_yields_an_envelope_with_404(mock_client: MockClient, path: str) -> None:
    async with mock_client() as client:
        response = await client.post(path, json={"file_id": "FILE_ID"})
    assert assert_envelope(response)["code"] == code_of("INVALID_INPUT")
    assert response.status_code == 404


async def test_query_string_is_ignored(mock_client: MockClient) -> None:
    async with mock_client() as client:
        response = await client.post(
            CREATE.path + "?file_id=nope&debug=1",
            json={"file_id": "FILE_ID"},
            headers={"Authorization": f"Bearer {DEFAULT_TEST_KEY}"},
        )
    assert assert_envelope(response)["code"] == code_of("OK")


@pytest.mark.parametrize("mode", ["all-200", "mapped"])
async def test_unexpected_exception_yields_code_99_not_a_500_page(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(MockSettings(status_mode=mode))  # type: ignore[arg-type]

    def broken_charge(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug in the mock")

    app.state.mock.accounts.charge = broken_charge
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://mock.test"
    ) as client:
        response = await post(client, {"file_id": "FILE_ID"})
    body = assert_envelope(response)
    assert body["code"] == code_of("SERVER_ERROR")
    assert response.status_code == (200 if mode == "all-200" else 500)
    assert "Traceback" not in response.text
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "unexpected RuntimeError" in errors[0].getMessage()
