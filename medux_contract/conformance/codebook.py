"""The code table seen from a conformance check: which of an operation's codes answer which kind
of request.

Every set here is derived from the operation's own outcomes (``x-medux-outcomes``) and the
API-wide ``group`` column of ``x-medux-codes``, so a code or an operation added to the spec reaches
the checks with no edit here. An operation that cannot answer a group gets an empty set: a code
of that group from it is then a violation of ``envelope_has_known_code``, not an excuse.
"""

from __future__ import annotations

from collections.abc import Iterable

from medux_contract.spec import CodeTable, Operation

# Values of the table's `group` column that carry a meaning for the checks.
AUTHENTICATION_GROUP = "authentication"
INVALID_REQUEST_GROUP = "invalid_request"
RATE_LIMIT_GROUP = "rate_limit"


def codes_in(operation: Operation, group: str) -> frozenset[int]:
    """The codes of ``group`` this operation can answer."""
    return frozenset(outcome.value for outcome in operation.outcomes if outcome.code.group == group)


def refused_before_work(operation: Operation) -> frozenset[int]:
    """Codes the operation may answer to any request before reading it (rate limits): never a
    violation by themselves."""
    return codes_in(operation, RATE_LIMIT_GROUP)


def refusing_credentials(operation: Operation) -> frozenset[int]:
    """What a request to ``operation`` without valid credentials may get."""
    return codes_in(operation, AUTHENTICATION_GROUP) | refused_before_work(operation)


def rejecting_input(operation: Operation) -> frozenset[int]:
    """What a request to ``operation`` that the spec calls invalid may get."""
    return codes_in(operation, INVALID_REQUEST_GROUP) | refused_before_work(operation)


def billable_codes(operation: Operation) -> frozenset[int]:
    return frozenset(outcome.value for outcome in operation.outcomes if outcome.billable)


def rate_limit_codes(table: CodeTable) -> frozenset[int]:
    """The API-wide rate-limit codes: whatever operation answers one, the run backs off."""
    return frozenset(row.code for row in table if row.group == RATE_LIMIT_GROUP)


def describe(operation: Operation, codes: Iterable[int]) -> str:
    """``12 invalid input, 1410 invalid model``: codes in the operation's order, with messages."""
    wanted = set(codes)
    shown = [f"{o.value} {o.code.message}" for o in operation.outcomes if o.value in wanted]
    return ", ".join(shown) or "none (the operation lists no such code)"
