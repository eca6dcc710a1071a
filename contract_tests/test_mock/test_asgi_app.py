"""The mock as an ASGI application: still a Starlette app (its lifespan runs, ``app.state.mock``
holds the service), while every HTTP request is answered on a raw ASGI path: one start message with
the JSON content type and the exact length, and one body message, whatever the outcome."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.types import Message

from medux_contract.mock import DEFAULT_TEST_KEY, MockService, MockSettings, create_app
from medux_contract.spec import load_contract

CONTRACT = load_contract()
CREATE = CONTRACT.operation("createAvatarByImage")
BODY = json.dumps({"file_id": "FILE_ID", "title": "Portrait"}).encode()


async def test_the_app_is_a_starlette_app_whose_lifespan_runs() -> None:
    app = create_app()
    assert isinstance(app, Starlette)
    assert isinstance(app.state.mock, MockService)
    events = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[Message] = []

    async def receive() -> Message:
        return next(events)

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


async def messages_for(headers: list[tuple[bytes, bytes]], path: str = CREATE.path) -> list[Message]:
    app = create_app(MockSettings(rate_limit_burst=None))
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), *headers],
    }
    await app(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    ("headers", "path", "code"),
    [
        ([(b"authorization", f"Bearer {DEFAULT_TEST_KEY}".encode())], CREATE.path, 0),
        ([], CREATE.path, 13),
        ([(b"authorization", f"Bearer {DEFAULT_TEST_KEY}".encode())], "/no/such/path", 12),
    ],
    ids=["success", "refusal", "no-route"],
)
async def test_every_answer_is_one_start_and_one_body_with_its_exact_length(
    headers: list[tuple[bytes, bytes]], path: str, code: int
) -> None:
    start, body = await messages_for(headers, path)
    assert start["type"] == "http.response.start"
    sent_headers = dict(start["headers"])
    assert sent_headers[b"content-type"] == b"application/json"
    assert int(sent_headers[b"content-length"]) == len(body["body"])
    assert body["type"] == "http.response.body"
    assert not body.get("more_body", False)
    assert json.loads(body["body"])["code"] == code
