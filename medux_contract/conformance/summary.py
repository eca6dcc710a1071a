"""Per-check verdicts of a run, gathered from schemathesis's ``after_validate`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.engine import Status

from medux_contract.conformance.checks import ENVELOPE_CHECKS

FIRST_FAILURE_LINES = 12


@dataclass
class CheckTally:
    judged: int = 0
    failed: int = 0
    first_failure: str | None = None


@dataclass
class Tally:
    responses: int = 0
    checks: dict[str, CheckTally] = field(
        default_factory=lambda: {name: CheckTally() for name in ENVELOPE_CHECKS}
    )

    def after_validate(
        self, context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        self.responses += 1
        for result in results:
            tally = self.checks.setdefault(result.name, CheckTally())
            tally.judged += 1
            if result.status == Status.FAILURE:
                tally.failed += 1
                if tally.first_failure is None and result.failure is not None:
                    tally.first_failure = _describe(case, response, result)

    @property
    def failed_checks(self) -> list[str]:
        return [name for name, tally in self.checks.items() if tally.failed]

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.checks)
        out = []
        for name, tally in self.checks.items():
            if tally.failed:
                out.append(f"  FAIL  {name:<{width}}  {tally.failed} of {tally.judged} responses")
                out += [f"          {line}" for line in (tally.first_failure or "").splitlines()]
            elif tally.judged:
                out.append(f"  pass  {name:<{width}}  {tally.judged} responses")
            else:
                out.append(f"  ----  {name:<{width}}  no response it applies to")
        return out


def _describe(case: Case[Any], response: Response, result: CheckResult) -> str:
    failure = result.failure
    assert failure is not None
    lines = [failure.title, *failure.message.splitlines()]
    lines = [line for line in lines if line.strip()][:FIRST_FAILURE_LINES]
    lines.append(f"response: HTTP {response.status_code}, {response.content[:200]!r}")
    lines.append("reproduce: " + case.as_curl_command(headers=dict(response.request.headers)))
    return "\n".join(lines)
