"""This project's own rules for openapi.yaml, beyond what openapi-spec-validator and Redocly check.

Each rule is a function from a parsed spec to a list of problems (empty when the rule holds), so
that `make lint` can print them and the tests can prove every rule fails on a spec that breaks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from medux_contract.spec import (
    CODE_TABLE_KEY,
    MCP_TOOL_KEY,
    SpecError,
    operation,
    parse_code_table,
    schemas,
)

Rule = Callable[[dict[str, Any]], list[str]]
SPEC_URI = "urn:medux:openapi"


def _enum(spec: dict[str, Any], schema_name: str) -> tuple[list[Any], list[Any]]:
    schema = schemas(spec).get(schema_name, {})
    return list(schema.get("enum", [])), list(schema.get("x-enum-varnames", []))


def _table_problems(spec: dict[str, Any]) -> list[str]:
    try:
        parse_code_table(spec)
    except SpecError as exc:
        return [str(exc)]
    return []


def rule_code_table_is_well_formed(spec: dict[str, Any]) -> list[str]:
    problems = _table_problems(spec)
    if problems:
        return problems
    table = parse_code_table(spec)
    for column in ("code", "name", "message"):
        values = [getattr(entry, column) for entry in table]
        dupes = sorted({str(v) for v in values if values.count(v) > 1})
        if dupes:
            problems.append(f"{CODE_TABLE_KEY}: duplicate {column} {', '.join(dupes)}")
    exceptions = [e.exception for e in table if e.exception is not None]
    dupes = sorted({e for e in exceptions if exceptions.count(e) > 1})
    if dupes:
        problems.append(f"{CODE_TABLE_KEY}: duplicate exception {', '.join(dupes)}")
    for entry in table:
        if entry.is_success != (entry.exception is None):
            problems.append(f"{CODE_TABLE_KEY}: code {entry.code}: exactly the success code has no exception")
        if not entry.name.isidentifier() or entry.name.upper() != entry.name:
            problems.append(f"{CODE_TABLE_KEY}: code {entry.code}: name {entry.name!r} is not UPPER_SNAKE")
        if entry.meaning_source not in ("vendor", "inferred"):
            problems.append(f"{CODE_TABLE_KEY}: code {entry.code}: meaning_source must be vendor or inferred")
    if not any(entry.is_success for entry in table):
        problems.append(f"{CODE_TABLE_KEY}: no success code 0")
    return problems


def rule_enums_match_code_table(spec: dict[str, Any]) -> list[str]:
    """Code enum, message enum, both x-enum-varnames lists and the table agree one to one, in order."""
    if _table_problems(spec):
        return ["the code table is malformed (see rule_code_table_is_well_formed)"]
    table = parse_code_table(spec)
    problems = []
    codes, code_names = _enum(spec, "ResponseCode")
    messages, message_names = _enum(spec, "ResponseMessage")
    expected = {
        "ResponseCode.enum": ([e.code for e in table], codes),
        "ResponseCode.x-enum-varnames": ([e.name for e in table], code_names),
        "ResponseMessage.enum": ([e.message for e in table], messages),
        "ResponseMessage.x-enum-varnames": ([e.name for e in table], message_names),
    }
    for where, (want, have) in expected.items():
        if want != have:
            problems.append(f"{where} {have!r} differs from {CODE_TABLE_KEY} {want!r}")
    # openapi-python-client silently names members VALUE_<n> when the lists differ in length.
    for schema_name, (values, names) in {
        "ResponseCode": (codes, code_names),
        "ResponseMessage": (messages, message_names),
    }.items():
        if len(values) != len(names):
            problems.append(
                f"{schema_name}: {len(values)} enum values but {len(names)} x-enum-varnames; "
                "the generator would fall back to VALUE_<n> member names"
            )
    return problems


def _response_examples(spec: dict[str, Any]) -> dict[str, Any]:
    media = operation(spec).get("responses", {}).get("200", {}).get("content", {})
    return dict(media.get("application/json", {}).get("examples", {}))


def rule_one_example_per_code(spec: dict[str, Any]) -> list[str]:
    """Every code has exactly one 200 example, named after the code, carrying the paired message."""
    if _table_problems(spec):
        return ["the code table is malformed (see rule_code_table_is_well_formed)"]
    table = parse_code_table(spec)
    examples = _response_examples(spec)
    problems = []
    by_code: dict[Any, list[str]] = {}
    for name, example in examples.items():
        value = example.get("value") if isinstance(example, dict) else None
        if not isinstance(value, dict):
            problems.append(f"200 example {name!r} has no object value")
            continue
        by_code.setdefault(value.get("code"), []).append(name)
    for entry in table:
        names = by_code.pop(entry.code, [])
        if names != [entry.example_name]:
            problems.append(
                f"code {entry.code}: expected exactly one 200 example named "
                f"{entry.example_name!r}, found {names}"
            )
            continue
        value = examples[entry.example_name]["value"]
        if value.get("message") != entry.message:
            problems.append(
                f"200 example {entry.example_name!r}: message {value.get('message')!r}, "
                f"the code table pairs code {entry.code} with {entry.message!r}"
            )
        missing = [m for m in entry.carries if m not in (value.get("data") or {})]
        if missing:
            problems.append(f"200 example {entry.example_name!r}: data lacks {missing} that code carries")
    for code, names in by_code.items():
        problems.append(f"200 examples {names} use code {code!r}, which is not in {CODE_TABLE_KEY}")
    return problems


def _walk_examples(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Yield (pointer, schema, example value) for every example that sits next to a schema."""
    if isinstance(node, dict):
        schema = node.get("schema")
        if isinstance(schema, dict):
            if "example" in node:
                yield f"{pointer}/example", schema, node["example"]
            for name, example in (node.get("examples") or {}).items():
                if isinstance(example, dict) and "value" in example:
                    yield f"{pointer}/examples/{name}", schema, example["value"]
        if "$ref" not in node and "type" in node and isinstance(node.get("examples"), list):
            for index, value in enumerate(node["examples"]):
                yield f"{pointer}/examples/{index}", node, value
        for key, child in node.items():
            yield from _walk_examples(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _walk_examples(child, f"{pointer}/{index}")


def schema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for ``schema`` whose ``#/...`` refs resolve inside ``spec``."""
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$id": f"{SPEC_URI}#/inline", **rebase_refs(schema)},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def rebase_refs(node: Any) -> Any:
    """Point a schema's local ``#/...`` refs at the spec resource, so any validator can resolve them."""
    if isinstance(node, dict):
        return {
            key: (
                SPEC_URI + value
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else rebase_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [rebase_refs(item) for item in node]
    return node


def rule_examples_validate(spec: dict[str, Any]) -> list[str]:
    """Every example validates against its schema (openapi-spec-validator does not check examples)."""
    problems = []
    for pointer, schema, value in _walk_examples(spec.get("paths", {}), "#/paths"):
        problems += _example_errors(spec, pointer, schema, value)
    for pointer, schema, value in _walk_examples(spec.get("components", {}), "#/components"):
        problems += _example_errors(spec, pointer, schema, value)
    return problems


def _example_errors(spec: dict[str, Any], pointer: str, schema: dict[str, Any], value: Any) -> list[str]:
    validator = schema_validator(spec, schema)
    return [f"{pointer}: {error.message}" for error in validator.iter_errors(value)]


def rule_mcp_tool_is_described(spec: dict[str, Any]) -> list[str]:
    tool = operation(spec).get(MCP_TOOL_KEY)
    if not isinstance(tool, dict):
        return [f"the operation has no {MCP_TOOL_KEY} mapping"]
    return [
        f"{MCP_TOOL_KEY}.{key} must be a non-empty string"
        for key in ("name", "title", "description", "invocation_example")
        if not (isinstance(tool.get(key), str) and tool[key].strip())
    ]


RULES: tuple[Rule, ...] = (
    rule_code_table_is_well_formed,
    rule_enums_match_code_table,
    rule_one_example_per_code,
    rule_examples_validate,
    rule_mcp_tool_is_described,
)


def run_rules(spec: dict[str, Any]) -> dict[str, list[str]]:
    """Problems per rule name; a rule that crashes on a malformed spec reports that as a problem."""
    results = {}
    for rule in RULES:
        try:
            results[rule.__name__] = rule(spec)
        except (SpecError, AttributeError, TypeError, KeyError) as exc:
            results[rule.__name__] = [f"could not apply the rule to this spec: {exc!r}"]
    return results
