"""The code table seen from a conformance check: which codes answer which kind of request.

Every set here is derived from ``x-medux-codes`` (through :func:`medux_contract.spec.code_table`),
by the table's ``group`` column, so a code added to the spec reaches the checks with no edit here.
A group the checks rely on that disappears from the table is a :class:`SpecError`, not a silent
empty set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from medux_contract.spec import CodeEntry, SpecError, code_table

# Values of the table's `group` column that carry a meaning for the checks.
AUTHENTICATION_GROUP = "authentication"
INVALID_REQUEST_GROUP = "invalid_request"
RATE_LIMIT_GROUP = "rate_limit"


@dataclass(frozen=True)
class Codebook:
    # Derived views are computed once: every check consults them for every response.
    entries: tuple[CodeEntry, ...]

    @cached_property
    def by_code(self) -> Mapping[int, CodeEntry]:
        return {entry.code: entry for entry in self.entries}

    @cached_property
    def codes(self) -> tuple[int, ...]:
        return tuple(entry.code for entry in self.entries)

    def group(self, name: str) -> frozenset[int]:
        codes = frozenset(entry.code for entry in self.entries if entry.group == name)
        if not codes:
            raise SpecError(
                f"the code table has no code in group {name!r}, which the conformance checks need"
            )
        return codes

    @cached_property
    def success(self) -> frozenset[int]:
        return frozenset(entry.code for entry in self.entries if entry.is_success)

    @cached_property
    def unauthenticated(self) -> frozenset[int]:
        """Codes that refuse a request for its credentials."""
        return self.group(AUTHENTICATION_GROUP)

    @cached_property
    def invalid_request(self) -> frozenset[int]:
        """Codes that reject a request for what it asks."""
        return self.group(INVALID_REQUEST_GROUP)

    @cached_property
    def refused_before_work(self) -> frozenset[int]:
        """Codes a server may answer to any request before reading it (rate limits): never a violation
        by themselves, and the signal for a run to back off."""
        return self.group(RATE_LIMIT_GROUP)

    @cached_property
    def billable(self) -> frozenset[int]:
        return frozenset(entry.code for entry in self.entries if entry.billable)

    def describe(self, codes: Iterable[int]) -> str:
        """``12 invalid input, 1410 invalid model``: codes in table order, with their messages."""
        wanted = set(codes)
        return ", ".join(f"{e.code} {e.message}" for e in self.entries if e.code in wanted)


@cache
def codebook() -> Codebook:
    return Codebook(code_table())
