"""Whether an operation pages, read from its shape: a query parameter fed by a ``next_`` data member.

List Avatars pages with ``cursor``: the caller passes the ``next_cursor`` of one page as the
``cursor`` of the next, and the last page has no ``next_cursor``. The docs recognise that shape on
any operation (a query parameter ``<p>`` and a ``data.next_<p>`` member), so a sample that pages
is written for every paged operation the spec declares, and for no other.
"""

from __future__ import annotations

from dataclasses import dataclass

from medux_contract.spec import Operation, Parameter

NEXT_PREFIX = "next_"


@dataclass(frozen=True)
class Paging:
    """How one operation pages: the query parameter, the data member that feeds it, the item list."""

    cursor: Parameter
    next_member: str
    items_member: str | None


def paging(operation: Operation) -> Paging | None:
    types = operation.data_member_types
    for parameter in operation.parameters_in("query"):
        next_member = NEXT_PREFIX + parameter.name
        if next_member in types:
            items = next(
                (member for member in operation.success.carries if types.get(member) == "array"), None
            )
            return Paging(cursor=parameter, next_member=next_member, items_member=items)
    return None


def first_page_parameters(operation: Operation) -> tuple[Parameter, ...]:
    """The query parameters a first call shows: all of them but the cursor (a first page has none)."""
    pages = paging(operation)
    return tuple(p for p in operation.parameters_in("query") if pages is None or p != pages.cursor)
