"""Rule: ``message`` is the one the code table pairs with ``code``."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.judged import fail_with, judged_answer
from medux_contract.envelope import RuleName


@schemathesis.check
def message_matches_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    answer = judged_answer(case, response)
    if answer is None or answer.verdict.envelope is None:
        return True
    fail_with(answer.problems(RuleName.MESSAGE))
    return None
