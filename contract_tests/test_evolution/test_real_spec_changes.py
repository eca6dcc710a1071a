"""The diff on openapi.yaml itself: codes taken from its table, schemas reached through its $refs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from medux_contract.evolution.diff_rules import Bump, Severity
from medux_contract.evolution.spec_diff import diff_specs
from medux_contract.evolution.version_gate import required_bump
from medux_contract.spec import CODE_TABLE_KEY, CodeEntry, SpecError, code_table, load_spec, operation

CODES = "/components/schemas/ResponseCode"
MESSAGES = "/components/schemas/ResponseMessage"


def fresh_spec() -> dict[str, Any]:
    return copy.deepcopy(load_spec())


def _examples(spec: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, Any] = operation(spec)["responses"]["200"]["content"]["application/json"]["examples"]
    return examples


def found(spec_old: dict[str, Any], spec_new: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c.rule.id, c.pointer) for c in diff_specs(spec_old, spec_new)}


def test_the_contract_compared_with_itself_has_no_change() -> None:
    assert diff_specs(load_spec(), fresh_spec()) == []


@pytest.mark.parametrize("entry", code_table(), ids=lambda e: e.name)
def test_removing_a_code_everywhere_is_breaking_in_the_table_and_both_enums(entry: CodeEntry) -> None:
    old, new = fresh_spec(), fresh_spec()
    index = code_table().index(entry)
    del new[CODE_TABLE_KEY][index]
    for schema in ("ResponseCode", "ResponseMessage"):
        for key in ("enum", "x-enum-varnames"):
            del new["components"]["schemas"][schema][key][index]
    del _examples(new)[entry.example_name]

    changes = diff_specs(old, new)

    assert {
        ("code-removed", f"/{CODE_TABLE_KEY}/{index}"),
        ("response-enum-value-removed", f"{CODES}/enum/{index}"),
        ("response-enum-value-removed", f"{MESSAGES}/enum/{index}"),
    } <= {(c.rule.id, c.pointer) for c in changes}
    assert required_bump(changes) is Bump.MAJOR


def test_adding_a_code_is_a_notice_that_needs_a_minor_bump() -> None:
    old, new = fresh_spec(), fresh_spec()
    template = code_table()[-1]
    code = max(entry.code for entry in code_table()) + 1
    row = {**new[CODE_TABLE_KEY][-1], "code": code, "name": "BRAND_NEW", "message": "brand new"}
    row["exception"] = "BrandNewError" if template.exception else None
    new[CODE_TABLE_KEY].append(row)
    for schema, value in (("ResponseCode", code), ("ResponseMessage", "brand new")):
        new["components"]["schemas"][schema]["enum"].append(value)
        new["components"]["schemas"][schema]["x-enum-varnames"].append("BRAND_NEW")
    _examples(new)["brand_new"] = {
        "summary": f"{code} brand new",
        "value": {"code": code, "message": "brand new"},
    }
    position = len(code_table())

    changes = diff_specs(old, new)

    assert {c.severity for c in changes} <= {Severity.NOTICE, Severity.NON_BREAKING}
    assert {
        ("code-added", f"/{CODE_TABLE_KEY}/{position}"),
        ("response-enum-value-added", f"{CODES}/enum/{position}"),
        ("response-enum-value-added", f"{MESSAGES}/enum/{position}"),
    } <= {(c.rule.id, c.pointer) for c in changes}
    assert required_bump(changes) is Bump.MINOR


def test_swapping_two_messages_in_the_table_breaks_the_code_message_pairing() -> None:
    old, new = fresh_spec(), fresh_spec()
    first, second = new[CODE_TABLE_KEY][0], new[CODE_TABLE_KEY][1]
    first["message"], second["message"] = second["message"], first["message"]

    assert found(old, new) == {
        ("code-message-changed", f"/{CODE_TABLE_KEY}/0/message"),
        ("code-message-changed", f"/{CODE_TABLE_KEY}/1/message"),
    }


def _typed_property_behind_refs(spec: dict[str, Any]) -> tuple[str, dict[str, Any], int]:
    """The first typed property the 200 response reaches through two or more $refs.

    Returns its pointer under /components/schemas, its schema and how many $refs lead to it.
    """
    root = operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]
    queue: list[tuple[str, int]] = [(root["$ref"], 1)]
    while queue:
        ref, depth = queue.pop(0)
        name = ref.rsplit("/", 1)[-1]
        for prop, schema in (spec["components"]["schemas"][name].get("properties") or {}).items():
            if "$ref" in schema:
                queue.append((schema["$ref"], depth + 1))
            elif "type" in schema and depth >= 2:
                return f"/components/schemas/{name}/properties/{prop}", schema, depth
    raise AssertionError("the 200 response reaches no typed property through two $refs")


def test_a_response_property_retyped_behind_refs_is_breaking_at_its_component() -> None:
    old, new = fresh_spec(), fresh_spec()
    where, schema, depth = _typed_property_behind_refs(new)
    schema["type"] = "integer" if schema["type"] != "integer" else "string"

    changes = diff_specs(old, new)

    assert depth >= 2
    assert [(c.rule.id, c.severity, c.pointer) for c in changes] == [
        ("response-type-changed", Severity.BREAKING, f"{where}/type")
    ]


def test_a_description_edit_in_a_referenced_schema_is_documentation_needing_a_patch() -> None:
    old, new = fresh_spec(), fresh_spec()
    request_ref = operation(new)["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = request_ref.rsplit("/", 1)[-1]
    new["components"]["schemas"][name]["description"] += " Edited."

    changes = diff_specs(old, new)

    assert found(old, new) == {("documentation-changed", f"/components/schemas/{name}/description")}
    assert required_bump(changes) is Bump.PATCH


def test_a_new_named_example_on_the_response_is_documentation() -> None:
    old, new = fresh_spec(), fresh_spec()
    first = code_table()[0]
    _examples(new)["another_" + first.example_name] = copy.deepcopy(_examples(new)[first.example_name])

    assert {rule for rule, _ in found(old, new)} == {"documentation-changed"}


def test_a_dangling_ref_is_a_clear_error_naming_where_it_is() -> None:
    old, new = fresh_spec(), fresh_spec()
    media = operation(new)["requestBody"]["content"]["application/json"]
    media["schema"] = {"$ref": "#/components/schemas/NoSuchSchema"}

    with pytest.raises(SpecError, match=r"NoSuchSchema.*points at nothing"):
        diff_specs(old, new)


def test_a_malformed_code_table_is_a_clear_error_naming_the_spec() -> None:
    old, new = fresh_spec(), fresh_spec()
    new[CODE_TABLE_KEY][0]["code"] = "zero"

    with pytest.raises(SpecError, match=r"new spec: x-medux-codes\[0\]\.code must be a int"):
        diff_specs(old, new)


def test_a_schema_of_unexpected_shape_is_a_clear_error() -> None:
    old, new = fresh_spec(), fresh_spec()
    request_ref = operation(new)["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    new["components"]["schemas"][request_ref.rsplit("/", 1)[-1]]["properties"] = ["file_id"]

    with pytest.raises(SpecError, match="properties must be a dict"):
        diff_specs(old, new)
