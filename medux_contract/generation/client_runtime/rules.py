"""What one operation of the API may answer, and when a call to it may be repeated.

The generated ``operations.py`` holds one :class:`OperationRules` per operation of the spec (from its
``x-medux-outcomes`` and idempotency); each endpoint module hands its own to the retry loop and to
``exceptions.raise_for_outcome``, so two operations of one client can answer and retry differently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OperationRules:
    """The facts of one operation that the client acts on.

    Attributes:
        operation_id: the spec's ``operationId``.
        idempotent: whether repeating the request has no further effect (a read): then a call that
            failed after the request went out (read timeout, dropped connection) may be repeated.
        codes: every code the operation can answer; any other is an ``UnknownCodeError`` here.
        retry_codes: the failure codes after which a repeat is safe on this operation.
        billable_codes: the codes whose answer may have cost credits on this operation.
        carries: the ``data`` members (Python attribute names) every success of the operation carries:
            a success without one is malformed, so the typed result can declare them set.
    """

    operation_id: str
    idempotent: bool
    codes: frozenset[int]
    retry_codes: frozenset[int]
    billable_codes: frozenset[int]
    carries: tuple[str, ...] = ()


__all__ = ["OperationRules"]
