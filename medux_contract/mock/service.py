"""One mock instance: the contract it serves, its shared state, and the route of every operation.

Routes come from the contract's operations, one per path x method, looked up by a dict on every
request: an unknown path gets 404 and a known path with another method 405 (with ``Allow``), both
with the code table's code-12 envelope. Every operation shares the same accounts, so an asset the
POST creates is in the list the GET returns, for the same key only.
"""

from __future__ import annotations

from pathlib import Path

from starlette.types import Receive, Scope

from medux_contract.mock.accounts import Accounts
from medux_contract.mock.auth import Redactor
from medux_contract.mock.catalog import load_catalog
from medux_contract.mock.cursors import Cursors
from medux_contract.mock.exchange import Answer, Incoming
from medux_contract.mock.handler import OperationHandler
from medux_contract.mock.outcomes import api_envelope
from medux_contract.mock.request_input import shorten
from medux_contract.mock.settings import MockSettings
from medux_contract.spec import Code, Contract, SpecError, load_contract

REASON_HEADER = "X-Medux-Mock-Reason"
"""Why the mock answered as it did (any refusal, or an outcome chosen on demand): a debugging aid
of the mock, not part of the contract."""
CODE_SCOPE_KEY = "medux.mock.code"
REASON_SCOPE_KEY = "medux.mock.reason"
STATUS_SCOPE_KEY = "medux.mock.status"
"""The status the HTTP layer answered with when it gave up on a request the app was still reading."""
# The status of a code that x-medux-mock.mapped_http_status does not list, in mapped mode: the one
# status the vendor shows for every answer, which the envelope rule accepts for any code.
UNMAPPED_STATUS = 200
# Codes the mock itself needs, by the table's `name` column: refusing input and credentials, and
# answering its own crash.
REQUIRED_NAMES = ("INVALID_INPUT", "UNAUTHENTICATED", "SERVER_ERROR")


def contract_for(settings: MockSettings) -> Contract:
    spec = settings.spec
    if isinstance(spec, Contract):
        return spec
    return load_contract() if spec is None else load_contract(Path(spec))


class MockService:
    def __init__(self, settings: MockSettings) -> None:
        self.settings = settings
        self.redact = Redactor(settings.api_keys)
        self.contract = contract = contract_for(settings)
        missing = [name for name in REQUIRED_NAMES if not any(row.name == name for row in contract.codes)]
        if missing:
            raise SpecError(f"the mock needs code table rows named {missing}")
        self._code_by_name = {row.name: row.code for row in contract.codes}
        self.catalog = load_catalog(settings)
        self.accounts = Accounts(settings)
        self.cursors = Cursors()
        mapped = settings.status_mode == "mapped"
        self._status = {
            row.code: contract.mock_http_status.get(row.code, UNMAPPED_STATUS) if mapped else 200
            for row in contract.codes
        }
        self._rate_limited = self._code_by_name.get("RATE_LIMITED")
        self.handlers = {
            (operation.method.upper(), operation.path): OperationHandler(self, operation)
            for operation in contract.operations
        }
        self._allowed = {
            path: ", ".join(method.upper() for method in contract.methods_at(path)) for path in contract.paths
        }
        self.invalid_input = api_envelope(contract.codes, "INVALID_INPUT")
        self._server_error = api_envelope(contract.codes, "SERVER_ERROR")

    def reset(self) -> None:
        """Forget every credit spent, asset created, cursor issued and rate-limit token taken."""
        self.accounts.reset()
        self.cursors.reset()

    def code_of(self, name: str) -> int:
        return self._code_by_name[name]

    def status_for(self, code: int) -> int:
        return self._status[code]

    def respond(
        self,
        scope: Scope,
        code: Code,
        body: bytes,
        *,
        reason: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        retry_after: int = 1,
    ) -> Answer:
        scope[CODE_SCOPE_KEY] = code.code
        extra = headers
        if reason is not None:
            # Redacted before it is cut, so no part of a key survives at the cut.
            scope[REASON_SCOPE_KEY] = reason = shorten(self.redact(reason))
            extra = {**(extra or {}), REASON_HEADER: reason}
        if code.code == self._rate_limited:
            # A mock convenience the client honours; the vendor documents no Retry-After.
            extra = {**(extra or {}), "Retry-After": str(retry_after)}
        return Answer.json(self._status[code.code] if status is None else status, body, extra)

    def crashed(self, scope: Scope, reason: str) -> Answer:
        """Code 99 for an error of the mock itself (whichever operation it served)."""
        return self.respond(scope, self._server_error.code, self._server_error.body, reason=reason)

    def no_route(self, scope: Scope) -> Answer:
        method, path = scope["method"], scope["path"]
        allowed = self._allowed.get(path)
        return self.respond(
            scope,
            self.invalid_input.code,
            self.invalid_input.body,
            reason=f"no route for {method} {path}",
            status=404 if allowed is None else 405,
            headers=None if allowed is None else {"Allow": allowed},
        )

    async def answer(self, scope: Scope, receive: Receive) -> Answer:
        """What the mock answers to this HTTP request (it sends nothing itself)."""
        handler = self.handlers.get((scope["method"], scope["path"]))
        if handler is None:
            return self.no_route(scope)
        return await handler.handle(Incoming(scope, receive))
