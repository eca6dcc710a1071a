"""The full conformance check of one answer, for the responses sampled with httpx around a load run.

wrk's Lua script can only look for fragments of the body; this validates the whole body against
the spec's response schema and the code table's code/message pairing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from bench.wrk import Expectation, Workload
from medux_contract.lint.spec_rules import schema_validator
from medux_contract.spec import code_table, load_spec, operation


def response_validator(spec: dict[str, Any] | None = None) -> Draft202012Validator:
    """A validator for the schema of the operation's 200 response."""
    spec = spec or load_spec()
    schema = operation(spec)["responses"]["200"]["content"]["application/json"]["schema"]
    return schema_validator(spec, schema)


def envelope_problems(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    expect: Expectation,
    validator: Draft202012Validator,
) -> list[str]:
    """Why this answer is not the conformant answer ``expect`` describes (empty when it is)."""
    problems = []
    if status != expect.status:
        problems.append(f"HTTP {status}, expected {expect.status}")
    content_type = headers.get("content-type", "")
    if not content_type.lower().startswith("application/json"):
        problems.append(f"content-type {content_type!r} is not application/json")
    try:
        envelope = json.loads(body)
    except ValueError:
        return [*problems, f"the body is not JSON: {body[:80]!r}"]
    problems += [f"schema: {error.message}" for error in validator.iter_errors(envelope)]
    if not isinstance(envelope, dict):
        return problems
    code, message = envelope.get("code"), envelope.get("message")
    paired = {entry.code: entry.message for entry in code_table()}
    if code in paired and message != paired[code]:
        problems.append(
            f"code {code} carries message {message!r}; the code table pairs it with {paired[code]!r}"
        )
    if code != expect.code:
        problems.append(f"code {code!r}, expected {expect.code}")
    data = envelope.get("data")
    missing = [member for member in expect.data_members if not isinstance(data, dict) or member not in data]
    if missing:
        problems.append(f"data lacks {missing}")
    return problems


def sample_answers(workload: Workload, count: int) -> list[list[str]]:
    """Send the workload's request ``count`` times with httpx; the problems of each answer."""
    validator = response_validator()
    headers = {"Content-Type": "application/json", **dict(workload.extra_headers)}
    if workload.authorization:
        headers["Authorization"] = workload.authorization
    results = []
    with httpx.Client(timeout=10) as client:
        for _ in range(count):
            try:
                response = client.post(workload.url, content=workload.body.encode(), headers=headers)
            except httpx.HTTPError as exc:
                results.append([f"transport error: {exc.__class__.__name__}"])
                continue
            results.append(
                envelope_problems(
                    response.status_code, response.headers, response.content, workload.expect, validator
                )
            )
    return results


def answer_without_key(workload: Workload) -> str:
    """What the server answers to the workload's request sent without credentials, in one line.

    The contract says code 13 whatever the status; a mock that answers success here would let a
    client's missing-key bug through its tests."""
    headers = {"Content-Type": "application/json", **dict(workload.extra_headers)}
    try:
        response = httpx.post(workload.url, content=workload.body.encode(), headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        return f"transport error: {exc.__class__.__name__}"
    try:
        envelope = json.loads(response.content)
    except ValueError:
        return f"HTTP {response.status_code}, not JSON"
    if not isinstance(envelope, dict):
        return f"HTTP {response.status_code}, not an envelope"
    return f"HTTP {response.status_code}, code {envelope.get('code')!r} ({envelope.get('message')!r})"
