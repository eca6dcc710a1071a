"""Rule: a code carries the ``data`` members its operation's outcome row promises (``carries``),
each of the type the response schema declares (createAvatarByImage's 0: the asset object;
listAvatars' 0: the ``items`` array)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from medux_contract.conformance.judged import fail_with, judged_answer
from medux_contract.envelope import RuleName


@schemathesis.check
def code_carries_its_data(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    answer = judged_answer(case, response)
    code = None if answer is None else answer.verdict.code
    if answer is None or code is None or not answer.operation.outcome(code).carries:
        return True
    fail_with(answer.problems(RuleName.DATA))
    return None
