"""Compare the code facts of two spec versions: the API-wide table and each operation's outcomes.

Both sides are read by meaning (:mod:`.code_facts`), so the same facts in another shape yield one
``code-table-reshaped`` change and nothing else. A fact is reported once, where it is written: a
code removed from the table is ``code-removed``, not also an outcome lost by every operation; a
change of the ``retry`` column is reported on the table, not again on each operation whose retry
safety follows from it.
"""

from __future__ import annotations

from collections.abc import Callable

from medux_contract.evolution.code_facts import CodeFacts, OutcomeRow
from medux_contract.spec import CODE_TABLE_KEY
from medux_contract.spec.refs import pointer

Report = Callable[[str, str, str], None]
# Columns whose change alters what the client does (how it groups or retries), but no name in it.
BEHAVIOUR_COLUMNS = ("group",)
PROSE_COLUMNS = ("meaning", "meaning_source")
RESHAPED = {
    False: (
        "code facts reshaped with the same meaning: x-medux-codes keeps the API-wide columns, with "
        "`retry` (always / if_idempotent / never) in place of `retryable`; what a code carries and "
        "whether it may bill moved to each operation's x-medux-outcomes (retry safety follows from "
        "the code and the operation: after an `if_idempotent` code only an idempotent operation, "
        "such as a GET, may be repeated); the mock's statuses, which are not contract, moved to "
        "x-medux-mock"
    ),
    True: "code facts moved back into one table (`retryable`, `billable`, `carries`) with the same meaning",
}


def compare_code_facts(old: CodeFacts | None, new: CodeFacts | None, report: Report) -> None:
    """Report every change from ``old`` to ``new`` as ``report(rule_id, pointer, detail)``."""
    if old is None and new is None:
        return
    # A spec without the table answers no code: against it, every code is added or removed.
    old = old or CodeFacts(legacy=new.legacy if new else False, codes=(), outcomes={}, labels={})
    new = new or CodeFacts(legacy=old.legacy, codes=(), outcomes={}, labels={})
    if old.legacy != new.legacy:
        report("code-table-reshaped", f"/{CODE_TABLE_KEY}", RESHAPED[new.legacy])
    retry_changed = _compare_table(old, new, report)
    common = {row.code for row in old.codes} & {row.code for row in new.codes}
    for at, label in new.labels.items():
        if at in old.outcomes and at in new.outcomes:
            _compare_outcomes(
                old.outcomes[at], new.outcomes[at], _Context(label, new, common, retry_changed), report
            )


def _compare_table(old: CodeFacts, new: CodeFacts, report: Report) -> set[int]:
    """Report the table's changes; return the codes whose retry column changed meaning."""
    base = f"/{CODE_TABLE_KEY}"
    old_rows = {row.code: (index, row) for index, row in enumerate(old.codes)}
    new_rows = {row.code: (index, row) for index, row in enumerate(new.codes)}
    retry_changed: set[int] = set()
    for code, (index, row) in old_rows.items():
        if code not in new_rows:
            report("code-removed", pointer(base, index), f"code {code} ({row.message!r}) removed")
    for code, (index, row) in new_rows.items():
        if code not in old_rows:
            report("code-added", pointer(base, index), f"code {code} ({row.message!r}) added")
            continue
        before, at = old_rows[code][1], pointer(base, index)
        for column, rule in (
            ("message", "code-message-changed"),
            ("name", "code-name-changed"),
            ("exception", "code-exception-changed"),
            *((column, "code-behaviour-changed") for column in BEHAVIOUR_COLUMNS),
            *((column, "documentation-changed") for column in PROSE_COLUMNS),
        ):
            was, now = getattr(before, column), getattr(row, column)
            if was != now:
                report(rule, pointer(at, column), f"code {code}: {column} {was!r} -> {now!r}")
        # Disjoint sets: no reading of the old row allows what the new one says (see code_facts).
        if not before.retry & row.retry:
            retry_changed.add(code)
            column = "retryable" if new.legacy else "retry"
            detail = f"code {code}: {before.retry_shown} -> {row.retry_shown}"
            report("code-behaviour-changed", pointer(at, column), detail)
    return retry_changed


class _Context:
    def __init__(self, label: str, new: CodeFacts, common: set[int], retry_changed: set[int]) -> None:
        self.label, self.new, self.common, self.retry_changed = label, new, common, retry_changed

    def message(self, code: int) -> str:
        return self.new.row(code).message


def _compare_outcomes(
    old: dict[int, OutcomeRow], new: dict[int, OutcomeRow], context: _Context, report: Report
) -> None:
    name = context.label
    for code, row in old.items():
        if code in context.common and code not in new:
            report("outcome-removed", row.pointer, f"{name}: no longer answers code {code}")
    for code, row in new.items():
        if code not in context.common:
            continue  # a code new to the table is `code-added`
        if code not in old:
            detail = f"{name}: can answer code {code} ({context.message(code)!r})"
            report("outcome-added", row.pointer, detail)
            continue
        before = old[code]
        at = pointer(row.pointer, "carries")
        for member in before.carries:
            if member not in row.carries:
                report("outcome-data-removed", at, f"{name}: code {code} no longer carries data.{member}")
        for member in row.carries:
            if member not in before.carries:
                report("outcome-data-added", at, f"{name}: code {code} now carries data.{member}")
        if before.billable != row.billable:
            detail = f"{name}: code {code} billable {before.billable} -> {row.billable}"
            report("code-behaviour-changed", pointer(row.pointer, "billable"), detail)
        if before.retry_safe != row.retry_safe and code not in context.retry_changed:
            may = "may now" if row.retry_safe else "may no longer"
            detail = f"{name}: a request answered with code {code} {may} be repeated"
            report("code-behaviour-changed", row.pointer, detail)
