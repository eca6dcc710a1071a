"""Our own spec rules hold for openapi.yaml, and each one fails on a spec that breaks it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from medux_contract.lint.spec_rules import (
    RULES,
    Rule,
    rule_code_table_is_well_formed,
    rule_enums_match_code_table,
    rule_examples_validate,
    rule_mcp_tool_is_described,
    rule_one_example_per_code,
    run_rules,
)
from medux_contract.spec import CODE_TABLE_KEY, MCP_TOOL_KEY, code_table, load_spec, operation, schemas

Spec = dict[str, Any]


def mutated(change: Callable[[Spec], object]) -> Spec:
    spec = copy.deepcopy(load_spec())
    change(spec)
    return spec


def response_examples(spec: Spec) -> dict[str, Any]:
    examples: dict[str, Any] = operation(spec)["responses"]["200"]["content"]["application/json"]["examples"]
    return examples


def request_examples(spec: Spec) -> dict[str, Any]:
    examples: dict[str, Any] = operation(spec)["requestBody"]["content"]["application/json"]["examples"]
    return examples


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_committed_spec_satisfies_rule(rule: Rule) -> None:
    assert rule(load_spec()) == []


def test_code_table_has_the_twelve_documented_codes_in_vendor_order() -> None:
    assert [entry.code for entry in code_table()] == [
        0,
        12,
        1410,
        1409,
        1401,
        1406,
        1402,
        1404,
        1405,
        13,
        16,
        99,
    ]


def test_varnames_shorter_than_enum_is_caught_before_generation() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseCode"]["x-enum-varnames"].pop())
    problems = rule_enums_match_code_table(spec)
    assert any("VALUE_<n>" in problem for problem in problems), problems


def test_missing_varnames_is_caught() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseMessage"].pop("x-enum-varnames"))
    assert any("ResponseMessage.x-enum-varnames" in p for p in rule_enums_match_code_table(spec))


def test_code_enum_with_a_code_missing_from_the_table_is_caught() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseCode"]["enum"].append(777))
    assert any("ResponseCode.enum" in p for p in rule_enums_match_code_table(spec))


def test_message_enum_out_of_pairing_order_is_caught() -> None:
    def swap(spec: Spec) -> None:
        messages = schemas(spec)["ResponseMessage"]["enum"]
        messages[1], messages[2] = messages[2], messages[1]

    assert any("ResponseMessage.enum" in p for p in rule_enums_match_code_table(mutated(swap)))


def test_example_with_a_message_not_paired_with_its_code_is_caught() -> None:
    def wrong_message(spec: Spec) -> None:
        response_examples(spec)["rate_limited"]["value"]["message"] = "server error"

    problems = rule_one_example_per_code(mutated(wrong_message))
    assert any("'rate_limited'" in p and "'rate limit'" in p for p in problems), problems


def test_code_without_an_example_is_caught() -> None:
    problems = rule_one_example_per_code(mutated(lambda s: response_examples(s).pop("provider_timeout")))
    assert any(p.startswith("code 1405:") for p in problems), problems


def test_code_with_two_examples_is_caught() -> None:
    def duplicate(spec: Spec) -> None:
        response_examples(spec)["another_ok"] = copy.deepcopy(response_examples(spec)["ok"])

    problems = rule_one_example_per_code(mutated(duplicate))
    assert any(p.startswith("code 0:") for p in problems), problems


def test_success_example_without_the_payload_its_code_carries_is_caught() -> None:
    problems = rule_one_example_per_code(mutated(lambda s: response_examples(s)["ok"]["value"].pop("data")))
    assert any("data lacks ['asset']" in p for p in problems), problems


@pytest.mark.parametrize(
    ("break_example", "pointer_part"),
    [
        (lambda s: response_examples(s)["ok"]["value"].update(code="0"), "/responses/200/"),
        (lambda s: request_examples(s)["minimal"]["value"].update(file_id=""), "/requestBody/"),
        (lambda s: request_examples(s)["minimal"]["value"].pop("file_id"), "/requestBody/"),
        (
            lambda s: schemas(s)["Asset"]["properties"]["avatar_asset_id"].update(examples=[123]),
            "/components/schemas/Asset/",
        ),
    ],
    ids=["response-code-as-string", "request-empty-file-id", "request-without-file-id", "schema-example"],
)
def test_example_that_violates_its_schema_is_caught(
    break_example: Callable[[Spec], object], pointer_part: str
) -> None:
    problems = rule_examples_validate(mutated(break_example))
    assert any(pointer_part in p for p in problems), problems


def test_malformed_code_table_row_is_reported_not_raised() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][3].update(code="1409"))
    problems = rule_code_table_is_well_formed(spec)
    assert problems == [f"{CODE_TABLE_KEY}[3].code must be a int, got '1409'"]
    results = run_rules(spec)
    assert results["rule_enums_match_code_table"] == [
        "the code table is malformed (see rule_code_table_is_well_formed)"
    ]
    assert results["rule_one_example_per_code"] == results["rule_enums_match_code_table"]


def test_duplicate_message_in_code_table_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][2].update(message="invalid input"))
    assert any("duplicate message" in p for p in rule_code_table_is_well_formed(spec))


def test_error_code_without_exception_class_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][1].update(exception=None))
    assert any("code 12" in p for p in rule_code_table_is_well_formed(spec))


def test_mcp_tool_without_title_is_caught() -> None:
    spec = mutated(lambda s: operation(s)[MCP_TOOL_KEY].pop("title"))
    assert rule_mcp_tool_is_described(spec) == [f"{MCP_TOOL_KEY}.title must be a non-empty string"]


def test_spec_without_the_operation_is_reported_by_every_rule_that_needs_it() -> None:
    spec = mutated(lambda s: s.__setitem__("paths", {}))
    results = run_rules(spec)
    assert results["rule_one_example_per_code"]
    assert results["rule_mcp_tool_is_described"]
