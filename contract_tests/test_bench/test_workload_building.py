"""bench/workload.py: one load request per operation, built from the spec model alone, so a new
operation (the made-up fixture GET) gets its workload with no code change."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.errors import BenchError
from bench.workload import (
    Workload,
    parameter_value,
    request_target,
    snake_case,
    workload_for,
    workloads,
)
from contract_tests.fixture_operation import (
    FIXTURE_METHOD,
    FIXTURE_OPERATION_ID,
    FIXTURE_PATH,
    with_fixture_operation,
)
from medux_contract.spec import (
    SPEC_PATH,
    Operation,
    Parameter,
    contract_of,
    load_contract,
    read_spec,
)
from medux_contract.spec.model import SecurityScheme

BASE = "http://127.0.0.1:4010"
CONTRACT = load_contract()
FIXTURE = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))


def query_of(load: Workload) -> dict[str, list[str]]:
    return parse_qs(urlsplit(load.target).query)


def test_every_operation_of_the_spec_gets_one_workload_in_the_spec_order() -> None:
    built = workloads(CONTRACT, BASE, key="k")
    assert [load.operation_id for load in built] == [op.operation_id for op in CONTRACT.operations]
    assert {load.method for load in built} >= {"GET", "POST"}


@pytest.mark.parametrize("op", CONTRACT.operations, ids=lambda op: op.operation_id)
def test_a_workload_sends_the_operations_method_and_path_to_the_server(op: Operation) -> None:
    load = workload_for(op, CONTRACT, BASE, key="k")
    assert load.method == op.method.upper()
    assert urlsplit(load.url).path == op.path
    assert load.url.startswith(BASE + op.path)


def test_an_operation_with_a_body_sends_its_first_request_example_as_json() -> None:
    op = next(op for op in CONTRACT.operations if op.has_body)
    load = workload_for(op, CONTRACT, BASE, key="k")
    assert load.body is not None
    assert json.loads(load.body) == next(iter(op.request_examples.values()))
    assert load.headers()["Content-Type"] == "application/json"


def test_an_operation_without_a_body_sends_none_and_no_content_type() -> None:
    op = next(op for op in CONTRACT.operations if not op.has_body)
    load = workload_for(op, CONTRACT, BASE, key="k")
    assert load.body is None
    assert "Content-Type" not in load.headers()


def test_optional_query_parameters_are_left_to_the_servers_defaults() -> None:
    op = next(op for op in CONTRACT.operations if op.parameters_in("query"))
    assert not any(p.required for p in op.parameters_in("query"))
    assert query_of(workload_for(op, CONTRACT, BASE, key="k")) == {}


def test_explicit_query_values_are_added_to_the_target() -> None:
    op = next(op for op in CONTRACT.operations if op.parameters_in("query"))
    target = request_target(op, {"limit": "5", "cursor": "abc"})
    assert target.startswith(op.path + "?")
    assert parse_qs(urlsplit(target).query) == {"limit": ["5"], "cursor": ["abc"]}


def test_a_secured_operation_sends_the_key_as_a_bearer_token_and_without_key_none() -> None:
    op = CONTRACT.operations[0]
    assert op.secured
    load = workload_for(op, CONTRACT, BASE, key="sk_test")
    assert load.headers()["Authorization"] == "Bearer sk_test"
    assert "Authorization" not in load.without_key().headers()


def test_an_operation_secured_otherwise_than_by_bearer_is_a_clear_error() -> None:
    op = replace(CONTRACT.operations[0], security_schemes=(SecurityScheme("apiKeyHeader", "apiKey", "", ""),))
    with pytest.raises(BenchError, match="only Bearer"):
        workload_for(op, CONTRACT, BASE, key="sk_test")


def test_the_fixture_operation_gets_a_get_with_its_required_query_parameter_and_no_body() -> None:
    op = FIXTURE.operation(FIXTURE_OPERATION_ID)
    load = next(load for load in workloads(FIXTURE, BASE, key="k") if load.operation_id == op.operation_id)
    assert (load.method, urlsplit(load.url).path) == (FIXTURE_METHOD.upper(), FIXTURE_PATH)
    assert load.body is None
    # widget_id is required and sent with its documented example; `verbose` is optional.
    assert query_of(load) == {"widget_id": ["widget_1"]}
    assert (load.expect.code, load.expect.message) == (0, "ok")
    assert load.expect.data_members == (("widget", "object"),)
    assert load.authorization == "Bearer k"


def param(schema: dict[str, object], name: str = "p", example: object = None) -> Parameter:
    return Parameter(
        name=name,
        location="query",
        required=True,
        schema=schema,
        description="",
        pointer="#/x",
        example=example,
    )


@pytest.mark.parametrize(("example", "value"), [("widget_1", "widget_1"), (7, "7"), (True, "true")])
def test_a_parameters_documented_example_comes_first(example: object, value: str) -> None:
    assert parameter_value(param({"type": "string", "default": "other"}, example=example)) == value


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "integer", "default": 20, "minimum": 1}, "20"),
        ({"type": "string", "enum": ["a", "b"]}, "a"),
        ({"type": "string", "examples": ["FILE_ID"]}, "FILE_ID"),
        ({"type": "string", "minLength": 3}, "xxx"),
        ({"type": "integer", "minimum": 5}, "5"),
        ({"type": "boolean"}, "false"),
        ({"type": "boolean", "default": True}, "true"),
    ],
)
def test_a_parameter_value_is_one_its_schema_accepts(schema: dict[str, object], value: str) -> None:
    assert parameter_value(param(schema)) == value


@pytest.mark.parametrize(
    "schema",
    [{"type": "object"}, {"type": "string", "pattern": "^w_[0-9]+$"}, {"type": "string", "format": "uuid"}],
)
def test_a_parameter_whose_valid_value_cannot_be_made_up_is_a_clear_error(schema: dict[str, object]) -> None:
    with pytest.raises(BenchError, match="parameter 'odd'"):
        parameter_value(param(schema, name="odd"))


@pytest.mark.parametrize(
    ("operation_id", "snake"),
    [
        ("createAvatarByImage", "create_avatar_by_image"),
        ("listAvatars", "list_avatars"),
        ("getWidgetStatus", "get_widget_status"),
        ("get-URL2Thing", "get_url2_thing"),
    ],
)
def test_goal_keys_name_the_operation_in_snake_case(operation_id: str, snake: str) -> None:
    assert snake_case(operation_id) == snake
