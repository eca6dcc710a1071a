"""Shapes beyond the one-rule pairs: recursive schemas, $ref'd parameters, the root security."""

from __future__ import annotations

import copy
from typing import Any

from contract_tests.test_evolution.pairs import load_pair
from medux_contract.evolution.spec_diff import diff_specs


def base() -> dict[str, Any]:
    old, _ = load_pair("path-added")
    return old


def found(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c.rule.id, c.pointer) for c in diff_specs(old, new)]


def test_a_recursive_schema_is_compared_once_and_the_walk_ends() -> None:
    old = base()
    old["components"]["schemas"]["Thing"]["properties"]["children"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Thing"},
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"]["label"]["type"] = "integer"

    assert found(old, new) == [("response-type-changed", "/components/schemas/Thing/properties/label/type")]


def test_a_parameter_behind_a_ref_is_reported_once_where_it_is_written() -> None:
    old = base()
    old["components"]["parameters"] = {
        "Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}
    }
    old["paths"]["/things"]["post"]["parameters"] = [{"$ref": "#/components/parameters/Trace"}]
    new = copy.deepcopy(old)
    new["components"]["parameters"]["Trace"]["required"] = True
    new["components"]["parameters"]["Trace"]["description"] = "The trace id."

    assert found(old, new) == [
        ("parameter-became-required", "/components/parameters/Trace/required"),
        ("documentation-changed", "/components/parameters/Trace/description"),
    ]


def test_dropping_the_root_security_relaxes_and_adding_it_back_is_a_new_requirement() -> None:
    secured = base()
    open_to_all = copy.deepcopy(secured)
    del open_to_all["security"]

    assert found(secured, open_to_all) == [("security-requirement-relaxed", "/security")]
    assert found(open_to_all, secured) == [("security-requirement-added", "/security")]


def test_a_response_that_may_now_be_null_is_a_breaking_retype() -> None:
    old = base()
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"]["label"]["type"] = ["string", "null"]

    assert found(old, new) == [("response-type-changed", "/components/schemas/Thing/properties/label/type")]
