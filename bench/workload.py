"""One request per operation of the contract, as the load tests send it, and the answer it must get.

Everything comes from the spec model: the method and path, a valid request built from the
operation's own request example and parameters, the bearer key when the operation is secured, and
its success outcome (the code, the message the table pairs with it, the ``data`` members it carries
and their JSON types). A new operation in openapi.yaml gets a workload with no change here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from bench.errors import BenchError
from medux_contract.spec import Contract, Operation, Parameter

JSON_MEDIA_TYPE = "application/json"
# What a JSON value of each schema type starts with: the Lua prefilter looks for `"member": <opener>`.
_OPENERS = {"object": "{", "array": "[", "string": '"'}


@dataclass(frozen=True)
class Expectation:
    """The answer every request of a load must get to count as conformant."""

    status: int
    code: int
    message: str
    data_members: tuple[tuple[str, str | None], ...] = ()  # (member, its JSON type or None: any)

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.data_members)


@dataclass(frozen=True)
class Workload:
    """One operation's request, as wrk and httpx send it to a server at ``base_url``."""

    operation_id: str
    method: str  # upper-case, as on the wire
    base_url: str
    target: str  # the path with its query string
    body: str | None
    authorization: str | None
    expect: Expectation
    extra_headers: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return self.base_url + self.target

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": JSON_MEDIA_TYPE} if self.body is not None else {}
        headers.update(self.extra_headers)
        if self.authorization:
            headers["Authorization"] = self.authorization
        return headers

    def without_key(self) -> Workload:
        return replace(self, authorization=None)


def snake_case(operation_id: str) -> str:
    """``createAvatarByImage`` -> ``create_avatar_by_image``: how results and goal keys name it."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id).lower()
    return re.sub(r"[^a-z0-9]+", "_", words).strip("_")


def success_expectation(operation: Operation, contract: Contract) -> Expectation:
    success = operation.success
    kinds = operation.data_member_types
    return Expectation(
        # The status the mock's mapped mode pairs with success; every mode answers success with 200.
        status=contract.mock_http_status.get(success.value, 200),
        code=success.value,
        message=success.code.message,
        data_members=tuple((member, kinds.get(member)) for member in success.carries),
    )


def request_body(operation: Operation) -> str | None:
    """The operation's first request example as compact JSON (None when it takes no body)."""
    if not operation.has_body:
        return None
    if not operation.request_examples:
        raise BenchError(f"{operation.operation_id} takes a body but the spec gives no request example")
    example = next(iter(operation.request_examples.values()))
    return json.dumps(example, separators=(",", ":"))


def parameter_value(parameter: Parameter) -> str:
    """The parameter's documented example (else a value its schema accepts), as a query string
    carries it."""
    value = parameter.example if parameter.example is not None else _schema_value(parameter.schema)
    if value is None:
        raise BenchError(f"cannot build a value for parameter {parameter.name!r} ({parameter.pointer})")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _schema_value(schema: Mapping[str, Any]) -> Any:
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    for key in ("examples", "enum"):
        values = schema.get(key)
        if isinstance(values, list) and values:
            return values[0]
    kind = schema.get("type")
    if kind == "string" and not ({"pattern", "format"} & schema.keys()):
        # A made-up value can only be trusted where nothing but the length constrains it.
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return None


def request_target(operation: Operation, query: Mapping[str, str] | None = None) -> str:
    """The path plus a query string: every required query parameter, then ``query`` (which wins).

    Optional parameters are left out, so the server applies its defaults as for a first request."""
    params = {p.name: parameter_value(p) for p in operation.parameters_in("query") if p.required}
    params.update(query or {})
    return operation.path + (f"?{urlencode(params)}" if params else "")


def authorization(operation: Operation, key: str | None) -> str | None:
    """The ``Authorization`` value the load sends: ``Bearer <key>`` when the operation is secured."""
    if not key or not operation.secured:
        return None
    if not operation.uses_bearer:
        raise BenchError(
            f"{operation.operation_id} is secured by a scheme the bench cannot satisfy (only Bearer)"
        )
    return f"Bearer {key}"


def workload_for(
    operation: Operation,
    contract: Contract,
    base_url: str,
    *,
    key: str | None,
    query: Mapping[str, str] | None = None,
) -> Workload:
    """The load request of ``operation`` against ``base_url``; ``key`` is sent when it is secured."""
    return Workload(
        operation_id=operation.operation_id,
        method=operation.method.upper(),
        base_url=base_url,
        target=request_target(operation, query),
        body=request_body(operation),
        authorization=authorization(operation, key),
        expect=success_expectation(operation, contract),
    )


def workloads(contract: Contract, base_url: str, *, key: str | None) -> tuple[Workload, ...]:
    """One workload per operation of the contract, in the spec's order."""
    return tuple(workload_for(op, contract, base_url, key=key) for op in contract.operations)


def json_opener(kind: str | None) -> str:
    """What a JSON value of schema type ``kind`` starts with ("" when any value will do)."""
    return _OPENERS.get(kind or "", "")
