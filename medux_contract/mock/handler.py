"""One operation of the spec, served: its inputs, its on-demand outcomes and its decision chain.

Order (first failure wins): credentials (13) -> inputs (12: the body against the operation's request
schema, its parameters against theirs) -> an outcome chosen on demand (``Prefer`` or a magic value)
-> the refusal steps the operation can answer (:mod:`~medux_contract.mock.checks`) -> its success
(:mod:`~medux_contract.mock.successes`). Everything is built once, from the operation, when the mock
starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from medux_contract.mock.auth import bearer_key
from medux_contract.mock.call import Call, Refused
from medux_contract.mock.checks import answers, checks_for
from medux_contract.mock.exchange import Answer, Incoming
from medux_contract.mock.outcomes import OperationOutcomes
from medux_contract.mock.parameters import Parameters
from medux_contract.mock.request_input import InputRejected, check_media_type, parse_json, read_capped
from medux_contract.mock.request_schema import RequestSchema
from medux_contract.mock.selection import PREFER_HEADER, magic_code, preferred_example
from medux_contract.mock.successes import success_for
from medux_contract.spec import Operation, SpecError
from medux_contract.spec.refs import resolve

if TYPE_CHECKING:
    from medux_contract.mock.service import MockService

_AUTHORIZATION = b"authorization"
_CONTENT_TYPE = b"content-type"
_PREFER = PREFER_HEADER.lower().encode("ascii")


def _body_schema(document: Mapping[str, Any], operation: Operation) -> dict[str, Any] | None:
    if operation.request_schema is None:
        return None
    # Resolved once at start-up, so no request looks a reference up.
    target, _ = resolve(
        dict(document), dict(operation.request_schema), operation.pointer, "request body schema"
    )
    if not isinstance(target, dict):
        raise SpecError(f"{operation.pointer}: the request body schema is not a JSON Schema object")
    return target


class OperationHandler:
    def __init__(self, service: MockService, operation: Operation) -> None:
        contract = service.contract
        document = contract.document
        self.service = service
        self.operation = operation
        self.outcomes = OperationOutcomes(document, operation)
        body_schema = _body_schema(document, operation)
        self.body = None if body_schema is None else RequestSchema(document, body_schema)
        properties = (body_schema or {}).get("properties", {})
        self.properties: Mapping[str, Any] = properties if isinstance(properties, dict) else {}
        self.parameters = Parameters(document, operation.parameters)
        self.secured = operation.secured
        self.success = operation.success  # looked up once: the model finds an outcome by a scan
        for needed, name in (
            (self.secured, "UNAUTHENTICATED"),
            (self.body or self.parameters, "INVALID_INPUT"),
        ):
            if needed and not answers(operation, contract.codes, name):
                raise SpecError(
                    f"{operation.pointer}: the mock refuses what {operation.operation_id} cannot "
                    f"accept with the code named {name}, which it does not list in its outcomes"
                )
        self.refuses_input = answers(operation, contract.codes, "INVALID_INPUT")
        self.checks = checks_for(
            operation, contract.codes, self.properties, service.catalog, service.accounts
        )
        self.succeed = success_for(
            operation,
            codes=contract.codes,
            properties=self.properties,
            outcomes=self.outcomes,
            accounts=service.accounts,
            cursors=service.cursors,
        )
        # Where a magic value may be sent: every declared string input.
        self.magic_properties = tuple(
            name
            for name, schema in self.properties.items()
            if isinstance(schema, dict) and schema.get("type") == "string"
        )
        self.magic_parameters = tuple(
            p.name for p in operation.parameters if p.schema.get("type") == "string"
        )

    async def handle(self, request: Incoming) -> Answer:
        scope = request.scope
        try:
            key = self._credentials(request.headers(_AUTHORIZATION)) if self.secured else None
            try:
                call = Call(scope, key, {} if self.body is None else await self._body(request, self.body))
                if self.parameters:
                    call.params = self.parameters.read(request)
                selected = self._selected(call, request.headers(_PREFER))
            except InputRejected as rejected:
                raise Refused("INVALID_INPUT", rejected.reason) from None
            if selected is not None:
                return selected
            for check in self.checks:
                check(call)
            return self.service.respond(scope, self.success.code, self.succeed(call))
        except Refused as refused:
            canned = self.outcomes.canned[self.service.code_of(refused.name)]
            return self.service.respond(
                scope, canned.code, canned.body, reason=refused.reason, retry_after=refused.retry_after
            )

    def _credentials(self, authorization: list[str]) -> str:
        key = bearer_key(authorization)
        if key is None:
            raise Refused("UNAUTHENTICATED", "missing or malformed Authorization: Bearer header")
        if not self.service.accounts.knows(key):
            raise Refused("UNAUTHENTICATED", "unknown API key")
        return key

    async def _body(self, request: Incoming, schema: RequestSchema) -> dict[str, Any]:
        check_media_type(request.header(_CONTENT_TYPE))
        raw = await read_capped(request, self.service.settings.max_body_bytes)
        return schema.validated(parse_json(raw))

    def _selected(self, call: Call, prefer: list[str]) -> Answer | None:
        """The on-demand outcome, if the request asks for one; it touches no account state."""
        preference = preferred_example(prefer) if prefer else None
        if preference is not None:
            canned = self.outcomes.examples.get(preference.example)
            if canned is not None:
                reason = f"selected by Prefer: example={preference.example}"
                if preference.applied:
                    self._apply(call, canned.code.code)
                    reason += "; applied: the success's effect took place first"
                return self.service.respond(call.scope, canned.code, canned.body, reason=reason)
            if self.refuses_input:
                known = ", ".join(self.outcomes.examples)
                raise InputRejected(
                    f"Prefer names no example {preference.example!r} of "
                    f"{self.operation.operation_id}; known: {known}"
                )
        magic = self._magic(call)
        if magic is None:
            return None
        name, value, code = magic
        reason = f"selected by magic {name} {value}"
        if code == self.success.value:
            call.on_demand = True
            return self.service.respond(call.scope, self.success.code, self.succeed(call), reason=reason)
        canned = self.outcomes.canned[code]
        return self.service.respond(call.scope, canned.code, canned.body, reason=reason)

    def _apply(self, call: Call, code: int) -> None:
        """Run the success's effect before answering ``code`` (``Prefer: ...; applied``): only an
        outcome that may have billed can follow work that was done. Its refusals are answered."""
        outcome = self.operation.outcome(code)
        if outcome.billable and not outcome.is_success:
            self.succeed(call)
        elif self.refuses_input:
            billable = ", ".join(
                o.example_name for o in self.operation.outcomes if o.billable and not o.is_success
            )
            raise InputRejected(
                f"Prefer: applied goes with an outcome that may have billed ({billable or 'none here'}), "
                f"not {outcome.example_name}"
            )

    def _magic(self, call: Call) -> tuple[str, str, int] | None:
        for source, names in ((call.body, self.magic_properties), (call.params, self.magic_parameters)):
            for name in names:
                value = source.get(name)
                if not isinstance(value, str):
                    continue
                code = magic_code(value)
                if code is not None and code in self.outcomes.canned:
                    return name, value, code
        return None
