"""Rule: a request the spec calls invalid gets an error code for its input, never success.

Judged only for requests sent with the run's valid key (without it, the answer is the
credentials rule's business). The accepted answers are the table's ``invalid_request`` group
(12 invalid input, 1410 invalid model, ...) and refusals made before reading the request (rate
limits).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.credentials import Credentials, classify, valid_key
from medux_contract.conformance.envelope import envelope_or_none
from medux_contract.conformance.request_facts import targets_operation, why_invalid


@schemathesis.check
def invalid_requests_are_rejected(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    request = response.request
    if not targets_operation(request) or classify(request.headers, valid_key(case)) is not Credentials.VALID:
        return True
    reason = why_invalid(request)
    envelope = envelope_or_none(response)
    if reason is None or envelope is None:
        return True
    table = codebook()
    accepted = table.invalid_request | table.refused_before_work
    if envelope.code in accepted:
        return None
    entry = table.by_code[envelope.code]
    verdict = "accepted" if entry.is_success else "answered"
    raise AssertionError(
        f"the server {verdict} an invalid request ({reason}) with code {entry.code} {entry.message!r}; "
        f"expected one of: {table.describe(accepted)}"
    )
