"""Per-check verdicts of a run, per operation: the response checks (gathered from schemathesis's
``after_validate`` hook) and the stateful rules (from the phase after it), plus which codes each
operation was seen to answer.

A run goes to its end (see :mod:`medux_contract.conformance.sender`), so one check can fail many
times: each (check, operation) keeps its counts and up to :data:`MAX_EXAMPLES` *distinct* failures
(by what the check said), each with its curl reproduction. Every key of the run is filtered out of
an example before it is kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.engine import Status

from medux_contract.conformance.checks import ENVELOPE_CHECKS
from medux_contract.conformance.judged import judged_answer
from medux_contract.conformance.stateful import STATEFUL_RULES, RuleResult, RuleStatus

MAX_EXAMPLES = 3
"""Distinct failures kept per check and operation: enough to tell one fault from several."""
EXAMPLE_LINES = 12
NO_OPERATION = "(no operation)"
"""Where answers to a method or path the spec does not define are counted."""
FILTERED = "[Filtered]"


@dataclass
class CheckTally:
    judged: int = 0
    failed: int = 0
    examples: list[str] = field(default_factory=list)
    not_applicable: str | None = None
    """Why a stateful rule judged nothing (response checks that judge nothing just say so)."""
    _signatures: set[str] = field(default_factory=set, repr=False)

    def add_example(self, signature: str, example: str) -> None:
        if signature in self._signatures or len(self.examples) >= MAX_EXAMPLES:
            return
        self._signatures.add(signature)
        self.examples.append(example)

    @property
    def verdict(self) -> str:
        if self.failed:
            return "failed"
        return "passed" if self.judged else "not_applicable"


@dataclass
class Tally:
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """The run's keys: filtered out of every example."""
    responses: int = 0
    cells: dict[tuple[str, str], CheckTally] = field(default_factory=dict)
    """(check or rule, operationId) -> its tally, in the order first seen."""
    by_operation: Counter[str] = field(default_factory=Counter)
    """Answers the envelope checks judged, per operationId."""
    observed_codes: dict[str, set[int]] = field(default_factory=dict)
    """Per operationId, the codes of its own that it was seen to answer."""
    order: list[str] = field(default_factory=lambda: [*ENVELOPE_CHECKS, *STATEFUL_RULES])

    def cell(self, check: str, operation: str) -> CheckTally:
        if check not in self.order:
            self.order.append(check)
        return self.cells.setdefault((check, operation), CheckTally())

    def after_validate(
        self, context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        self.responses += 1
        answer = judged_answer(case, response)
        operation = NO_OPERATION if answer is None else answer.operation.operation_id
        if answer is not None:
            if any(result.name in ENVELOPE_CHECKS for result in results):
                self.by_operation[operation] += 1
            if answer.verdict.code is not None:
                self.observed_codes.setdefault(operation, set()).add(answer.verdict.code)
        for result in results:
            tally = self.cell(result.name, operation)
            tally.judged += 1
            if result.status == Status.FAILURE and result.failure is not None:
                tally.failed += 1
                failure = result.failure
                signature = f"{failure.title}\n{failure.message}"
                tally.add_example(signature, self._filtered(_describe(case, response, result)))

    def add_rule(self, result: RuleResult) -> None:
        tally = self.cell(result.rule, result.operation or NO_OPERATION)
        if result.status is RuleStatus.NOT_APPLICABLE:
            if not tally.judged:
                tally.not_applicable = result.detail
            return
        tally.not_applicable = None
        tally.judged += max(result.judged, 1)
        if result.status is RuleStatus.FAILED:
            tally.failed += 1
            tally.add_example(result.detail, self._filtered(result.detail))

    def add_requirement(self, check: str, operation: str, missing: list[int], required: list[int]) -> None:
        """The verdict of a required outcome code that the run never saw (``MEDUX_REQUIRE_CODES``)."""
        tally = self.cell(check, operation)
        tally.judged += 1
        if missing:
            tally.failed += 1
            tally.add_example("missing", f"required codes never observed: {', '.join(map(str, missing))}")
        elif not required:
            tally.not_applicable = "no required code is one of this operation's"

    def _filtered(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, FILTERED)
        return text

    def of_check(self, check: str) -> list[tuple[str, CheckTally]]:
        return [(operation, tally) for (name, operation), tally in self.cells.items() if name == check]

    @property
    def failed_checks(self) -> list[str]:
        return [name for name in self.order if any(t.failed for _, t in self.of_check(name))]

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.order)
        out = []
        if self.by_operation:
            per_operation = ", ".join(f"{name} {count}" for name, count in sorted(self.by_operation.items()))
            out.append(f"  answers judged per operation: {per_operation}")
        for name in self.order:
            cells = self.of_check(name)
            judged = sum(t.judged for _, t in cells)
            failed = sum(t.failed for _, t in cells)
            if failed:
                where = ", ".join(f"{op} {t.failed}" for op, t in cells if t.failed)
                out.append(f"  FAIL  {name:<{width}}  {failed} of {judged} responses ({where})")
                for operation, tally in cells:
                    for number, example in enumerate(tally.examples, 1):
                        more = f" of {tally.failed}" if number == 1 and tally.failed > 1 else ""
                        out.append(f"          [{operation}] example {number}{more}:")
                        out += [f"            {line}" for line in example.splitlines()]
            elif judged:
                out.append(f"  pass  {name:<{width}}  {judged} responses")
            else:
                reasons = [t.not_applicable for _, t in cells if t.not_applicable]
                why = f"not applicable: {reasons[0]}" if reasons else "no response it applies to"
                out.append(f"  ----  {name:<{width}}  {why}")
        return out


def _describe(case: Case[Any], response: Response, result: CheckResult) -> str:
    failure = result.failure
    assert failure is not None
    lines = [failure.title, *failure.message.splitlines()]
    lines = [line for line in lines if line.strip()][:EXAMPLE_LINES]
    lines.append(f"response: HTTP {response.status_code}, {response.content[:200]!r}")
    lines.append("reproduce: " + case.as_curl_command(headers=dict(response.request.headers)))
    return "\n".join(lines)
