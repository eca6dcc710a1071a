"""Which operations list things page by page, and which created things they should list.

A listing follows the paging convention List Avatars documents: query parameters ``cursor`` and
``limit``, and a success that carries the ``items`` array and, but on the last page,
``next_cursor``. Any operation of the spec that follows it is a listing (nothing here names one).
What the items are identified by comes from the listing's own success example: its first item's
members whose names end in ``_id`` (``avatar_asset_id``). A thing another operation created is
expected in a listing when its success carries an object with those identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from medux_contract.spec import Contract, Operation

CURSOR_PARAMETER = "cursor"
LIMIT_PARAMETER = "limit"
ITEMS_MEMBER = "items"
NEXT_CURSOR_MEMBER = "next_cursor"
IDENTIFIER_SUFFIX = "_id"
QUERY = "query"


@dataclass(frozen=True)
class Listing:
    operation: Operation
    min_limit: int
    max_limit: int | None
    default_limit: int | None
    identifiers: tuple[str, ...]

    def identity(self, item: Any) -> tuple[Any, ...] | None:
        """What names ``item`` (its identifier values), or None when it carries none of them."""
        if not isinstance(item, Mapping) or not self.identifiers:
            return None
        values = tuple(item.get(name) for name in self.identifiers)
        return None if all(value is None for value in values) else values

    def clamp(self, limit: int) -> int:
        """``limit`` within the parameter's bounds."""
        limit = max(limit, self.min_limit)
        return limit if self.max_limit is None else min(limit, self.max_limit)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def listing_of(operation: Operation) -> Listing | None:
    """The operation as a listing, or None when it does not follow the paging convention."""
    query = {parameter.name: parameter for parameter in operation.parameters_in(QUERY)}
    cursor, limit = query.get(CURSOR_PARAMETER), query.get(LIMIT_PARAMETER)
    if cursor is None or limit is None or not operation.answers(0):
        return None
    success = operation.success
    if ITEMS_MEMBER not in success.carries or operation.data_member_types.get(ITEMS_MEMBER) != "array":
        return None
    if limit.schema.get("type") != "integer":
        return None
    return Listing(
        operation=operation,
        min_limit=max(_int(limit.schema.get("minimum")) or 1, 1),
        max_limit=_int(limit.schema.get("maximum")),
        default_limit=_int(limit.schema.get("default")),
        identifiers=_example_identifiers(success.example),
    )


def _example_identifiers(example: Mapping[str, Any] | None) -> tuple[str, ...]:
    data = (example or {}).get("data")
    items = data.get(ITEMS_MEMBER) if isinstance(data, Mapping) else None
    first = items[0] if isinstance(items, list) and items else None
    if not isinstance(first, Mapping):
        return ()
    return tuple(name for name in first if name.endswith(IDENTIFIER_SUFFIX))


def listings(contract: Contract) -> tuple[Listing, ...]:
    return tuple(found for op in contract.operations if (found := listing_of(op)) is not None)


def created_identities(listing: Listing, operation: Operation, data: Any) -> list[tuple[Any, ...]]:
    """The identities of the things ``operation``'s success ``data`` says it created, as
    ``listing`` would show them; nothing for an operation that only reads."""
    if operation.idempotent or operation.operation_id == listing.operation.operation_id:
        return []
    if not isinstance(data, Mapping):
        return []
    found = []
    for member in operation.success.carries:
        identity = listing.identity(data.get(member))
        if identity is not None and all(value is not None for value in identity):
            found.append(identity)
    return found
