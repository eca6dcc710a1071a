"""The diff on openapi.yaml itself: code facts by meaning, per operation, schemas through its $refs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import semver

from contract_tests.fixture_operation import FIXTURE_PATH, FIXTURE_SCHEMA, with_fixture_operation
from contract_tests.test_evolution.pairs import with_version
from medux_contract.evolution.diff_rules import Bump, Severity
from medux_contract.evolution.spec_diff import diff_specs
from medux_contract.evolution.version_gate import judge, required_bump
from medux_contract.spec import (
    CODE_TABLE_KEY,
    MOCK_KEY,
    OUTCOMES_KEY,
    Code,
    Operation,
    SpecError,
    load_contract,
    load_spec,
    read_spec,
)
from medux_contract.spec.refs import pointer

CODES = "/components/schemas/ResponseCode"
MESSAGES = "/components/schemas/ResponseMessage"
RELEASE_1_0_0 = Path(__file__).resolve().parent / "releases" / "openapi-1.0.0.yaml"
RELEASE_1_1_0 = Path(__file__).resolve().parent / "releases" / "openapi-1.1.0.yaml"


def fresh_spec() -> dict[str, Any]:
    return copy.deepcopy(load_spec())


def create() -> Operation:
    return load_contract().operation("createAvatarByImage")


def listing() -> Operation:
    return load_contract().operation("listAvatars")


def node(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][operation.path][operation.method]
    return found


def _examples(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    examples: dict[str, Any] = node(spec, operation)["responses"]["200"]["content"]["application/json"][
        "examples"
    ]
    return examples


def found(spec_old: dict[str, Any], spec_new: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c.rule.id, c.pointer) for c in diff_specs(spec_old, spec_new)}


def test_the_contract_compared_with_itself_has_no_change() -> None:
    assert diff_specs(load_spec(), fresh_spec()) == []


def test_release_1_0_0_to_1_1_0_is_a_minor_change_that_reads_the_reshaped_table_by_meaning() -> None:
    old, new = read_spec(RELEASE_1_0_0), read_spec(RELEASE_1_1_0)

    changes = diff_specs(old, new)

    assert not [c for c in changes if c.severity is Severity.BREAKING]
    code_facts = {
        (c.rule.id, c.pointer)
        for c in changes
        if c.rule.id.startswith(("code-", "outcome-")) or c.pointer.startswith(f"/{CODE_TABLE_KEY}/")
    }
    # Same retry safety, billing and data for the POST: only the shape changed.
    assert code_facts == {("code-table-reshaped", f"/{CODE_TABLE_KEY}")}
    assert ("path-added", pointer("/paths", listing().path)) in {(c.rule.id, c.pointer) for c in changes}
    assert required_bump(changes) is Bump.MINOR
    assert judge(old, with_version(new, "1.1.0"), changes).ok


def test_adding_the_fixture_operation_is_a_minor_change() -> None:
    old = fresh_spec()
    new = with_fixture_operation(old)

    changes = diff_specs(old, new)

    assert found(old, new) == {
        ("path-added", pointer("/paths", FIXTURE_PATH)),
        ("component-schema-added", pointer("/components/schemas", FIXTURE_SCHEMA)),
    }
    assert required_bump(changes) is Bump.MINOR
    version = semver.Version.parse(old["info"]["version"])
    assert judge(old, with_version(new, str(version.bump_minor())), changes).ok
    assert not judge(old, with_version(new, str(version.bump_patch())), changes).ok


def test_the_mock_settings_are_not_contract() -> None:
    old, new = fresh_spec(), fresh_spec()
    new[MOCK_KEY]["mapped_http_status"][0]["status"] = 201
    assert diff_specs(old, new) == []
    del new[MOCK_KEY]
    assert diff_specs(old, new) == []


@pytest.mark.parametrize("entry", load_contract().codes, ids=lambda e: e.name)
def test_removing_a_code_everywhere_is_breaking_in_the_table_and_both_enums(entry: Code) -> None:
    old, new = fresh_spec(), fresh_spec()
    index = list(load_contract().codes).index(entry)
    del new[CODE_TABLE_KEY][index]
    for schema in ("ResponseCode", "ResponseMessage"):
        for key in ("enum", "x-enum-varnames"):
            del new["components"]["schemas"][schema][key][index]
    for operation in load_contract().operations:
        rows = node(new, operation)[OUTCOMES_KEY]
        node(new, operation)[OUTCOMES_KEY] = [row for row in rows if row["code"] != entry.code]
        _examples(new, operation).pop(entry.example_name, None)

    changes = diff_specs(old, new)

    assert {
        ("code-removed", f"/{CODE_TABLE_KEY}/{index}"),
        ("response-enum-value-removed", f"{CODES}/enum/{index}"),
        ("response-enum-value-removed", f"{MESSAGES}/enum/{index}"),
    } <= {(c.rule.id, c.pointer) for c in changes}
    # Reported where it is written, once: not again as an outcome every operation lost.
    assert not [c for c in changes if c.rule.id == "outcome-removed"]
    assert required_bump(changes) is Bump.MAJOR


def test_adding_a_code_is_a_notice_that_needs_a_minor_bump() -> None:
    old, new = fresh_spec(), fresh_spec()
    codes = load_contract().codes
    code = max(entry.code for entry in codes) + 1
    row = {**new[CODE_TABLE_KEY][-1], "code": code, "name": "BRAND_NEW", "message": "brand new"}
    row["exception"] = "BrandNewError"
    new[CODE_TABLE_KEY].append(row)
    for schema, value in (("ResponseCode", code), ("ResponseMessage", "brand new")):
        new["components"]["schemas"][schema]["enum"].append(value)
        new["components"]["schemas"][schema]["x-enum-varnames"].append("BRAND_NEW")
    node(new, create())[OUTCOMES_KEY].append({"code": code, "carries": [], "billable": False})
    _examples(new, create())["brand_new"] = {
        "summary": f"{code} brand new",
        "value": {"code": code, "message": "brand new"},
    }
    position = len(codes)

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


def test_a_retry_change_is_a_behaviour_change_reported_on_the_table_once() -> None:
    old, new = fresh_spec(), fresh_spec()
    index = [entry.code for entry in load_contract().codes].index(99)
    new[CODE_TABLE_KEY][index]["retry"] = "never"

    changes = diff_specs(old, new)

    # List Avatars may no longer repeat after a 99: that follows from the column, so it is not repeated.
    assert [(c.rule.id, c.pointer, c.detail) for c in changes] == [
        (
            "code-behaviour-changed",
            f"/{CODE_TABLE_KEY}/{index}/retry",
            "code 99: retry 'if_idempotent' -> retry 'never'",
        )
    ]
    assert required_bump(changes) is Bump.MINOR


def test_an_operation_that_stops_being_idempotent_changes_its_retry_safety() -> None:
    old, new = fresh_spec(), fresh_spec()
    node(new, listing())["x-medux-idempotent"] = False

    behaviour = {
        (c.rule.id, c.pointer) for c in diff_specs(old, new) if c.rule.id == "code-behaviour-changed"
    }

    assert behaviour == {("code-behaviour-changed", pointer(listing().pointer, OUTCOMES_KEY, 3))}


def test_billing_flag_of_one_operation_is_a_behaviour_change_at_its_outcome() -> None:
    old, new = fresh_spec(), fresh_spec()
    node(new, listing())[OUTCOMES_KEY][3]["billable"] = True

    assert found(old, new) == {
        ("code-behaviour-changed", pointer(listing().pointer, OUTCOMES_KEY, 3, "billable"))
    }


def test_an_operation_answering_one_code_fewer_is_a_notice_and_one_more_too() -> None:
    old, new = fresh_spec(), fresh_spec()
    del node(new, listing())[OUTCOMES_KEY][3]
    del _examples(new, listing())["server_error"]
    node(new, listing())[OUTCOMES_KEY].insert(3, {"code": 16, "carries": [], "billable": False})

    changes = diff_specs(old, new)

    assert {(c.rule.id, c.severity, c.pointer) for c in changes if c.rule.id.startswith("outcome-")} == {
        ("outcome-removed", Severity.NOTICE, pointer(listing().pointer, OUTCOMES_KEY, 3)),
        ("outcome-added", Severity.NOTICE, pointer(listing().pointer, OUTCOMES_KEY, 3)),
    }
    assert required_bump(changes) is Bump.MINOR


def test_a_code_that_stops_carrying_its_data_is_breaking() -> None:
    old, new = fresh_spec(), fresh_spec()
    node(new, listing())[OUTCOMES_KEY][0]["carries"] = []

    changes = diff_specs(old, new)

    assert [(c.rule.id, c.pointer, c.detail) for c in changes] == [
        (
            "outcome-data-removed",
            pointer(listing().pointer, OUTCOMES_KEY, 0, "carries"),
            f"{listing().label}: code 0 no longer carries data.items",
        )
    ]
    assert required_bump(changes) is Bump.MAJOR


def _typed_property_behind_refs(spec: dict[str, Any]) -> tuple[str, dict[str, Any], int]:
    """The first typed property the POST's 200 response reaches through two or more $refs.

    Returns its pointer under /components/schemas, its schema and how many $refs lead to it.
    """
    queue: list[tuple[str, int]] = [(create().response_schema["$ref"], 1)]
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
    request_ref = node(new, create())["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = request_ref.rsplit("/", 1)[-1]
    new["components"]["schemas"][name]["description"] += " Edited."

    changes = diff_specs(old, new)

    assert found(old, new) == {("documentation-changed", f"/components/schemas/{name}/description")}
    assert required_bump(changes) is Bump.PATCH


def test_a_new_named_example_on_the_response_is_documentation() -> None:
    old, new = fresh_spec(), fresh_spec()
    examples = _examples(new, listing())
    examples["another_ok"] = copy.deepcopy(examples["ok"])

    assert {rule for rule, _ in found(old, new)} == {"documentation-changed"}


def test_a_dangling_ref_is_a_clear_error_naming_where_it_is() -> None:
    old, new = fresh_spec(), fresh_spec()
    media = node(new, create())["requestBody"]["content"]["application/json"]
    media["schema"] = {"$ref": "#/components/schemas/NoSuchSchema"}

    with pytest.raises(SpecError, match=r"NoSuchSchema.*points at nothing"):
        diff_specs(old, new)


def test_a_malformed_code_table_is_a_clear_error_naming_the_spec() -> None:
    old, new = fresh_spec(), fresh_spec()
    new[CODE_TABLE_KEY][0]["code"] = "zero"

    with pytest.raises(SpecError, match=r"new spec: /x-medux-codes/0/code: must be a int"):
        diff_specs(old, new)


def test_an_outcome_of_a_code_outside_the_table_is_a_clear_error() -> None:
    old, new = fresh_spec(), fresh_spec()
    node(new, listing())[OUTCOMES_KEY][1]["code"] = 777

    with pytest.raises(SpecError, match=r"new spec: .*/x-medux-outcomes/1/code: 777 is not a code"):
        diff_specs(old, new)


def test_a_schema_of_unexpected_shape_is_a_clear_error() -> None:
    old, new = fresh_spec(), fresh_spec()
    request_ref = node(new, create())["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    new["components"]["schemas"][request_ref.rsplit("/", 1)[-1]]["properties"] = ["file_id"]

    with pytest.raises(SpecError, match="properties must be a dict"):
        diff_specs(old, new)
