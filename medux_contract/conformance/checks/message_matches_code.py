"""Rule: ``message`` is the one the code table pairs with ``code``."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.envelope import envelope_or_none
from medux_contract.conformance.request_facts import targets_operation


@schemathesis.check
def message_matches_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    envelope = envelope_or_none(response) if targets_operation(response.request) else None
    if envelope is None:
        return True
    expected = codebook().by_code[envelope.code].message
    if not envelope.has_message:
        raise AssertionError(
            f"code {envelope.code} came without `message`; the table pairs it with {expected!r}"
        )
    if envelope.message != expected:
        raise AssertionError(
            f"code {envelope.code} came with message {envelope.message!r}; "
            f"the table pairs it with {expected!r}"
        )
    return None
