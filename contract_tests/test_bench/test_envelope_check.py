"""bench/envelope_check.py: the full check of sampled answers, driven by the spec's examples and table."""

from __future__ import annotations

import json

import pytest

from bench.envelope_check import envelope_problems, response_validator
from bench.wrk import Expectation
from medux_contract.spec import CodeEntry, code_table, load_spec, operation

JSON = {"content-type": "application/json"}
EXAMPLES = operation(load_spec())["responses"]["200"]["content"]["application/json"]["examples"]
VALIDATOR = response_validator()


def expectation(entry: CodeEntry, status: int = 200) -> Expectation:
    return Expectation(status=status, code=entry.code, message=entry.message, data_members=entry.carries)


def example_body(entry: CodeEntry) -> bytes:
    return json.dumps(EXAMPLES[entry.example_name]["value"]).encode()


@pytest.mark.parametrize("entry", code_table(), ids=lambda entry: entry.name)
def test_the_spec_example_of_each_code_is_conformant(entry: CodeEntry) -> None:
    assert envelope_problems(200, JSON, example_body(entry), expectation(entry), VALIDATOR) == []


@pytest.mark.parametrize("entry", code_table(), ids=lambda entry: entry.name)
def test_a_message_the_table_does_not_pair_with_the_code_is_flagged(entry: CodeEntry) -> None:
    other = next(row for row in code_table() if row.code != entry.code)
    body = {**EXAMPLES[entry.example_name]["value"], "message": other.message}
    problems = envelope_problems(200, JSON, json.dumps(body).encode(), expectation(entry), VALIDATOR)
    assert any("pairs it with" in problem for problem in problems), problems


def test_another_code_than_expected_is_flagged() -> None:
    success, failure = code_table()[0], code_table()[1]
    problems = envelope_problems(200, JSON, example_body(failure), expectation(success), VALIDATOR)
    assert f"code {failure.code}, expected {success.code}" in problems


def test_a_code_outside_the_enum_fails_schema_validation() -> None:
    success = next(entry for entry in code_table() if entry.is_success)
    body = json.dumps({"code": 777, "message": "what"}).encode()
    problems = envelope_problems(200, JSON, body, expectation(success), VALIDATOR)
    assert any(problem.startswith("schema:") for problem in problems), problems


def test_status_content_type_and_body_format_are_checked() -> None:
    success = next(entry for entry in code_table() if entry.is_success)
    problems = envelope_problems(
        500, {"content-type": "text/html"}, b"<h1>oops</h1>", expectation(success), VALIDATOR
    )
    assert problems[0] == "HTTP 500, expected 200"
    assert "is not application/json" in problems[1]
    assert "the body is not JSON" in problems[2]


def test_success_without_the_payload_it_carries_is_flagged() -> None:
    success = next(entry for entry in code_table() if entry.is_success and entry.carries)
    body = json.dumps({"code": success.code, "message": success.message}).encode()
    problems = envelope_problems(200, JSON, body, expectation(success), VALIDATOR)
    assert problems == [f"data lacks {list(success.carries)}"]
