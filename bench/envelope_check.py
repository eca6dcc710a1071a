"""The full check of sampled answers around a load run: THE envelope rule, plus what the load expects.

wrk's Lua script only prefilters fragments of each body; here every sampled answer goes through
:func:`medux_contract.envelope.judge` with the operation's response schema, and must also be the
answer the workload expects (its status and code: a load measures the success path).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import httpx

from bench.workload import Expectation, Workload
from medux_contract.envelope import judge
from medux_contract.envelope.rule import SchemaValidator
from medux_contract.spec import Contract, Operation, schema_validator


def response_validator(contract: Contract, operation: Operation) -> SchemaValidator:
    """A validator for the schema of ``operation``'s envelope, its refs resolved in the spec."""
    return schema_validator(contract.document, operation.response_schema)


def envelope_problems(
    operation: Operation,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    expect: Expectation,
    validator: SchemaValidator,
) -> list[str]:
    """Why this answer is not the conformant answer ``expect`` describes (empty when it is)."""
    verdict = judge(operation, status, headers, body, validator=validator)
    problems = verdict.problems()
    if status != expect.status:
        problems.append(f"HTTP {status}, expected {expect.status}")
    if verdict.envelope is not None and verdict.code != expect.code:
        problems.append(f"code {verdict.code}, expected {expect.code}")
    return problems


def send_request(client: httpx.Client, workload: Workload) -> httpx.Response:
    """The workload's request, sent once through ``client``."""
    content = None if workload.body is None else workload.body.encode()
    return client.request(workload.method, workload.url, content=content, headers=workload.headers())


def sample_answers(contract: Contract, workload: Workload, count: int) -> list[list[str]]:
    """Send the workload's request ``count`` times with httpx; the problems of each answer."""
    validator = response_validator(contract, contract.operation(workload.operation_id))
    results = []
    with httpx.Client(timeout=10) as client:
        for _ in range(count):
            try:
                response = send_request(client, workload)
            except httpx.HTTPError as exc:
                results.append([f"transport error: {exc.__class__.__name__}"])
                continue
            results.append(answer_problems(contract, workload, response, validator))
    return results


def answer_problems(
    contract: Contract, workload: Workload, response: httpx.Response, validator: SchemaValidator | None = None
) -> list[str]:
    """Why ``response`` is not the conformant answer ``workload`` expects (empty when it is)."""
    operation = contract.operation(workload.operation_id)
    return envelope_problems(
        operation,
        response.status_code,
        response.headers,
        response.content,
        expect=workload.expect,
        validator=validator or response_validator(contract, operation),
    )


def answer_without_key(workload: Workload) -> str:
    """What the server answers to the workload's request sent without credentials, in one line.

    The contract says code 13 whatever the status; a mock that answers success here would let a
    client's missing-key bug through its tests."""
    try:
        with httpx.Client(timeout=10) as client:
            response = send_request(client, workload.without_key())
    except httpx.HTTPError as exc:
        return f"transport error: {exc.__class__.__name__}"
    try:
        envelope = json.loads(response.content)
    except ValueError:
        return f"HTTP {response.status_code}, not JSON"
    if not isinstance(envelope, dict):
        return f"HTTP {response.status_code}, not an envelope"
    return f"HTTP {response.status_code}, code {envelope.get('code')!r} ({envelope.get('message')!r})"
