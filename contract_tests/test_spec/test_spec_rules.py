"""Our own spec rules hold for openapi.yaml, and each one fails, naming the node, on a spec that breaks it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.fixture_operation import FIXTURE_PATH, with_fixture_operation
from medux_contract.lint.spec_rules import (
    RULES,
    Rule,
    rule_code_table_is_well_formed,
    rule_enums_match_code_table,
    rule_examples_validate,
    rule_mcp_tool_is_described,
    rule_mock_statuses_cover_every_code,
    rule_one_example_per_code,
    rule_operations_are_modelled,
    rule_outcomes_are_well_formed,
    run_rules,
)
from medux_contract.spec import CODE_TABLE_KEY, MCP_TOOL_KEY, MOCK_KEY, OUTCOMES_KEY, load_contract, load_spec

Spec = dict[str, Any]
CREATE_PATH = "/api/app/v1/clone/avatar/by_image"
LIST_PATH = "/api/app/v1/clone/avatars"
CREATE_AT = "/paths/~1api~1app~1v1~1clone~1avatar~1by_image/post"
LIST_AT = "/paths/~1api~1app~1v1~1clone~1avatars/get"
FIXTURE_AT = "/paths/" + FIXTURE_PATH.replace("/", "~1") + "/get"
EXAMPLES = "responses/200/content/application~1json/examples"


def mutated(change: Callable[[Spec], object], base: Spec | None = None) -> Spec:
    spec = copy.deepcopy(base if base is not None else load_spec())
    change(spec)
    return spec


def create(spec: Spec) -> dict[str, Any]:
    node: dict[str, Any] = spec["paths"][CREATE_PATH]["post"]
    return node


def listing(spec: Spec) -> dict[str, Any]:
    node: dict[str, Any] = spec["paths"][LIST_PATH]["get"]
    return node


def examples_of(operation: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]["examples"]
    return examples


def request_examples(spec: Spec) -> dict[str, Any]:
    examples: dict[str, Any] = create(spec)["requestBody"]["content"]["application/json"]["examples"]
    return examples


def schemas(spec: Spec) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"]
    return found


def starting_with(prefix: str, problems: list[str]) -> list[str]:
    return [problem for problem in problems if problem.startswith(prefix)]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_committed_spec_satisfies_rule(rule: Rule) -> None:
    assert rule(load_spec()) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_spec_with_the_fixture_operation_satisfies_rule(rule: Rule) -> None:
    assert rule(with_fixture_operation(load_spec())) == []


def test_the_fixture_operation_is_linted_like_the_real_ones() -> None:
    def drop_its_example(spec: Spec) -> None:
        examples_of(spec["paths"][FIXTURE_PATH]["get"]).pop("unauthenticated")

    problems = rule_one_example_per_code(mutated(drop_its_example, with_fixture_operation(load_spec())))
    assert problems == [
        f"{FIXTURE_AT}/{EXAMPLES}/unauthenticated: code 13 needs exactly one 200 example named "
        "'unauthenticated', found []"
    ]


def test_code_table_has_the_twelve_documented_codes_in_vendor_order() -> None:
    assert [entry.code for entry in load_contract().codes] == [
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


# The code table ---------------------------------------------------------------------------------


def test_a_per_operation_column_in_the_code_table_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][0].update(billable=True))
    assert starting_with(f"/{CODE_TABLE_KEY}/0/billable: not a column", rule_code_table_is_well_formed(spec))


def test_a_retry_value_outside_the_three_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][9].update(retry="sometimes"))
    assert starting_with(f"/{CODE_TABLE_KEY}/9/retry: must be one of", rule_code_table_is_well_formed(spec))


def test_the_old_retryable_column_is_caught() -> None:
    def old_shape(spec: Spec) -> None:
        spec[CODE_TABLE_KEY][10]["retryable"] = spec[CODE_TABLE_KEY][10].pop("retry") == "always"

    problems = rule_code_table_is_well_formed(mutated(old_shape))
    assert starting_with(f"/{CODE_TABLE_KEY}/10/retry: must be a str", problems), problems


def test_malformed_code_table_row_is_reported_not_raised() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][3].update(code="1409"))
    assert rule_code_table_is_well_formed(spec) == [f"/{CODE_TABLE_KEY}/3/code: must be a int, got '1409'"]
    results = run_rules(spec)
    # Examples are validated against their schemas whatever the table: that rule still runs.
    assert results.pop(rule_examples_validate.__name__) == []
    for rule in RULES[1:]:
        if rule is rule_examples_validate:
            continue
        assert results[rule.__name__] == [
            f"/{CODE_TABLE_KEY}: the code table is malformed (see rule_code_table_is_well_formed)"
        ], rule.__name__


def test_duplicate_message_in_code_table_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][2].update(message="invalid input"))
    assert rule_code_table_is_well_formed(spec) == [f"/{CODE_TABLE_KEY}: duplicate message invalid input"]


def test_error_code_without_exception_class_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][1].update(exception=None))
    assert rule_code_table_is_well_formed(spec) == [
        f"/{CODE_TABLE_KEY}/1/exception: code 12: exactly the success code has no exception"
    ]


def test_name_that_is_not_upper_snake_is_caught() -> None:
    spec = mutated(lambda s: s[CODE_TABLE_KEY][1].update(name="InvalidInput"))
    assert starting_with(f"/{CODE_TABLE_KEY}/1/name:", rule_code_table_is_well_formed(spec))


# Enums ------------------------------------------------------------------------------------------


def test_varnames_shorter_than_enum_is_caught_before_generation() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseCode"]["x-enum-varnames"].pop())
    problems = rule_enums_match_code_table(spec)
    assert any("VALUE_<n>" in problem for problem in problems), problems


def test_missing_varnames_is_caught() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseMessage"].pop("x-enum-varnames"))
    problems = rule_enums_match_code_table(spec)
    assert starting_with("/components/schemas/ResponseMessage/x-enum-varnames:", problems), problems


def test_code_enum_with_a_code_missing_from_the_table_is_caught() -> None:
    spec = mutated(lambda s: schemas(s)["ResponseCode"]["enum"].append(777))
    assert starting_with("/components/schemas/ResponseCode/enum:", rule_enums_match_code_table(spec))


def test_message_enum_out_of_pairing_order_is_caught() -> None:
    def swap(spec: Spec) -> None:
        messages = schemas(spec)["ResponseMessage"]["enum"]
        messages[1], messages[2] = messages[2], messages[1]

    assert starting_with(
        "/components/schemas/ResponseMessage/enum:", rule_enums_match_code_table(mutated(swap))
    )


# The mock's statuses ----------------------------------------------------------------------------

STATUSES = f"/{MOCK_KEY}/mapped_http_status"


def statuses(spec: Spec) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = spec[MOCK_KEY]["mapped_http_status"]
    return rows


def test_a_code_without_a_mock_status_is_caught() -> None:
    spec = mutated(lambda s: statuses(s).pop(4))
    assert rule_mock_statuses_cover_every_code(spec) == [f"{STATUSES}: no status for code 1401"]


def test_a_code_with_two_mock_statuses_is_caught() -> None:
    spec = mutated(lambda s: statuses(s).append({"code": 0, "status": 201}))
    assert rule_mock_statuses_cover_every_code(spec) == [
        f"{STATUSES}/12/code: code 0 is given a status twice"
    ]


def test_a_mock_status_that_is_no_http_status_is_caught() -> None:
    spec = mutated(lambda s: statuses(s)[1].update(status=700))
    assert rule_mock_statuses_cover_every_code(spec) == [
        f"{STATUSES}/1/status: 700 is not an HTTP status from 100 to 599"
    ]


def test_a_mock_status_for_an_unknown_code_is_caught() -> None:
    spec = mutated(lambda s: statuses(s).append({"code": 777, "status": 400}))
    assert rule_mock_statuses_cover_every_code(spec) == [
        f"{STATUSES}/12/code: 777 is not a code of {CODE_TABLE_KEY}"
    ]


def test_a_spec_without_mock_statuses_is_caught() -> None:
    spec = mutated(lambda s: s.pop(MOCK_KEY))
    assert starting_with(f"{STATUSES}: must be a list", rule_mock_statuses_cover_every_code(spec))


# Operations and their outcomes ------------------------------------------------------------------


def test_an_operation_without_outcomes_is_reported_and_the_rules_that_need_it_defer() -> None:
    spec = mutated(lambda s: listing(s).pop(OUTCOMES_KEY))
    assert starting_with(f"{LIST_AT}/{OUTCOMES_KEY}:", rule_operations_are_modelled(spec))
    deferred = ["the spec model cannot be read (see rule_operations_are_modelled)"]
    assert rule_outcomes_are_well_formed(spec) == deferred
    assert rule_one_example_per_code(spec) == deferred


def test_a_spec_without_operations_is_reported() -> None:
    spec = mutated(lambda s: s.__setitem__("paths", {}))
    assert rule_operations_are_modelled(spec) == ["/paths: the spec has no operation"]


def test_an_outcome_code_missing_from_the_table_is_caught() -> None:
    spec = mutated(lambda s: listing(s)[OUTCOMES_KEY].append({"code": 777, "carries": [], "billable": False}))
    assert starting_with(f"{LIST_AT}/{OUTCOMES_KEY}/4/code:", rule_operations_are_modelled(spec))


def test_outcomes_out_of_table_order_are_caught() -> None:
    def swap(spec: Spec) -> None:
        rows = listing(spec)[OUTCOMES_KEY]
        rows[1], rows[2] = rows[2], rows[1]

    assert rule_outcomes_are_well_formed(mutated(swap)) == [
        f"{LIST_AT}/{OUTCOMES_KEY}: codes [0, 13, 12, 99] are not in the order of {CODE_TABLE_KEY}"
    ]


def test_an_operation_without_the_success_code_is_caught() -> None:
    spec = mutated(lambda s: listing(s)[OUTCOMES_KEY].pop(0))
    assert f"{LIST_AT}/{OUTCOMES_KEY}: listAvatars lists no success code 0" in rule_outcomes_are_well_formed(
        spec
    )


def test_carrying_a_member_the_operation_data_schema_does_not_declare_is_caught() -> None:
    # `asset` is a member of Create Avatar by Image's data, not of a page of List Avatars.
    spec = mutated(lambda s: listing(s)[OUTCOMES_KEY][0].update(carries=["asset"]))
    assert rule_outcomes_are_well_formed(spec) == [
        f"{LIST_AT}/{OUTCOMES_KEY}/0/carries: ['asset'] are not members of the `data` schema of "
        "listAvatars's envelope"
    ]


def test_an_api_wide_column_in_an_operation_outcome_is_caught() -> None:
    spec = mutated(lambda s: create(s)[OUTCOMES_KEY][10].update(retryable=True))
    assert starting_with(
        f"{CREATE_AT}/{OUTCOMES_KEY}/10/retryable: not a column", rule_outcomes_are_well_formed(spec)
    )


# The 200 examples, one per code, judged by the envelope rule ------------------------------------


def test_example_with_a_message_not_paired_with_its_code_is_caught() -> None:
    def wrong_message(spec: Spec) -> None:
        examples_of(create(spec))["rate_limited"]["value"]["message"] = "server error"

    problems = rule_one_example_per_code(mutated(wrong_message))
    assert problems == [
        f"{CREATE_AT}/{EXAMPLES}/rate_limited: message_matches_code: code 16 came with message "
        "'server error'; the table pairs it with 'rate limit'"
    ]


def test_code_without_an_example_is_caught() -> None:
    problems = rule_one_example_per_code(mutated(lambda s: examples_of(create(s)).pop("provider_timeout")))
    assert starting_with(f"{CREATE_AT}/{EXAMPLES}/provider_timeout: code 1405 needs exactly one", problems)


def test_code_with_two_examples_is_caught() -> None:
    def duplicate(spec: Spec) -> None:
        examples_of(listing(spec))["another_ok"] = copy.deepcopy(examples_of(listing(spec))["ok"])

    problems = rule_one_example_per_code(mutated(duplicate))
    assert problems == [
        f"{LIST_AT}/{EXAMPLES}/ok: code 0 needs exactly one 200 example named 'ok', "
        "found ['ok', 'another_ok']"
    ]


def test_example_of_a_code_the_operation_cannot_answer_is_caught() -> None:
    def billing_example_on_the_list(spec: Spec) -> None:
        examples = examples_of(listing(spec))
        examples["insufficient_credits"] = copy.deepcopy(examples_of(create(spec))["insufficient_credits"])

    problems = rule_one_example_per_code(mutated(billing_example_on_the_list))
    assert problems == [
        f"{LIST_AT}/{OUTCOMES_KEY}: 200 examples ['insufficient_credits'] use code 1401, "
        "which listAvatars cannot answer"
    ]


def test_success_example_without_the_data_its_code_carries_is_caught() -> None:
    problems = rule_one_example_per_code(
        mutated(lambda s: examples_of(listing(s))["ok"]["value"].pop("data"))
    )
    assert problems == [
        f"{LIST_AT}/{EXAMPLES}/ok: code_carries_its_data: code 0 came with no `data`; "
        "it must carry data.items"
    ]


def test_example_against_the_operation_response_schema_is_caught_once() -> None:
    def numeric_cursor(spec: Spec) -> None:
        examples_of(listing(spec))["ok"]["value"]["data"]["next_cursor"] = 5

    spec = mutated(numeric_cursor)
    assert rule_one_example_per_code(spec) == [
        f"{LIST_AT}/{EXAMPLES}/ok: envelope_matches_schema: data/next_cursor: 5 is not of type 'string'"
    ]
    assert rule_examples_validate(spec) == []


# Every other example ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("break_example", "where"),
    [
        (
            lambda s: request_examples(s)["minimal"]["value"].update(file_id=""),
            f"{CREATE_AT}/requestBody/content/application~1json/examples/minimal",
        ),
        (
            lambda s: request_examples(s)["minimal"]["value"].pop("file_id"),
            f"{CREATE_AT}/requestBody/content/application~1json/examples/minimal",
        ),
        (lambda s: listing(s)["parameters"][1].update(example=0), f"{LIST_AT}/parameters/1/example"),
        (
            lambda s: schemas(s)["Asset"]["properties"]["avatar_asset_id"].update(examples=[123]),
            "/components/schemas/Asset/properties/avatar_asset_id/examples/0",
        ),
    ],
    ids=["request-empty-file-id", "request-without-file-id", "list-limit-below-minimum", "schema-example"],
)
def test_example_that_violates_its_schema_is_caught(
    break_example: Callable[[Spec], object], where: str
) -> None:
    problems = rule_examples_validate(mutated(break_example))
    assert starting_with(f"{where}: ", problems), problems


# The MCP tool, optional per operation -----------------------------------------------------------


def test_mcp_tool_without_title_is_caught() -> None:
    spec = mutated(lambda s: create(s)[MCP_TOOL_KEY].pop("title"))
    assert rule_mcp_tool_is_described(spec) == [
        f"{CREATE_AT}/{MCP_TOOL_KEY}/title: must be a non-empty string"
    ]


def test_mcp_tool_that_is_not_a_mapping_is_caught() -> None:
    spec = mutated(lambda s: listing(s).update({MCP_TOOL_KEY: "list_avatars"}))
    assert rule_mcp_tool_is_described(spec) == [f"{LIST_AT}/{MCP_TOOL_KEY}: must be a mapping"]


def test_an_operation_without_an_mcp_tool_passes() -> None:
    spec = mutated(lambda s: create(s).pop(MCP_TOOL_KEY))
    assert rule_mcp_tool_is_described(spec) == []
