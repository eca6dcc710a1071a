"""The spec's request schema as the mock applies it to every body, fast.

Two validators of the same schema: jsonschema-rs (compiled, well under a microsecond per body)
gives the verdict, and jsonschema via :func:`medux_contract.lint.spec_rules.schema_validator` explains
a rejection with its most relevant error. A test feeds both the same generated bodies and
requires the same verdicts, so the fast one cannot drift from the reference one.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import best_match

from medux_contract.lint.spec_rules import SPEC_URI, rebase_refs, schema_validator
from medux_contract.mock.request_input import InputRejected


class RequestSchema:
    def __init__(self, spec: dict[str, Any], schema: dict[str, Any]) -> None:
        self.reference = schema_validator(spec, schema)
        # A JSON round trip turns YAML-only values (dates, ...) into what a JSON Schema resource holds.
        registry = jsonschema_rs.Registry(
            [(SPEC_URI, json.loads(json.dumps(spec, default=str)))], draft=jsonschema_rs.Draft202012
        )
        self.fast = jsonschema_rs.Draft202012Validator(
            rebase_refs(schema), registry=registry, validate_formats=True
        )

    def accepts(self, document: Any) -> bool:
        try:
            return bool(self.fast.is_valid(document))
        except (ValueError, RecursionError, OverflowError):
            # A value jsonschema-rs cannot take in: the reference validator decides.
            return self.reference.is_valid(document)

    def validated(self, document: Any) -> dict[str, Any]:
        """``document`` when the schema accepts it (it is then an object), else InputRejected."""
        try:
            if self.accepts(document) and isinstance(document, dict):
                return document
            error = best_match(self.reference.iter_errors(document))
        except RecursionError:
            raise InputRejected("body is nested too deeply") from None
        if error is None:
            raise InputRejected("body does not match the request schema")
        where = "/".join(str(part) for part in error.absolute_path) or "body"
        raise InputRejected(f"{where}: {error.message}")
