"""Outcome coverage: per operation, which of its codes the run saw answered and which it never saw.

A green run proves only what it saw: against a live server most codes (no credits, provider
timeout, ...) are never answered, and the verdict alone cannot say so. ``MEDUX_REQUIRE_CODES``
turns a code the run never saw into a failure, for teams that want every path proved.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from medux_contract.conformance.live_policy import PolicyError
from medux_contract.spec import Contract

REQUIRE_CODES_ENV = "MEDUX_REQUIRE_CODES"
CODES_OBSERVED = "required_codes_observed"
"""The pseudo-check that carries a missing required code into the verdicts and reports."""


@dataclass(frozen=True)
class Coverage:
    operation_id: str
    codes: tuple[int, ...]
    """Every code the operation lists in ``x-medux-outcomes``, in table order."""
    observed: tuple[int, ...]
    required: tuple[int, ...] = ()

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(code for code in self.codes if code not in self.observed)

    @property
    def missing_required(self) -> tuple[int, ...]:
        return tuple(code for code in self.required if code not in self.observed)

    def line(self) -> str:
        seen = ", ".join(map(str, self.observed)) or "none"
        never = ", ".join(map(str, self.missing)) or "none"
        return f"  codes of {self.operation_id}: seen {seen}; never seen {never}"


@dataclass(frozen=True)
class RequiredCodes:
    """Which codes a run must see: none, all of each operation's, or the listed ones where listed."""

    every: bool = False
    codes: frozenset[int] = frozenset()

    def of(self, operation_codes: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(code for code in operation_codes if self.every or code in self.codes)

    @property
    def any(self) -> bool:
        return self.every or bool(self.codes)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RequiredCodes:
        """``all`` (every code of every operation), or codes separated by commas; empty: none."""
        raw = env.get(REQUIRE_CODES_ENV, "").strip()
        if not raw:
            return cls()
        if raw.lower() == "all":
            return cls(every=True)
        parts = [part.strip() for part in raw.split(",")]
        if not all(part.isdigit() for part in parts):
            raise PolicyError(
                f"{REQUIRE_CODES_ENV} must be 'all' or codes separated by commas (e.g. 0,12,13), got {raw!r}"
            )
        return cls(codes=frozenset(int(part) for part in parts))


NONE_REQUIRED = RequiredCodes()


def outcome_coverage(
    contract: Contract, observed: Mapping[str, Set[int]], required: RequiredCodes = NONE_REQUIRED
) -> list[Coverage]:
    result = []
    for operation in contract.operations:
        seen = observed.get(operation.operation_id, set())
        result.append(
            Coverage(
                operation.operation_id,
                operation.codes,
                tuple(code for code in operation.codes if code in seen),
                required.of(operation.codes),
            )
        )
    return result
