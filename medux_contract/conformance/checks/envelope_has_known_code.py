"""Rule: every answer to an operation is a JSON envelope whose ``code`` is one that operation can
answer (its ``x-medux-outcomes``), whatever the HTTP status. The one check that reports non-JSON
bodies and foreign codes; the others skip them."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.judged import fail_with, judged_answer
from medux_contract.envelope import RuleName


@schemathesis.check
def envelope_has_known_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    answer = judged_answer(case, response)
    if answer is None:
        return True
    fail_with(answer.problems(RuleName.ENVELOPE), prefix="Not a Medux envelope: ")
    return None
