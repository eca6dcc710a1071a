"""Per-check verdicts of a run: the response checks (gathered from schemathesis's
``after_validate`` hook) and the stateful rules (from the phase after it), plus how many answers
of each operation the checks judged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.engine import Status

from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.judged import judged_answer
from medux_contract.conformance.stateful import STATEFUL_RULES, RuleResult, RuleStatus

FIRST_FAILURE_LINES = 12


@dataclass
class CheckTally:
    judged: int = 0
    failed: int = 0
    first_failure: str | None = None
    not_applicable: str | None = None
    """Why a stateful rule judged nothing (response checks that judge nothing just say so)."""


@dataclass
class Tally:
    responses: int = 0
    checks: dict[str, CheckTally] = field(
        default_factory=lambda: {name: CheckTally() for name in (*ENVELOPE_CHECKS, *STATEFUL_RULES)}
    )
    by_operation: Counter[str] = field(default_factory=Counter)
    """Answers the envelope checks judged, per operationId."""

    def after_validate(
        self, context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        self.responses += 1
        if any(result.name in ENVELOPE_CHECKS for result in results):
            answer = judged_answer(case, response)
            if answer is not None:
                self.by_operation[answer.operation.operation_id] += 1
        for result in results:
            tally = self.checks.setdefault(result.name, CheckTally())
            tally.judged += 1
            if result.status == Status.FAILURE:
                tally.failed += 1
                if tally.first_failure is None and result.failure is not None:
                    tally.first_failure = _describe(case, response, result)

    def add_rule(self, result: RuleResult) -> None:
        tally = self.checks.setdefault(result.rule, CheckTally())
        if result.status is RuleStatus.NOT_APPLICABLE:
            if not tally.judged:
                tally.not_applicable = result.detail
            return
        tally.not_applicable = None
        tally.judged += max(result.judged, 1)
        if result.status is RuleStatus.FAILED:
            tally.failed += 1
            if tally.first_failure is None:
                tally.first_failure = result.detail

    @property
    def failed_checks(self) -> list[str]:
        return [name for name, tally in self.checks.items() if tally.failed]

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.checks)
        out = []
        if self.by_operation:
            judged = ", ".join(f"{name} {count}" for name, count in sorted(self.by_operation.items()))
            out.append(f"  answers judged per operation: {judged}")
        for name, tally in self.checks.items():
            if tally.failed:
                out.append(f"  FAIL  {name:<{width}}  {tally.failed} of {tally.judged} responses")
                out += [f"          {line}" for line in (tally.first_failure or "").splitlines()]
            elif tally.judged:
                out.append(f"  pass  {name:<{width}}  {tally.judged} responses")
            else:
                why = (
                    f"not applicable: {tally.not_applicable}"
                    if tally.not_applicable
                    else "no response it applies to"
                )
                out.append(f"  ----  {name:<{width}}  {why}")
        return out


def _describe(case: Case[Any], response: Response, result: CheckResult) -> str:
    failure = result.failure
    assert failure is not None
    lines = [failure.title, *failure.message.splitlines()]
    lines = [line for line in lines if line.strip()][:FIRST_FAILURE_LINES]
    lines.append(f"response: HTTP {response.status_code}, {response.content[:200]!r}")
    lines.append("reproduce: " + case.as_curl_command(headers=dict(response.request.headers)))
    return "\n".join(lines)
