"""The code facts of one spec version, read for the diff by their meaning, whatever their shape.

Two shapes exist. The current one (1.1.0 on): the root table ``x-medux-codes`` holds the API-wide
columns, ``retry`` among them, and each operation's ``x-medux-outcomes`` the codes it can answer
with what each carries and whether it may bill there. The legacy one (1.0.0): one table whose
rows also held ``retryable``, ``billable``, ``carries`` and ``mock_http_status``, every operation
answering every code. Reading both into the same facts lets the gate compare meaning, so moving a
fact to its new place is not reported as a change of the fact.

Retry safety is compared as the client sees it: whether a request of *this* operation may be
repeated after *this* code. Legacy ``retryable: true`` means what ``retry: always`` means; legacy
``false`` means "not after this code", which ``never`` and, for a non-idempotent operation,
``if_idempotent`` mean too. The mock's statuses (``mock_http_status``, now ``x-medux-mock``) are
mock configuration, not contract: they are not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medux_contract.spec import CODE_TABLE_KEY, OUTCOMES_KEY, Retry, SpecError, parse_codes
from medux_contract.spec.model import HTTP_METHODS, IDEMPOTENT_KEY, IDEMPOTENT_METHODS
from medux_contract.spec.refs import pointer

LEGACY_COLUMNS = ("retryable", "billable", "carries")
_LEGACY_TYPES: dict[str, type] = {
    "code": int,
    "name": str,
    "message": str,
    "group": str,
    "meaning": str,
    "meaning_source": str,
    "retryable": bool,
    "billable": bool,
}
_RETRY_AFTER_LEGACY = {
    True: frozenset({Retry.ALWAYS}),
    False: frozenset({Retry.NEVER, Retry.IF_IDEMPOTENT}),
}


@dataclass(frozen=True)
class CodeRow:
    """One code's API-wide facts. ``retry`` is the set of ``retry`` values its meaning admits."""

    code: int
    name: str
    message: str
    exception: str | None
    group: str
    meaning: str
    meaning_source: str
    retry: frozenset[Retry]
    retry_shown: str


@dataclass(frozen=True)
class OutcomeRow:
    """A code as one operation answers it; ``pointer`` is the row that states it."""

    code: int
    carries: tuple[str, ...]
    billable: bool
    retry_safe: bool
    pointer: str


@dataclass(frozen=True)
class CodeFacts:
    legacy: bool
    codes: tuple[CodeRow, ...]
    # Operation pointer (``/paths/~1things/post``) -> code -> how that operation answers it.
    outcomes: dict[str, dict[int, OutcomeRow]]
    # Operation pointer -> how reports name it (``POST /things``).
    labels: dict[str, str]

    def row(self, code: int) -> CodeRow:
        return next(row for row in self.codes if row.code == code)


def read_code_facts(spec: dict[str, Any], label: str) -> CodeFacts | None:
    """The code facts of ``spec`` (None when it has no code table); SpecError names the bad node."""
    if CODE_TABLE_KEY not in spec:
        return None
    rows = spec[CODE_TABLE_KEY]
    try:
        if isinstance(rows, list) and any(isinstance(r, dict) and "retryable" in r for r in rows):
            return _legacy(spec, rows)
        return _current(spec)
    except SpecError as exc:
        raise SpecError(f"{label}: {exc}") from None


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(pointer, label, operation) of every operation; the diff reports malformed paths itself."""
    found = []
    paths = spec.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                found.append((pointer("/paths", path, method), f"{method.upper()} {path}", operation))
    return found


def _labels(spec: dict[str, Any]) -> dict[str, str]:
    return {at: label for at, label, _ in _operations(spec)}


def _idempotent(method: str, operation: dict[str, Any]) -> bool:
    return operation.get(IDEMPOTENT_KEY, method in IDEMPOTENT_METHODS) is True


def _current(spec: dict[str, Any]) -> CodeFacts:
    table = parse_codes(spec)
    codes = tuple(
        CodeRow(
            code=e.code,
            name=e.name,
            message=e.message,
            exception=e.exception,
            group=e.group,
            meaning=e.meaning,
            meaning_source=e.meaning_source,
            retry=frozenset({e.retry}),
            retry_shown=f"retry {e.retry.value!r}",
        )
        for e in table
    )
    outcomes: dict[str, dict[int, OutcomeRow]] = {}
    for at, label, operation in _operations(spec):
        idempotent = _idempotent(label.split(" ", 1)[0].lower(), operation)
        rows = operation.get(OUTCOMES_KEY, [])
        where = pointer(at, OUTCOMES_KEY)
        if not isinstance(rows, list):
            raise SpecError(f"{where}: must be a list of {{code, carries, billable}}")
        answered: dict[int, OutcomeRow] = {}
        for index, row in enumerate(rows):
            row_at = pointer(where, index)
            code = row.get("code") if isinstance(row, dict) else None
            if not isinstance(code, int) or isinstance(code, bool) or code not in table:
                raise SpecError(f"{row_at}/code: {code!r} is not a code of {CODE_TABLE_KEY}")
            retry = table[code].retry
            answered[code] = OutcomeRow(
                code=code,
                carries=_carries(row, row_at),
                billable=_flag(row, "billable", row_at),
                retry_safe=retry is Retry.ALWAYS or (retry is Retry.IF_IDEMPOTENT and idempotent),
                pointer=row_at,
            )
        outcomes[at] = answered
    return CodeFacts(legacy=False, codes=codes, outcomes=outcomes, labels=_labels(spec))


def _legacy(spec: dict[str, Any], rows: list[Any]) -> CodeFacts:
    codes: list[CodeRow] = []
    answered: dict[int, OutcomeRow] = {}
    for index, row in enumerate(rows):
        at = pointer(f"/{CODE_TABLE_KEY}", index)
        if not isinstance(row, dict):
            raise SpecError(f"{at}: must be a mapping")
        for column, kind in _LEGACY_TYPES.items():
            value = row.get(column)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise SpecError(f"{at}/{column}: must be a {kind.__name__}, got {value!r}")
        exception = row.get("exception")
        if exception is not None and not isinstance(exception, str):
            raise SpecError(f"{at}/exception: must be null or a class name, got {exception!r}")
        codes.append(
            CodeRow(
                code=row["code"],
                name=row["name"],
                message=row["message"],
                exception=exception,
                group=row["group"],
                meaning=row["meaning"],
                meaning_source=row["meaning_source"],
                retry=_RETRY_AFTER_LEGACY[row["retryable"]],
                retry_shown=f"retryable {str(row['retryable']).lower()}",
            )
        )
        answered[row["code"]] = OutcomeRow(
            code=row["code"],
            carries=_carries(row, at),
            billable=row["billable"],
            retry_safe=row["retryable"],
            pointer=at,
        )
    # In the legacy shape every operation answers every code of the table, on the table's terms.
    outcomes = {at: dict(answered) for at, _, _ in _operations(spec)}
    return CodeFacts(legacy=True, codes=tuple(codes), outcomes=outcomes, labels=_labels(spec))


def _carries(row: dict[str, Any], at: str) -> tuple[str, ...]:
    carries = row.get("carries", [])
    if not isinstance(carries, list) or not all(isinstance(member, str) for member in carries):
        raise SpecError(f"{at}/carries: must be a list of data member names")
    return tuple(carries)


def _flag(row: dict[str, Any], column: str, at: str) -> bool:
    value = row.get(column)
    if not isinstance(value, bool):
        raise SpecError(f"{at}/{column}: must be a boolean, got {value!r}")
    return value
