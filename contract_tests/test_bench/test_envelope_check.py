"""bench/envelope_check.py: sampled answers are judged by THE envelope rule, per operation, plus the
status and code the load expects."""

from __future__ import annotations

import json

import pytest

from bench.envelope_check import envelope_problems, response_validator
from bench.workload import Expectation
from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.envelope import RuleName, judge
from medux_contract.spec import SPEC_PATH, Contract, Operation, Outcome, contract_of, load_contract, read_spec

JSON = {"content-type": "application/json"}
CONTRACT = load_contract()
FIXTURE = contract_of(with_fixture_operation(read_spec(SPEC_PATH)))
OUTCOMES = [
    pytest.param(CONTRACT, op, outcome, id=f"{op.operation_id}-{outcome.code.name}")
    for op in CONTRACT.operations
    for outcome in op.outcomes
]


def expectation(outcome: Outcome, status: int = 200) -> Expectation:
    return Expectation(status=status, code=outcome.value, message=outcome.code.message)


def example_body(outcome: Outcome) -> bytes:
    assert outcome.example is not None, f"the spec has no example for {outcome.code.name}"
    return json.dumps(outcome.example).encode()


def problems(
    contract: Contract, op: Operation, body: bytes, expect: Expectation, status: int = 200
) -> list[str]:
    validator = response_validator(contract, op)
    return envelope_problems(op, status, JSON, body, expect=expect, validator=validator)


@pytest.mark.parametrize(("contract", "op", "outcome"), OUTCOMES)
def test_the_spec_example_of_each_outcome_of_each_operation_is_conformant(
    contract: Contract, op: Operation, outcome: Outcome
) -> None:
    assert problems(contract, op, example_body(outcome), expectation(outcome)) == []


@pytest.mark.parametrize(("contract", "op", "outcome"), OUTCOMES)
def test_a_message_the_table_does_not_pair_with_the_code_is_flagged_by_the_rule(
    contract: Contract, op: Operation, outcome: Outcome
) -> None:
    other = next(row for row in contract.codes if row.code != outcome.value)
    body = json.dumps({**(outcome.example or {}), "message": other.message}).encode()
    found = problems(contract, op, body, expectation(outcome))
    assert any(problem.startswith(RuleName.MESSAGE) for problem in found), found


def test_the_check_reports_exactly_what_the_envelope_rule_finds() -> None:
    op = CONTRACT.operations[0]
    body = json.dumps({"code": op.success.value, "message": "nope"}).encode()
    verdict = judge(op, 200, JSON, body, validator=response_validator(CONTRACT, op))
    assert not verdict.ok
    assert problems(CONTRACT, op, body, expectation(op.success)) == verdict.problems()


PARTIAL = [op for op in CONTRACT.operations if len(op.codes) < len(CONTRACT.codes)]


def test_some_operation_answers_only_part_of_the_table() -> None:
    assert PARTIAL  # else the next test would prove nothing


@pytest.mark.parametrize("op", PARTIAL, ids=lambda op: op.operation_id)
def test_a_code_of_the_table_that_this_operation_cannot_answer_is_flagged(op: Operation) -> None:
    foreign = next(row for row in CONTRACT.codes if not op.answers(row.code))
    body = json.dumps({"code": foreign.code, "message": foreign.message}).encode()
    found = problems(CONTRACT, op, body, expectation(op.success))
    assert any(problem.startswith(RuleName.ENVELOPE) and op.operation_id in problem for problem in found), (
        found
    )


def test_another_code_than_the_load_expects_is_flagged() -> None:
    op = CONTRACT.operations[0]
    failure = next(outcome for outcome in op.outcomes if not outcome.is_success)
    found = problems(CONTRACT, op, example_body(failure), expectation(op.success))
    assert found == [f"code {failure.value}, expected {op.success.value}"]


def test_a_status_other_than_the_expected_one_is_flagged() -> None:
    op = CONTRACT.operations[0]
    found = problems(CONTRACT, op, example_body(op.success), expectation(op.success), status=201)
    assert found == ["HTTP 201, expected 200"]


def test_a_code_outside_the_enum_fails_schema_validation() -> None:
    op = CONTRACT.operations[0]
    found = problems(
        CONTRACT, op, json.dumps({"code": 777, "message": "what"}).encode(), expectation(op.success)
    )
    assert any(problem.startswith(RuleName.SCHEMA) for problem in found), found


def test_status_content_type_and_body_format_are_checked() -> None:
    op = CONTRACT.operations[0]
    validator = response_validator(CONTRACT, op)
    found = envelope_problems(
        op,
        500,
        {"content-type": "text/html"},
        b"<h1>oops</h1>",
        expect=expectation(op.success),
        validator=validator,
    )
    assert found[0].startswith(RuleName.ENVELOPE)
    assert "text/html" in found[0]
    assert "HTTP 500, expected 200" in found


@pytest.mark.parametrize("op", CONTRACT.operations, ids=lambda op: op.operation_id)
def test_success_without_the_data_it_carries_is_flagged(op: Operation) -> None:
    assert op.success.carries, "every success of the spec carries data"
    body = json.dumps({"code": op.success.value, "message": op.success.code.message}).encode()
    found = problems(CONTRACT, op, body, expectation(op.success))
    assert [problem for problem in found if problem.startswith(RuleName.DATA)], found


def test_the_made_up_fixture_operation_is_judged_against_its_own_schema_and_codes() -> None:
    op = FIXTURE.operation(FIXTURE_OPERATION_ID)
    assert problems(FIXTURE, op, example_body(op.success), expectation(op.success)) == []
    wrong_type = {**(op.success.example or {}), "data": {"widget": "ready"}}
    found = problems(FIXTURE, op, json.dumps(wrong_type).encode(), expectation(op.success))
    assert any(problem.startswith(RuleName.DATA) for problem in found), found
    assert any(problem.startswith(RuleName.SCHEMA) for problem in found), found
