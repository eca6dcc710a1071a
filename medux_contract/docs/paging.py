"""Which operations page, by the generated client's own rule, and the names the docs show for them.

The client pages an operation automatically when it takes a ``cursor`` query parameter and its
success ``data`` carries an array plus ``next_cursor`` (:mod:`medux_contract.generation.paged_operations`).
The docs ask that same rule, so a "next page" note, a pagination sample or a recovery recipe is
written for exactly the operations the client can page, and names what the client generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from medux_contract.generation.paged_operations import (
    CURSOR_PARAMETER,
    NEXT_CURSOR_MEMBER,
    PagingError,
    paged_operation,
)
from medux_contract.spec import Contract, Operation, Parameter, SpecError

# The generated ``pagination`` module's item iterator of operation ``<module>``: ``iter_<module>``.
ITEM_ITERATOR_PREFIX = "iter_"


@dataclass(frozen=True)
class Paging:
    """How one operation pages: the query parameter, the data member that feeds it, the item list."""

    cursor: Parameter
    next_member: str
    items_member: str
    item_iterator: str


def paging(contract: Contract, operation: Operation) -> Paging | None:
    try:
        paged = paged_operation(contract, operation)
    except PagingError as exc:
        raise SpecError(str(exc)) from None
    if paged is None:
        return None
    [cursor] = [p for p in operation.parameters_in("query") if p.name == CURSOR_PARAMETER]
    [items] = [m for m in operation.success.carries if operation.data_member_types.get(m) == "array"]
    return Paging(
        cursor=cursor,
        next_member=NEXT_CURSOR_MEMBER,
        items_member=items,
        item_iterator=ITEM_ITERATOR_PREFIX + paged.module,
    )


def first_page_parameters(contract: Contract, operation: Operation) -> tuple[Parameter, ...]:
    """The query parameters a first call shows: all of them but the cursor (a first page has none)."""
    pages = paging(contract, operation)
    return tuple(p for p in operation.parameters_in("query") if pages is None or p != pages.cursor)
