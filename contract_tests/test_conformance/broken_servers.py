"""Deliberately broken servers: the real mock wrapped in an ASGI layer that breaks one rule.

Each variant changes the mock's answer (or the request the mock sees) in exactly one way, so the
suite must fail on it with exactly one of its checks or stateful rules. Some break every
operation, some only one (the list, or the fixture spec's made-up operation). Everything is
derived from the spec model and the mock's own catalog, like the suite itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID
from medux_contract.conformance.targets import SECOND_TEST_KEY, embedded_mock_settings
from medux_contract.mock import DEFAULT_TEST_KEY, StatusMode, create_app
from medux_contract.mock.catalog import IMAGE_CATEGORY, load_catalog
from medux_contract.spec import Operation, load_contract

CONTRACT = load_contract()
CODES = CONTRACT.codes
CREATE = CONTRACT.operation("createAvatarByImage")
LIST = CONTRACT.operation("listAvatars")

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


class OnlyFor:
    """Sends requests to one operation (by method and path) to ``broken``, all others to ``app``."""

    def __init__(self, app: ASGIApp, broken: ASGIApp, method: str, path: str) -> None:
        self.app, self.broken, self.method, self.path = app, broken, method.upper(), path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        targeted = scope["type"] == "http" and (scope["method"], scope["path"]) == (self.method, self.path)
        await (self.broken if targeted else self.app)(scope, receive, send)


class RewriteScope:
    """Lets ``change`` rewrite the request line and headers (the query, the key) before the mock."""

    def __init__(self, app: ASGIApp, change: Callable[[Scope], Scope]) -> None:
        self.app, self.change = app, change

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(self.change(scope) if scope["type"] == "http" else scope, receive, send)


def on_envelope(change: Callable[[dict[str, Any]], None]) -> Callable[[Answer], Answer]:
    def transform(answer: Answer) -> Answer:
        status, headers, body = answer
        envelope = json.loads(body)
        change(envelope)
        return status, headers, json.dumps(envelope).encode()

    return transform


def _is_success(envelope: dict[str, Any]) -> bool:
    return envelope.get("code") == CODES.success.code


def _wrong_message(envelope: dict[str, Any]) -> None:
    rows = CODES.rows
    index = next(i for i, row in enumerate(rows) if row.code == envelope["code"])
    envelope["message"] = rows[(index + 1) % len(rows)].message


def _code_outside_table(envelope: dict[str, Any]) -> None:
    envelope["code"] = max(row.code for row in CODES) + 1


def _code_of_another_operation(operation: Operation) -> Callable[[dict[str, Any]], None]:
    """Answers with a code of the table that ``operation`` cannot answer (1410 for the list)."""
    foreign = next(row for row in CODES if not operation.answers(row.code))

    def change(envelope: dict[str, Any]) -> None:
        envelope.clear()
        envelope.update(code=foreign.code, message=foreign.message)

    return change


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
    # The second account's own key still reaches its own account: only unknown keys are let in.
    def change(headers: Headers, body: bytes) -> tuple[Headers, bytes]:
        sent = [v for k, v in headers if k.lower() == b"authorization"]
        if sent == [f"Bearer {SECOND_TEST_KEY}".encode()]:
            return headers, body
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


def _query(scope: Scope) -> dict[str, str] | None:
    """The query as a mapping; None when a name repeats (the layers leave such requests alone)."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    query = dict(pairs)
    return query if len(query) == len(pairs) else None


def _with_query(scope: Scope, query: dict[str, str]) -> Scope:
    return {**scope, "query_string": urlencode(query).encode("latin-1")}


def _ignore_cursor(scope: Scope) -> Scope:
    # Only a cursor the spec calls valid is ignored: an empty one must still get code 12.
    query = _query(scope)
    if query is None or not query.get("cursor"):
        return scope
    query.pop("cursor")
    return _with_query(scope, query)


def _one_more_than_the_limit(scope: Scope) -> Scope:
    limit = next(parameter for parameter in LIST.parameters if parameter.name == "limit")
    query = _query(scope)
    asked = None if query is None else query.get("limit", str(limit.schema["default"]))
    if query is None or asked is None or not asked.isdigit():
        return scope
    if not 1 <= int(asked) < limit.schema["maximum"]:
        return scope
    query["limit"] = str(int(asked) + 1)
    return _with_query(scope, query)


