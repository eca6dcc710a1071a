"""Rule: where a server uses HTTP statuses, they do not contradict the envelope's code.

The contract lets the envelope arrive with any status (the vendor documents none), so only a
contradiction is a violation: a success code with a status from 300 up, or an error code with a
2xx status other than 200 (200 is how an all-200 server sends every outcome).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.judged import fail_with, judged_answer
from medux_contract.envelope import RuleName


@schemathesis.check
def status_agrees_with_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    answer = judged_answer(case, response)
    if answer is None or answer.verdict.envelope is None:
        return True
    fail_with(answer.problems(RuleName.STATUS))
    return None
