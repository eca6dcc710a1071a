"""This project's own rules for openapi.yaml, beyond what openapi-spec-validator and Redocly check.

Each rule is a function from a parsed spec to a list of problems (empty when the rule holds), so
that `make lint` can print them and the tests can prove every rule fails on a spec that breaks it.
The rules read the spec through its model (:mod:`medux_contract.spec`) and run per operation: an
operation added to the spec is linted with no change here. Every problem starts with the JSON
pointer of the node at fault.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from medux_contract.envelope import judge_document
from medux_contract.spec import (
    CODE_TABLE_KEY,
    MCP_TOOL_KEY,
    MOCK_KEY,
    OUTCOMES_KEY,
    CodeTable,
    Contract,
    Operation,
    SpecError,
    contract_of,
    parse_codes,
    schema_validator,
)
from medux_contract.spec.model import JSON_MEDIA_TYPE
from medux_contract.spec.refs import pointer

Rule = Callable[[dict[str, Any]], list[str]]

CODE_COLUMNS = frozenset(
    {"code", "name", "message", "exception", "group", "meaning", "meaning_source", "retry"}
)
OUTCOME_COLUMNS = frozenset({"code", "carries", "billable"})
MCP_TOOL_FIELDS = ("name", "title", "description", "invocation_example")
MEANING_SOURCES = ("vendor", "inferred")
MOCK_STATUSES_AT = f"/{MOCK_KEY}/mapped_http_status"
TABLE_MALFORMED = f"/{CODE_TABLE_KEY}: the code table is malformed (see rule_code_table_is_well_formed)"
MODEL_FAILED = "the spec model cannot be read (see rule_operations_are_modelled)"


class _Unreadable(Exception):
    """The part of the spec a rule needs cannot be read; its message is the rule's one problem."""


def _codes(spec: dict[str, Any]) -> CodeTable:
    try:
        return parse_codes(spec)
    except SpecError:
        raise _Unreadable(TABLE_MALFORMED) from None


def _contract(spec: dict[str, Any]) -> Contract:
    _codes(spec)
    try:
        return contract_of(spec)
    except SpecError:
        raise _Unreadable(MODEL_FAILED) from None


def _reads_spec(rule: Rule) -> Rule:
    """A rule whose one problem is that the part of the spec it needs cannot be read."""

    @functools.wraps(rule)
    def checked(spec: dict[str, Any]) -> list[str]:
        try:
            return rule(spec)
        except _Unreadable as exc:
            return [str(exc)]

    return checked


def _duplicates(values: list[Any]) -> list[str]:
    return sorted({str(value) for value in values if values.count(value) > 1})


# The code table ---------------------------------------------------------------------------------


def rule_code_table_is_well_formed(spec: dict[str, Any]) -> list[str]:
    """``x-medux-codes`` holds API-wide facts only, one row per code, each row complete and unique."""
    try:
        table = parse_codes(spec)
    except SpecError as exc:
        return [str(exc)]
    base = f"/{CODE_TABLE_KEY}"
    problems = []
    for index, row in enumerate(spec[CODE_TABLE_KEY]):
        # A per-operation fact (billable, carries) or mock setting here would hold for no operation.
        for column in sorted(set(row) - CODE_COLUMNS):
            problems.append(
                f"{pointer(base, index, column)}: not a column of the code table; per-operation facts "
                f"belong in each operation's {OUTCOMES_KEY}, mock settings in {MOCK_KEY}"
            )
    for column in ("code", "name", "message", "exception"):
        values = [getattr(entry, column) for entry in table if getattr(entry, column) is not None]
        dupes = _duplicates(values)
        if dupes:
            problems.append(f"{base}: duplicate {column} {', '.join(dupes)}")
    for index, entry in enumerate(table):
        at = pointer(base, index)
        if entry.is_success != (entry.exception is None):
            problems.append(f"{at}/exception: code {entry.code}: exactly the success code has no exception")
        if not entry.name.isidentifier() or entry.name.upper() != entry.name:
            problems.append(f"{at}/name: code {entry.code}: {entry.name!r} is not UPPER_SNAKE")
        if entry.meaning_source not in MEANING_SOURCES:
            problems.append(f"{at}/meaning_source: code {entry.code}: must be vendor or inferred")
    if not any(entry.is_success for entry in table):
        problems.append(f"{base}: no success code 0")
    return problems


