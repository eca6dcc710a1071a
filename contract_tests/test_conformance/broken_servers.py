"""Deliberately broken servers: the real mock wrapped in an ASGI layer that breaks one rule.

Each variant changes the mock's answer (or the request the mock sees) in exactly one way, so the
suite must fail on it with exactly one of its envelope checks. Everything is derived from the
code table and the mock's own catalog, like the suite itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.targets import embedded_mock_settings
from medux_contract.mock import DEFAULT_TEST_KEY, StatusMode, create_app
from medux_contract.mock.catalog import IMAGE_CATEGORY, load_catalog

Headers = list[tuple[bytes, bytes]]
Answer = tuple[int, Headers, bytes]
RequestChange = Callable[[Headers, bytes], tuple[Headers, bytes]]


class RewriteResponse:
    """Buffers the mock's answer and lets ``transform`` change it before it leaves."""

    def __init__(self, app: ASGIApp, transform: Callable[[Answer], Answer]) -> None:
        self.app, self.transform = app, transform

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            status, headers, body = self.transform(
                (start["status"], list(start["headers"]), b"".join(chunks))
            )
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


class RewriteRequest:
    """Lets ``transform`` change the request's headers and body before the mock sees them."""

    def __init__(self, app: ASGIApp, transform: RequestChange) -> None:
        self.app, self.transform = app, transform

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers, body = self.transform(list(scope["headers"]), body)
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": headers}, replay, send)


def on_envelope(change: Callable[[dict[str, Any]], None]) -> Callable[[Answer], Answer]:
    def transform(answer: Answer) -> Answer:
        status, headers, body = answer
        envelope = json.loads(body)
        change(envelope)
        return status, headers, json.dumps(envelope).encode()

    return transform


def _is_success(envelope: dict[str, Any]) -> bool:
    return envelope.get("code") in codebook().success


def _wrong_message(envelope: dict[str, Any]) -> None:
    entries = codebook().entries
    index = next(i for i, entry in enumerate(entries) if entry.code == envelope["code"])
    envelope["message"] = entries[(index + 1) % len(entries)].message


def _code_outside_table(envelope: dict[str, Any]) -> None:
    envelope["code"] = max(codebook().codes) + 1


def _drop_code(envelope: dict[str, Any]) -> None:
    envelope.pop("code")


def _drop_success_data(envelope: dict[str, Any]) -> None:
    if _is_success(envelope):
        envelope.pop("data", None)


def _html_error_page(answer: Answer) -> Answer:
    status, headers, body = answer
    if _is_success(json.loads(body)):
        return answer
    page = b"<html><head><title>Error</title></head><body><h1>Something went wrong</h1></body></html>"
    return status, [*_without(headers, b"content-type"), (b"content-type", b"text/html; charset=utf-8")], page


def _text_plain(answer: Answer) -> Answer:
    status, headers, body = answer
    return (
        status,
        [*_without(headers, b"content-type"), (b"content-type", b"text/plain; charset=utf-8")],
        body,
    )


def _errors_with_202(answer: Answer) -> Answer:
    status, headers, body = answer
    return (status if _is_success(json.loads(body)) else 202), headers, body


def _success_with_409(answer: Answer) -> Answer:
    status, headers, body = answer
    return (409 if _is_success(json.loads(body)) else status), headers, body


def _without(headers: Headers, name: bytes) -> Headers:
    return [(k, v) for k, v in headers if k.lower() != name]


def _authorize_anonymous(key: str) -> RequestChange:
    def change(headers: Headers, body: bytes) -> tuple[Headers, bytes]:
        if any(k.lower() == b"authorization" for k, _ in headers):
            return headers, body
        return [*headers, (b"authorization", f"Bearer {key}".encode())], body

    return change


def _accept_any_bearer_key(key: str) -> RequestChange:
    def change(headers: Headers, body: bytes) -> tuple[Headers, bytes]:
        sent = [v for k, v in headers if k.lower() == b"authorization"]
        if len(sent) == 1 and sent[0].lower().startswith(b"bearer "):
            return [*_without(headers, b"authorization"), (b"authorization", f"Bearer {key}".encode())], body
        return headers, body

    return change


def _fill_empty_file_id(headers: Headers, body: bytes) -> tuple[Headers, bytes]:
    try:
        document = json.loads(body)
    except ValueError:
        return headers, body
    if isinstance(document, dict) and document.get("file_id") == "":
        files = load_catalog(embedded_mock_settings("all-200")).files
        document["file_id"] = next(file for file, category in files.items() if category == IMAGE_CATEGORY)
        return headers, json.dumps(document).encode()
    return headers, body


Wrap = Callable[[ASGIApp, str], ASGIApp]


@dataclass(frozen=True)
class BrokenServer:
    name: str
    breaks: str
    """The one envelope check that must fail on it."""
    wrap: Wrap

    def app(self, status_mode: StatusMode = "all-200", key: str = DEFAULT_TEST_KEY) -> ASGIApp:
        return self.wrap(create_app(embedded_mock_settings(status_mode, key)), key)


def _answers(transform: Callable[[Answer], Answer]) -> Wrap:
    return lambda app, key: RewriteResponse(app, transform)


def _envelopes(change: Callable[[dict[str, Any]], None]) -> Wrap:
    return _answers(on_envelope(change))


def _requests(change: Callable[[str], RequestChange]) -> Wrap:
    return lambda app, key: RewriteRequest(app, change(key))


BROKEN_SERVERS = (
    BrokenServer("wrong-message", "message_matches_code", _envelopes(_wrong_message)),
    BrokenServer("code-outside-table", "envelope_has_known_code", _envelopes(_code_outside_table)),
    BrokenServer("no-code-field", "envelope_has_known_code", _envelopes(_drop_code)),
    BrokenServer("html-error-page", "envelope_has_known_code", _answers(_html_error_page)),
    BrokenServer("text-plain-body", "envelope_has_known_code", _answers(_text_plain)),
    BrokenServer("success-without-data", "code_carries_its_data", _envelopes(_drop_success_data)),
    BrokenServer("success-without-credentials", "credentials_are_required", _requests(_authorize_anonymous)),
    BrokenServer("any-bearer-key-accepted", "credentials_are_required", _requests(_accept_any_bearer_key)),
    BrokenServer(
        "success-for-empty-file-id",
        "invalid_requests_are_rejected",
        _requests(lambda key: _fill_empty_file_id),
    ),
    BrokenServer("errors-with-http-202", "status_agrees_with_code", _answers(_errors_with_202)),
    BrokenServer("success-with-http-409", "status_agrees_with_code", _answers(_success_with_409)),
)
