"""The recovery recipe: after an unknown outcome, look before repeating, derived from the spec.

A code whose ``retry`` is ``if_idempotent`` leaves the outcome unknown; on an operation that is not
idempotent (Create Avatar by Image) the client must not repeat it blindly, because a repeat could
create and bill a second asset. If the spec also has a safe, free, paged operation whose items
are the schema that operation creates (List Avatars lists ``Asset``), that listing is how a caller
finds out. The recipe is written for every such pair the spec declares, in both references.
"""

from __future__ import annotations

from dataclasses import dataclass

from medux_contract.docs.paging import paging
from medux_contract.spec import Contract, Operation, Outcome, Retry, component_name

HEADING = "After an unknown outcome"


@dataclass(frozen=True)
class Recovery:
    """One operation whose outcome some codes leave unknown, and the listing that can tell."""

    operation: Operation
    unknown: tuple[Outcome, ...]
    listing: Operation | None
    created: str | None


def _created_schema(contract: Contract, operation: Operation) -> str | None:
    """The schema of the first ``data`` member the success code carries (``Asset``), if named."""
    for member in operation.success.carries:
        name = component_name(contract.data_member_schema(operation, member))
        if name is not None:
            return name
    return None


def _listed_schema(contract: Contract, operation: Operation) -> str | None:
    pages = paging(contract, operation)
    if pages is None:
        return None
    node = contract.data_member_schema(operation, pages.items_member)
    return component_name(
        contract.resolve_schema(node, f"{operation.operation_id} data.{pages.items_member}").get("items")
    )


def recoveries(contract: Contract) -> tuple[Recovery, ...]:
    found = []
    for operation in contract.operations:
        unknown = tuple(
            outcome
            for outcome in operation.outcomes
            if outcome.code.retry is Retry.IF_IDEMPOTENT and not outcome.retry_safe
        )
        if not unknown:
            continue
        created = _created_schema(contract, operation)
        listing = next(
            (
                candidate
                for candidate in contract.operations
                if candidate.idempotent
                and not candidate.can_bill
                and created is not None
                and _listed_schema(contract, candidate) == created
            ),
            None,
        )
        found.append(Recovery(operation, unknown, listing, created))
    return tuple(found)


def involving(contract: Contract, operation: Operation) -> tuple[Recovery, ...]:
    """The recipes that concern ``operation``: as the one to recover, or as the listing that tells."""
    return tuple(
        recovery
        for recovery in recoveries(contract)
        if operation.operation_id
        in (recovery.operation.operation_id, recovery.listing.operation_id if recovery.listing else None)
    )


def recipe_markdown(contract: Contract, recovery: Recovery) -> str:
    """The recipe as one Markdown paragraph (the same text in the HTML page and in reference.md)."""
    op = recovery.operation
    codes = " and ".join(f"`{o.value}` (`{o.code.name}`)" for o in recovery.unknown)
    thing = f"its `{recovery.created}`" if recovery.created else "what it asked for"
    billed = " (and billed it)" if any(o.billable for o in recovery.unknown) else ""
    text = (
        f"{codes} from {op.summary} (`{op.label}`), like a read timeout, leave the outcome unknown: the "
        f"call may have created {thing}{billed} anyway, so the client does not repeat it and neither "
        "should you, blindly. "
    )
    listing = recovery.listing
    if listing is None:
        return text + "Find out whether it happened before you call again.\n"
    pages = paging(contract, listing)
    follow = (
        f" page through it (pass each page's `{pages.next_member}` as `{pages.cursor.name}` until a page has "
        "none) and"
        if pages
        else ""
    )
    return text + (
        f"{listing.summary} (`{listing.label}`) creates nothing, costs nothing and is safe to repeat:"
        f"{follow} look for it there before you decide to call {op.summary} again.\n"
    )