@_reads_spec
def rule_enums_match_code_table(spec: dict[str, Any]) -> list[str]:
    """Code enum, message enum, both x-enum-varnames lists and the table agree one to one, in order."""
    table = _codes(spec)
    schemas = _contract(spec).schemas
    problems = []
    lists: dict[str, tuple[list[Any], list[Any]]] = {}
    for schema_name in ("ResponseCode", "ResponseMessage"):
        schema = schemas.get(schema_name)
        schema = schema if isinstance(schema, Mapping) else {}
        lists[schema_name] = (list(schema.get("enum", [])), list(schema.get("x-enum-varnames", [])))
    codes, code_names = lists["ResponseCode"]
    messages, message_names = lists["ResponseMessage"]
    expected = {
        "ResponseCode/enum": ([e.code for e in table], codes),
        "ResponseCode/x-enum-varnames": ([e.name for e in table], code_names),
        "ResponseMessage/enum": ([e.message for e in table], messages),
        "ResponseMessage/x-enum-varnames": ([e.name for e in table], message_names),
    }
    for where, (want, have) in expected.items():
        if want != have:
            problems.append(f"/components/schemas/{where}: {have!r} differs from {CODE_TABLE_KEY} {want!r}")
    # openapi-python-client silently names members VALUE_<n> when the lists differ in length.
    for schema_name, (values, names) in lists.items():
        if len(values) != len(names):
            problems.append(
                f"/components/schemas/{schema_name}: {len(values)} enum values but {len(names)} "
                "x-enum-varnames; the generator would fall back to VALUE_<n> member names"
            )
    return problems


@_reads_spec
def rule_mock_statuses_cover_every_code(spec: dict[str, Any]) -> list[str]:
    """``x-medux-mock.mapped_http_status`` gives every code of the table exactly one valid status."""
    table = _codes(spec)
    mock = spec.get(MOCK_KEY)
    rows = mock.get("mapped_http_status") if isinstance(mock, dict) else None
    if not isinstance(rows, list):
        return [f"{MOCK_STATUSES_AT}: must be a list of {{code, status}}, one per code of {CODE_TABLE_KEY}"]
    problems = []
    seen: list[int] = []
    for index, row in enumerate(rows):
        at = pointer(MOCK_STATUSES_AT, index)
        code = row.get("code") if isinstance(row, dict) else None
        status = row.get("status") if isinstance(row, dict) else None
        if not isinstance(code, int) or isinstance(code, bool) or code not in table:
            problems.append(f"{at}/code: {code!r} is not a code of {CODE_TABLE_KEY}")
            continue
        if code in seen:
            problems.append(f"{at}/code: code {code} is given a status twice")
        seen.append(code)
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            problems.append(f"{at}/status: {status!r} is not an HTTP status from 100 to 599")
    missing = [str(entry.code) for entry in table if entry.code not in seen]
    if missing:
        problems.append(f"{MOCK_STATUSES_AT}: no status for code {', '.join(missing)}")
    return problems


# Operations -------------------------------------------------------------------------------------


@_reads_spec
def rule_operations_are_modelled(spec: dict[str, Any]) -> list[str]:
    """The spec model reads the spec: each operation's id, outcomes and 200 envelope, the mock table."""
    _codes(spec)
    try:
        contract_of(spec)
    except SpecError as exc:
        return [str(exc)]
    return []


@_reads_spec
def rule_outcomes_are_well_formed(spec: dict[str, Any]) -> list[str]:
    """Each operation's ``x-medux-outcomes``: table codes in table order, the success code, known data."""
    contract = _contract(spec)
    order = {entry.code: index for index, entry in enumerate(contract.codes)}
    problems = []
    for operation in contract.operations:
        at = pointer(operation.pointer, OUTCOMES_KEY)
        for index, row in enumerate(operation.raw[OUTCOMES_KEY]):
            for column in sorted(set(row) - OUTCOME_COLUMNS):
                problems.append(
                    f"{pointer(at, index, column)}: not a column of {OUTCOMES_KEY} "
                    f"(API-wide facts belong in {CODE_TABLE_KEY})"
                )
        positions = [order[code] for code in operation.codes]
        if positions != sorted(positions):
            problems.append(f"{at}: codes {list(operation.codes)} are not in the order of {CODE_TABLE_KEY}")
        if not any(outcome.is_success for outcome in operation.outcomes):
            problems.append(f"{at}: {operation.operation_id} lists no success code 0")
        for index, outcome in enumerate(operation.outcomes):
            undeclared = [m for m in outcome.carries if m not in operation.data_member_types]
            if undeclared:
                problems.append(
                    f"{pointer(at, index, 'carries')}: {undeclared} are not members of the `data` schema "
                    f"of {operation.operation_id}'s envelope"
                )
    return problems


def _example_pointer(operation: Operation, name: str) -> str:
    return pointer(operation.pointer, "responses", "200", "content", JSON_MEDIA_TYPE, "examples", name)


