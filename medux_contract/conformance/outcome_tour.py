"""The outcome tour: against a server that lets a request choose its outcome (the embedded mock's
``Prefer: example=<name>``), one valid request per code each operation lists, judged by the same
checks as every generated case.

Generated requests reach only the outcomes the inputs decide (0, 12, 13, an unknown model); the
others (no credits, provider timeout, rate limit, server error) take an account in that state or
a provider failing. The mock can be asked for them, so a run against it sees, and judges, every
code of every operation. A live server ignores the header, so the tour is only for targets that
say they honour it.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema

from medux_contract.conformance.sender import Sender
from medux_contract.mock import prefer_example
from medux_contract.spec import Contract, Operation

PREFER = "Prefer"
ASKED_FOR_FAULTS = (not_a_server_error,)
"""Built-ins the tour leaves out: it asks for server and provider errors on purpose, and a status
of 5xx with that code's envelope is what it asked for (our checks still judge the envelope and the
status against its code)."""


def tour(
    schema: BaseSchema, contract: Contract, sender: Sender, key: str | None, seen: Mapping[str, Set[int]]
) -> int:
    """Send one request per (operation, code) the run has not ``seen`` yet; return how many.

    The success is never asked for: a chosen success creates nothing, and the stateful rules would
    look for what it seems to have created."""
    sent = 0
    for operation in contract.operations:
        api_operation = schema.find_operation_by_label(f"{operation.method.upper()} {operation.path}")
        if api_operation is None:
            continue
        for outcome in operation.outcomes:
            if outcome.is_success or outcome.value in seen.get(operation.operation_id, set()):
                continue
            headers = {PREFER: prefer_example(outcome)}
            if operation.secured and key:
                headers["Authorization"] = f"Bearer {key}"
            case = api_operation.Case(headers=headers, query=_query(operation), **_body(operation))
            sender.send_and_validate(case, excluded_checks=ASKED_FOR_FAULTS)
            sent += 1
    return sent


def _query(operation: Operation) -> dict[str, Any] | None:
    query = {p.name: p.example for p in operation.parameters if p.location == "query" and p.required}
    return query or None


def _body(operation: Operation) -> dict[str, Any]:
    if operation.request_schema is None or not operation.request_examples:
        return {}
    return {"body": next(iter(operation.request_examples.values())), "media_type": "application/json"}
