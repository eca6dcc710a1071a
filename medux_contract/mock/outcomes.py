"""Every response body the mock can send, built once at start-up from the spec.

Bodies come from the code table (``code``, ``message``, ``carries``) and the spec's named 200
examples; each is validated against the spec's response schema before the mock serves a single
request, so a spec change that would make the mock lie fails at start-up, not in a test run.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from medux_contract.lint.spec_rules import schema_validator
from medux_contract.spec import CodeEntry, SpecError, operation, parse_code_table

# The behaviours the mock implements itself, by the table's `name` column (the generated enums'
# member names). Codes and messages still come from the table; these names only say which row a
# behaviour produces. Other rows (provider errors, ...) are reachable through selection only.
BEHAVIOUR_NAMES = (
    "OK",
    "INVALID_INPUT",
    "INVALID_MODEL",
    "PAID_PLAN_REQUIRED",
    "INSUFFICIENT_CREDITS",
    "ASSET_LIMIT_REACHED",
    "ASSET_CATEGORY_MISMATCH",
    "UNAUTHENTICATED",
    "RATE_LIMITED",
    "SERVER_ERROR",
)


def _dumps(value: Any) -> bytes:
    # ASCII output: titles with lone surrogates or any other code point still encode safely.
    return json.dumps(value, separators=(",", ":")).encode("ascii")


@dataclass(frozen=True)
class Canned:
    """A ready-to-send envelope."""

    entry: CodeEntry
    body: bytes


def _response_schema(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        media = operation(spec)["responses"]["200"]["content"]["application/json"]
        schema = media["schema"]
    except (KeyError, TypeError):
        raise SpecError("the operation has no 200 application/json response schema") from None
    if not isinstance(schema, dict):
        raise SpecError("the 200 response schema must be a mapping")
    return schema


def response_examples(spec: dict[str, Any]) -> dict[str, Any]:
    """The named examples of the 200 response: example name -> example value."""
    media = operation(spec).get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    examples = media.get("examples") or {}
    return {
        name: example["value"]
        for name, example in examples.items()
        if isinstance(example, dict) and isinstance(example.get("value"), dict)
    }


def envelope_for(entry: CodeEntry, example: Mapping[str, Any] | None) -> dict[str, Any]:
    """The envelope of ``entry``: its example's extra members, the table's code and message, and
    every ``data`` member the code carries (an empty object when the example has none)."""
    template = copy.deepcopy(dict(example or {}))
    data = template.pop("data", None)
    data = dict(data) if isinstance(data, dict) else {}
    for member in entry.carries:
        data.setdefault(member, {})
    template.pop("code", None)
    template.pop("message", None)
    envelope: dict[str, Any] = {"code": entry.code, "message": entry.message, **template}
    if data:
        envelope["data"] = data
    return envelope


class Outcomes:
    """The code table joined with the spec's examples, ready to serve."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.table: tuple[CodeEntry, ...] = parse_code_table(spec)
        self._validator = schema_validator(spec, _response_schema(spec))
        by_name = {entry.name: entry for entry in self.table}
        missing = [name for name in BEHAVIOUR_NAMES if name not in by_name]
        if missing:
            raise SpecError(f"the mock needs code table rows named {missing}")
        self.by_name: Mapping[str, CodeEntry] = by_name
        self.by_code: Mapping[int, CodeEntry] = {entry.code: entry for entry in self.table}

        examples = response_examples(spec)
        self.canned: Mapping[int, Canned] = {
            entry.code: Canned(entry, self._checked(envelope_for(entry, examples.get(entry.example_name))))
            for entry in self.table
        }
        self.success_template: dict[str, Any] = envelope_for(
            by_name["OK"], examples.get(by_name["OK"].example_name)
        )
        # Prism-style selection: any named 200 example whose code is in the table, sent verbatim.
        self.examples: Mapping[str, Canned] = {
            name: Canned(self.by_code[value["code"]], self._checked(value))
            for name, value in examples.items()
            if isinstance(value.get("code"), int) and value["code"] in self.by_code
        }
        # Proves the dynamic success body (unique asset id, echoed title) keeps the contract too.
        self._checked(self.success("avatar_mock_startup_check", "title"))

    def code(self, name: str) -> CodeEntry:
        return self.by_name[name]

    def success(self, asset_id: str, title: str | None) -> dict[str, Any]:
        # Shallow copies: the shared template members are only ever serialised, never mutated.
        data = dict(self.success_template["data"])
        asset = {key: value for key, value in data.get("asset", {}).items() if key != "title"}
        asset["avatar_asset_id"] = asset_id
        if title is not None:
            asset["title"] = title
        data["asset"] = asset
        return {**self.success_template, "data": data}

    def success_body(self, asset_id: str, title: str | None) -> bytes:
        return _dumps(self.success(asset_id, title))

    def _checked(self, envelope: Mapping[str, Any]) -> bytes:
        errors = sorted(self._validator.iter_errors(envelope), key=lambda error: list(error.path))
        if errors:
            raise SpecError(
                f"the mock's envelope {dict(envelope)!r} breaks the response schema: {errors[0].message}"
            )
        return _dumps(envelope)