@_reads_spec
def rule_one_example_per_code(spec: dict[str, Any]) -> list[str]:
    """Each operation has one 200 example per code it can answer, none for another, each conformant.

    The example of a code is named after the code (``rate_limited``) and is judged by the envelope
    rule itself (:func:`medux_contract.envelope.judge_document`): paired message, carried data and
    the operation's response schema.
    """
    contract = _contract(spec)
    problems = []
    for operation in contract.operations:
        validator = schema_validator(contract.document, operation.response_schema)
        by_code: dict[Any, list[str]] = {}
        for name, value in operation.response_examples.items():
            if not isinstance(value, dict):
                problems.append(f"{_example_pointer(operation, name)}: has no object value")
                continue
            code = value.get("code")
            by_code.setdefault(code, []).append(name)
            if not (isinstance(code, int) and operation.answers(code)):
                continue  # reported once below, as an example of a code it cannot answer
            verdict = judge_document(operation, value, validator=validator)
            problems += [f"{_example_pointer(operation, name)}: {problem}" for problem in verdict.problems()]
        for outcome in operation.outcomes:
            names = by_code.pop(outcome.value, [])
            if names != [outcome.example_name]:
                problems.append(
                    f"{_example_pointer(operation, outcome.example_name)}: code {outcome.value} needs "
                    f"exactly one 200 example named {outcome.example_name!r}, found {names}"
                )
        for code, names in by_code.items():
            problems.append(
                f"{pointer(operation.pointer, OUTCOMES_KEY)}: 200 examples {names} use code {code!r}, "
                f"which {operation.operation_id} cannot answer"
            )
    return problems


@_reads_spec
def rule_mcp_tool_is_described(spec: dict[str, Any]) -> list[str]:
    """Where an operation declares an MCP tool (it is optional), every field of it is filled in."""
    problems = []
    for operation in _contract(spec).operations:
        if MCP_TOOL_KEY not in operation.raw:
            continue
        at = pointer(operation.pointer, MCP_TOOL_KEY)
        tool = operation.mcp_tool
        if tool is None:
            problems.append(f"{at}: must be a mapping")
            continue
        problems += [
            f"{pointer(at, key)}: must be a non-empty string"
            for key in MCP_TOOL_FIELDS
            if not (isinstance(tool.get(key), str) and tool[key].strip())
        ]
    return problems


# Examples anywhere ------------------------------------------------------------------------------


def _walk_examples(node: Any, at: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Yield (pointer, schema, example value) for every example that sits next to a schema."""
    if isinstance(node, dict):
        schema = node.get("schema")
        if isinstance(schema, dict):
            if "example" in node:
                yield pointer(at, "example"), schema, node["example"]
            for name, example in (node.get("examples") or {}).items():
                if isinstance(example, dict) and "value" in example:
                    yield pointer(at, "examples", name), schema, example["value"]
        if "$ref" not in node and "type" in node and isinstance(node.get("examples"), list):
            for index, value in enumerate(node["examples"]):
                yield pointer(at, "examples", index), node, value
        for key, child in node.items():
            yield from _walk_examples(child, pointer(at, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _walk_examples(child, pointer(at, index))


def rule_examples_validate(spec: dict[str, Any]) -> list[str]:
    """Every example validates against its schema (openapi-spec-validator does not check examples).

    The 200 envelope examples are left to :func:`rule_one_example_per_code`, which validates them
    as part of the envelope rule: a broken one is reported once.
    """
    judged = set()
    try:
        for operation in contract_of(spec).operations:
            judged |= {_example_pointer(operation, name) for name in operation.response_examples}
    except SpecError:
        pass  # rule_operations_are_modelled reports it; every example is validated here meanwhile
    problems = []
    for root in ("paths", "components"):
        for at, schema, value in _walk_examples(spec.get(root, {}), f"/{root}"):
            if at not in judged:
                validator = schema_validator(spec, schema)
                problems += [f"{at}: {error.message}" for error in validator.iter_errors(value)]
    return problems


RULES: tuple[Rule, ...] = (
    rule_code_table_is_well_formed,
    rule_enums_match_code_table,
    rule_mock_statuses_cover_every_code,
    rule_operations_are_modelled,
    rule_outcomes_are_well_formed,
    rule_one_example_per_code,
    rule_examples_validate,
    rule_mcp_tool_is_described,
)


def run_rules(spec: dict[str, Any]) -> dict[str, list[str]]:
    """Problems per rule name; a rule that cannot read the part it needs reports that as a problem."""
    results = {}
    for rule in RULES:
        try:
            results[rule.__name__] = rule(spec)
        except (SpecError, AttributeError, TypeError, KeyError) as exc:
            results[rule.__name__] = [f"could not apply the rule to this spec: {exc!r}"]
    return results
