"""Rule: a request the spec calls invalid gets an error code for its input, never success.

Judged only for requests sent with the run's valid key (without it, the answer is the
credentials rule's business). What makes a request invalid is the operation's own: its query
parameters (type, bounds, required) and, when it takes one, its body. The accepted answers are
the operation's codes of the ``invalid_request`` group (12 invalid input, 1410 invalid model, ...)
and the refusals it may make before reading a request (rate limits).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import describe, rejecting_input
from medux_contract.conformance.credentials import Credentials, classify, valid_key
from medux_contract.conformance.judged import judged_answer
from medux_contract.conformance.request_facts import why_invalid


@schemathesis.check
def invalid_requests_are_rejected(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    request = response.request
    answer = judged_answer(case, response)
    if answer is None or classify(request.headers, valid_key(case)) is not Credentials.VALID:
        return True
    code = answer.verdict.code
    reason = why_invalid(answer.contract, answer.operation, request)
    if reason is None or code is None:
        return True
    operation = answer.operation
    accepted = rejecting_input(operation)
    if code in accepted:
        return None
    outcome = operation.outcome(code)
    verdict = "accepted" if outcome.is_success else "answered"
    raise AssertionError(
        f"the server {verdict} an invalid request to {operation.operation_id} ({reason}) with code "
        f"{code} {outcome.code.message!r}; expected one of: {describe(operation, accepted)}"
    )
