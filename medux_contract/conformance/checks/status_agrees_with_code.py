"""Rule: where a server uses HTTP statuses, they do not contradict the envelope's code.

The contract lets the envelope arrive with any status (the vendor documents none), so only a
contradiction is a violation: a success code with a status from 300 up, or an error code with a
2xx status other than 200 (200 is how an all-200 server sends every outcome).
"""

from __future__ import annotations

import http
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.codebook import codebook
from medux_contract.conformance.envelope import envelope_or_none
from medux_contract.conformance.request_facts import targets_operation

ALL_OUTCOMES_STATUS = http.HTTPStatus.OK


@schemathesis.check
def status_agrees_with_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    envelope = envelope_or_none(response) if targets_operation(response.request) else None
    if envelope is None:
        return True
    status = response.status_code
    entry = codebook().by_code[envelope.code]
    if entry.is_success and not 200 <= status < 300:
        raise AssertionError(
            f"code {entry.code} {entry.message!r} came with HTTP {status}: success needs a 2xx status"
        )
    if not entry.is_success and 200 <= status < 300 and status != ALL_OUTCOMES_STATUS:
        raise AssertionError(
            f"error code {entry.code} {entry.message!r} came with HTTP {status}: an error may use 200 "
            "(as an all-200 server does) or a 4xx/5xx status, never another 2xx"
        )
    return None
