"""Every envelope one operation can send, built once at start-up from the spec.

Each code the operation can answer gets its envelope from :func:`medux_contract.envelope.build_envelope`
(the spec's example data, else empty objects for the members the code carries) and its ``Prefer``
example (the spec's named example, verbatim). Each is judged by the envelope rule and validated
against the operation's own response schema before the mock serves a single request, so a spec
change that would make the mock lie fails at start-up, not in a test run.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from medux_contract.envelope import build_envelope, judge_document
from medux_contract.spec import Code, CodeTable, Operation, SpecError, schema_validator

# For what orjson refuses. One encoder for every answer: json.dumps with options builds one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def dumps(value: Any) -> bytes:
    """Compact JSON, UTF-8: orjson (a page of items in a fifth of json's time); json's ASCII
    escapes for what orjson refuses (a title with a lone surrogate, which UTF-8 cannot carry)."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value).encode("ascii")


@dataclass(frozen=True)
class Canned:
    """A ready-to-send envelope."""

    code: Code
    body: bytes


def api_envelope(codes: CodeTable, name: str) -> Canned:
    """An envelope that belongs to no operation (an unknown path, a wrong method, a crash before
    routing): the table's code and message only."""
    row = codes.by_name(name)
    return Canned(row, dumps({"code": row.code, "message": row.message}))


class OperationOutcomes:
    """The operation's outcomes joined with the spec's examples, ready to serve."""

    def __init__(self, document: Mapping[str, Any], operation: Operation) -> None:
        self.operation = operation
        self._validator = schema_validator(document, operation.response_schema)
        self.by_code: Mapping[int, Code] = {outcome.value: outcome.code for outcome in operation.outcomes}
        self.canned: Mapping[int, Canned] = {
            outcome.value: Canned(outcome.code, self.checked(build_envelope(operation, outcome.value)))
            for outcome in operation.outcomes
        }
        # Prism-style selection: each code's named example, sent verbatim (the built one if none).
        self.examples: Mapping[str, Canned] = {
            outcome.example_name: (
                self.canned[outcome.value]
                if outcome.example is None
                else Canned(outcome.code, self.checked(outcome.example))
            )
            for outcome in operation.outcomes
        }
        success = operation.success.example or {}
        data = success.get("data")
        data = copy.deepcopy(dict(data)) if isinstance(data, Mapping) else {}
        # A member given as None is left out, the example's own included.
        self.success_data: Mapping[str, Any] = {name: v for name, v in data.items() if v is not None}
        # What build_envelope writes around a success's data, built once: only the data changes
        # from one success to the next.
        self._success_head = build_envelope(operation, operation.success.value, {})

    def success_envelope(self, **members: Any) -> dict[str, Any]:
        """The success envelope: the example's data with ``members`` in place of its own (a member
        given as None is left out). Each dynamic success proves its shape on a sample at start-up."""
        return self._success(members)

    def success(self, **members: Any) -> bytes:
        return dumps(self._success(members))

    def _success(self, members: dict[str, Any]) -> dict[str, Any]:
        data = {**self.success_data, **members}
        for name, value in members.items():
            if value is None:
                del data[name]
        return {**self._success_head, "data": data}

    def checked(self, envelope: Mapping[str, Any]) -> bytes:
        """``envelope`` serialised, once the envelope rule and the response schema accept it."""
        problems = [str(error.message) for error in self._validator.iter_errors(dict(envelope))]
        problems += judge_document(self.operation, dict(envelope)).problems()
        if problems:
            raise SpecError(
                f"the mock's envelope {dict(envelope)!r} for {self.operation.label} breaks the "
                f"contract: {problems[0]}"
            )
        return dumps(envelope)
