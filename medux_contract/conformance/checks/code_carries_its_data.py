"""Rule: a code carries the ``data`` members the table's ``carries`` column promises (code 0: the
created asset in ``data.asset``)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.envelope import envelope_or_none
from medux_contract.conformance.request_facts import targets_operation


@schemathesis.check
def code_carries_its_data(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    envelope = envelope_or_none(response) if targets_operation(response.request) else None
    if envelope is None:
        return True
    promised = codebook().by_code[envelope.code].carries
    if not promised:
        return True
    data = envelope.data
    if not isinstance(data, dict):
        shown = "no `data`" if data is None else f"`data` of type {type(data).__name__}"
        raise AssertionError(
            f"code {envelope.code} came with {shown}; it must carry data.{', data.'.join(promised)}"
        )
    missing = [member for member in promised if not isinstance(data.get(member), dict)]
    if missing:
        raise AssertionError(
            f"code {envelope.code} must carry data.{', data.'.join(promised)} as objects; "
            f"missing or not an object: data.{', data.'.join(missing)}"
        )
    return None