def _list_as_the_first_key(key: str) -> Callable[[Scope], Scope]:
    def change(scope: Scope) -> Scope:
        headers = [
            (k, f"Bearer {key}".encode() if v == f"Bearer {SECOND_TEST_KEY}".encode() else v)
            for k, v in scope["headers"]
        ]
        return {**scope, "headers": headers}

    return change


class ForgetsCreatedAssets:
    """Remembers the assets the POST creates and leaves them out of every page of the list."""

    def __init__(self, app: ASGIApp) -> None:
        self.created: set[str] = set()
        self.app = OnlyFor(
            OnlyFor(app, RewriteResponse(app, self._remember), CREATE.method, CREATE.path),
            RewriteResponse(app, on_envelope(self._forget)),
            LIST.method,
            LIST.path,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    def _remember(self, answer: Answer) -> Answer:
        try:
            data = json.loads(answer[2]).get("data") or {}
        except (ValueError, AttributeError):
            return answer
        asset = data.get("asset") if isinstance(data, dict) else None
        if isinstance(asset, dict) and isinstance(asset.get("avatar_asset_id"), str):
            self.created.add(asset["avatar_asset_id"])
        return answer

    def _forget(self, envelope: dict[str, Any]) -> None:
        items = (envelope.get("data") or {}).get("items")
        if isinstance(items, list):
            envelope["data"]["items"] = [i for i in items if i.get("avatar_asset_id") not in self.created]


Wrap = Callable[[ASGIApp, str], ASGIApp]


@dataclass(frozen=True)
class BrokenServer:
    name: str
    breaks: str
    """The one check or stateful rule that must fail on it."""
    wrap: Wrap
    spec: Path | None = None
    """The spec the mock serves and the suite judges by (None: openapi.yaml)."""

    def app(self, status_mode: StatusMode = "all-200", key: str = DEFAULT_TEST_KEY) -> ASGIApp:
        return self.wrap(create_app(embedded_mock_settings(status_mode, key, self.spec)), key)


def _answers(transform: Callable[[Answer], Answer]) -> Wrap:
    return lambda app, key: RewriteResponse(app, transform)


def _envelopes(change: Callable[[dict[str, Any]], None]) -> Wrap:
    return _answers(on_envelope(change))


def _requests(change: Callable[[str], RequestChange]) -> Wrap:
    return lambda app, key: RewriteRequest(app, change(key))


def _only(operation: Operation, wrap: Wrap) -> Wrap:
    return lambda app, key: OnlyFor(app, wrap(app, key), operation.method, operation.path)


def _scopes(change: Callable[[str], Callable[[Scope], Scope]]) -> Wrap:
    return lambda app, key: RewriteScope(app, change(key))


def fixture_broken_server(spec: Path) -> BrokenServer:
    """The mock serving the fixture spec, with a wrong message only on its made-up operation."""
    operation = load_contract(spec).operation(FIXTURE_OPERATION_ID)
    return BrokenServer(
        "wrong-message-on-the-fixture-operation",
        "message_matches_code",
        _only(operation, _envelopes(_wrong_message)),
        spec,
    )


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
    BrokenServer(
        "list-answers-a-code-of-the-post",
        "envelope_has_known_code",
        _only(LIST, _envelopes(_code_of_another_operation(LIST))),
    ),
    BrokenServer(
        "wrong-message-only-on-the-list", "message_matches_code", _only(LIST, _envelopes(_wrong_message))
    ),
    BrokenServer(
        "list-forgets-created-assets", "created_assets_are_listed", lambda app, key: ForgetsCreatedAssets(app)
    ),
    BrokenServer(
        "list-ignores-the-cursor",
        "next_cursor_visits_every_item_once",
        _only(LIST, _scopes(lambda key: _ignore_cursor)),
    ),
    BrokenServer(
        "list-shows-every-key-the-first-keys-assets",
        "other_keys_never_see_them",
        _only(LIST, _scopes(_list_as_the_first_key)),
    ),
    BrokenServer(
        "list-pages-one-over-the-limit",
        "pages_never_exceed_limit",
        _only(LIST, _scopes(lambda key: _one_more_than_the_limit)),
    ),
)
