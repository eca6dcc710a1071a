"""What the mock answers to one request: the decision chain from credentials to a new asset.

Order of checks (first failure wins): credentials (13), body (12), on-demand selection (magic
file id or ``Prefer``), rate limit (16), model (1410), plan (1409), file (12 unknown, 1402 not an
image), credits (1401), asset limit (1406), success (0). Every response is built from
:class:`~medux_contract.mock.outcomes.Outcomes`.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from medux_contract.mock.accounts import Accounts, Refusal
from medux_contract.mock.auth import bearer_key
from medux_contract.mock.catalog import IMAGE_CATEGORY, load_catalog
from medux_contract.mock.outcomes import Canned, Outcomes
from medux_contract.mock.request_input import (
    InputRejected,
    check_media_type,
    parse_json,
    read_capped,
    shorten,
)
from medux_contract.mock.request_schema import RequestSchema
from medux_contract.mock.selection import PREFER_HEADER, magic_code, preferred_example
from medux_contract.mock.settings import MockSettings
from medux_contract.spec import CodeEntry, SpecError, operation
from medux_contract.spec.refs import resolve

REASON_HEADER = "X-Medux-Mock-Reason"
"""Why the mock answered as it did (any refusal, or an outcome chosen on demand): a debugging aid
of the mock, not part of the contract."""
CODE_SCOPE_KEY = "medux.mock.code"
REASON_SCOPE_KEY = "medux.mock.reason"
MEDIA_TYPE = "application/json"


class Refused(Exception):
    """The request ends with the code of table row ``name``; ``reason`` goes to the diagnostics."""

    def __init__(self, name: str, reason: str, retry_after: int = 1) -> None:
        super().__init__(reason)
        self.name, self.reason, self.retry_after = name, reason, retry_after


def _request_schema(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        schema = operation(spec)["requestBody"]["content"][MEDIA_TYPE]["schema"]
    except (KeyError, TypeError):
        raise SpecError(f"the operation has no {MEDIA_TYPE} request body schema") from None
    if not isinstance(schema, dict):
        raise SpecError("the request body schema must be a mapping")
    # Resolved once at start-up, so the validator does not look the reference up on every request.
    target, _ = resolve(spec, schema, "#/requestBody", "the request body schema")
    if not isinstance(target, dict):
        raise SpecError("the request body schema is not a JSON Schema object")
    return target


def _default_model(schema: dict[str, Any]) -> str | None:
    default = schema.get("properties", {}).get("model_id", {}).get("default")
    return default if isinstance(default, str) else None


class MockService:
    """One mock instance: its settings, the spec-derived outcomes and the mutable account state."""

    def __init__(self, settings: MockSettings, spec: dict[str, Any]) -> None:
        self.settings = settings
        self.outcomes = Outcomes(spec)
        self.catalog = load_catalog(settings)
        self.accounts = Accounts(settings)
        request_schema = _request_schema(spec)
        self.request_schema = RequestSchema(spec, request_schema)
        self.default_model = _default_model(request_schema)
        mapped = settings.status_mode == "mapped"
        self._status = {
            entry.code: entry.mock_http_status if mapped else 200 for entry in self.outcomes.table
        }
        self._ok = self.outcomes.code("OK")
        self._rate_limited = self.outcomes.code("RATE_LIMITED")

    def reset(self) -> None:
        """Forget every credit spent, asset created and rate-limit token taken."""
        self.accounts.reset()

    def status_for(self, entry: CodeEntry) -> int:
        return self._status[entry.code]

    def respond(
        self,
        scope: Scope,
        canned: Canned,
        *,
        reason: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        retry_after: int = 1,
    ) -> Response:
        entry = canned.entry
        scope[CODE_SCOPE_KEY] = entry.code
        extra = dict(headers or {})
        if reason is not None:
            scope[REASON_SCOPE_KEY] = reason = shorten(reason)
            extra[REASON_HEADER] = reason
        if entry.code == self._rate_limited.code:
            # A mock convenience the client honours; the vendor documents no Retry-After.
            extra["Retry-After"] = str(retry_after)
        return Response(
            canned.body,
            status_code=self.status_for(entry) if status is None else status,
            headers=extra,
            media_type=MEDIA_TYPE,
        )

    def refuse(self, scope: Scope, name: str, reason: str, **options: Any) -> Response:
        return self.respond(
            scope, self.outcomes.canned[self.outcomes.code(name).code], reason=reason, **options
        )

    async def handle(self, request: Request) -> Response:
        try:
            return await self._serve(request)
        except Refused as refused:
            return self.refuse(request.scope, refused.name, refused.reason, retry_after=refused.retry_after)

    async def _serve(self, request: Request) -> Response:
        scope, headers = request.scope, request.headers
        key = self._authenticated_key(headers.getlist("authorization"))
        try:
            check_media_type(headers.get("content-type"))
            body = self.request_schema.validated(
                parse_json(await read_capped(request, self.settings.max_body_bytes))
            )
            selected = self._selected(scope, headers.getlist(PREFER_HEADER), body)
        except InputRejected as rejected:
            raise Refused("INVALID_INPUT", rejected.reason) from None
        if selected is not None:
            return selected
        wait = self.accounts.admit(key)
        if wait is not None:
            raise Refused("RATE_LIMITED", "rate limit bucket empty", retry_after=wait)
        self._check_model(key, body.get("model_id", self.default_model))
        self._check_file(body["file_id"])
        refusal = self.accounts.charge(key)
        if refusal is Refusal.NO_CREDITS:
            raise Refused("INSUFFICIENT_CREDITS", refusal.value)
        if refusal is Refusal.ASSET_LIMIT:
            raise Refused("ASSET_LIMIT_REACHED", refusal.value)
        return self._success(scope, body)

    def _authenticated_key(self, authorization: list[str]) -> str:
        key = bearer_key(authorization)
        if key is None:
            raise Refused("UNAUTHENTICATED", "missing or malformed Authorization: Bearer header")
        if not self.accounts.knows(key):
            raise Refused("UNAUTHENTICATED", "unknown API key")
        return key

    def _check_model(self, key: str, model: Any) -> None:
        needs = self.catalog.models.get(model) if isinstance(model, str) else None
        if needs is None:
            raise Refused("INVALID_MODEL", f"unknown model_id {model!r}")
        if needs == "paid" and self.accounts.plan(key) != "paid":
            raise Refused("PAID_PLAN_REQUIRED", f"model_id {model!r} needs a paid plan")

    def _check_file(self, file_id: str) -> None:
        category = self.catalog.files.get(file_id)
        if category is None:
            raise Refused("INVALID_INPUT", f"unknown file_id {file_id!r}")
        if category != IMAGE_CATEGORY:
            raise Refused("ASSET_CATEGORY_MISMATCH", f"file_id {file_id!r} is {category!r}, not image")

    def _success(self, scope: Scope, body: dict[str, Any]) -> Response:
        title = body.get("title")
        asset_id = f"avatar_mock_{secrets.token_hex(8)}"
        canned = Canned(
            self._ok, self.outcomes.success_body(asset_id, title if isinstance(title, str) else None)
        )
        return self.respond(scope, canned)

    def _selected(self, scope: Scope, prefer: list[str], body: dict[str, Any]) -> Response | None:
        """The on-demand outcome, if the request asks for one; it touches no account state."""
        example = preferred_example(prefer)
        if example is not None:
            canned = self.outcomes.examples.get(example)
            if canned is None:
                known = ", ".join(sorted(self.outcomes.examples))
                raise InputRejected(f"Prefer names no example {example!r}; known: {known}")
            return self.respond(scope, canned, reason=f"selected by Prefer: example={example}")
        code = magic_code(body["file_id"])
        entry = None if code is None else self.outcomes.by_code.get(code)
        if entry is None:
            return None
        if entry.code == self._ok.code:
            return self._success(scope, body)
        return self.respond(
            scope, self.outcomes.canned[entry.code], reason=f"selected by magic file_id {body['file_id']}"
        )
