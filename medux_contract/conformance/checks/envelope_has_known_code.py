"""Rule: every answer to the operation is a JSON envelope whose ``code`` is in the code table,
whatever the HTTP status. The one check that reports non-JSON bodies; the others skip them."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.envelope import NotAnEnvelope, read_envelope
from medux_contract.conformance.request_facts import targets_operation


@schemathesis.check
def envelope_has_known_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    if not targets_operation(response.request):
        return True
    try:
        read_envelope(response)
    except NotAnEnvelope as exc:
        raise AssertionError(f"Not a Medux envelope: {exc}") from None
    return None
