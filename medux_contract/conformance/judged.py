"""One answer as the checks see it: the operation it belongs to and the envelope rule's verdict.

Every check of a response asks :func:`judged_answer`; the verdict is computed once per response
(the rule itself is :func:`medux_contract.envelope.judge`, the one definition of a conformant
answer) and each check reads the violations of its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock
from typing import Any

from schemathesis import Case, Response

from medux_contract.conformance.operations import contract_for, operation_at
from medux_contract.envelope import RuleName, Verdict, judge
from medux_contract.spec import Contract, Operation


@dataclass(frozen=True)
class JudgedAnswer:
    contract: Contract
    operation: Operation
    verdict: Verdict

    def problems(self, rule: RuleName) -> list[str]:
        return [violation.detail for violation in self.verdict.of(rule)]


_last: list[tuple[Response, JudgedAnswer | None]] = []
_lock = Lock()


def base_url_of(case: Case[Any]) -> str:
    return str(case.operation.base_url or case.operation.schema.get_base_url())


def judged_answer(case: Case[Any], response: Response) -> JudgedAnswer | None:
    """The verdict on ``response``; None when its request went to no operation of the spec."""
    with _lock:
        # The checks of one response run one after the other: remembering the last is enough.
        if _last and _last[0][0] is response:
            return _last[0][1]
    contract = contract_for(case.operation.schema)
    request = response.request
    operation = operation_at(contract, request.method, request.url, base_url_of(case))
    answer = None
    if operation is not None:
        verdict = judge(operation, response.status_code, response.headers, response.content)
        answer = JudgedAnswer(contract, operation, verdict)
    with _lock:
        _last[:] = [(response, answer)]
    return answer


def fail_with(problems: list[str], prefix: str = "") -> None:
    """Raise the check's failure (every problem on its own line), or return: it passed."""
    if problems:
        raise AssertionError("\n".join(prefix + problem for problem in problems))
