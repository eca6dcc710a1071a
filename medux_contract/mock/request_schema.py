"""A schema of the spec (a request body's, a parameter's) as the mock applies it to every request, fast.

Two validators of the same schema: jsonschema-rs (compiled, well under a microsecond per value)
gives the verdict, and jsonschema via :func:`medux_contract.spec.schema_validator` explains a
rejection with its most relevant error. A test feeds both the same generated bodies and requires
the same verdicts, so the fast one cannot drift from the reference one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import best_match

from medux_contract.mock.request_input import InputRejected
from medux_contract.spec import schema_validator
from medux_contract.spec.schemas import SPEC_URI, rebase_refs


class RequestSchema:
    def __init__(self, document: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
        self.reference = schema_validator(document, schema)
        # A JSON round trip turns YAML-only values (dates, ...) into what a JSON Schema resource holds.
        registry = jsonschema_rs.Registry(
            [(SPEC_URI, json.loads(json.dumps(dict(document), default=str)))],
            draft=jsonschema_rs.Draft202012,
        )
        self.fast = jsonschema_rs.Draft202012Validator(
            rebase_refs(dict(schema)), registry=registry, validate_formats=True
        )

    def accepts(self, document: Any) -> bool:
        try:
            return bool(self.fast.is_valid(document))
        except (ValueError, RecursionError, OverflowError):
            # A value jsonschema-rs cannot take in: the reference validator decides.
            return self.reference.is_valid(document)

    def validated(self, document: Any) -> dict[str, Any]:
        """``document`` when the schema accepts it (it is then an object), else InputRejected."""
        if isinstance(document, dict) and self.accepts(document):
            return document
        raise InputRejected(self.check(document, "body") or "body must be a JSON object")

    def check(self, value: Any, name: str) -> str | None:
        """None when the schema accepts ``value``, else why not (``name`` says where it was)."""
        try:
            if self.accepts(value):
                return None
            error = best_match(self.reference.iter_errors(value))
        except RecursionError:
            return f"{name} is nested too deeply"
        if error is None:
            return f"{name} does not match its schema"
        where = "/".join(str(part) for part in error.absolute_path)
        return f"{name}{'/' + where if where else ''}: {error.message}"
