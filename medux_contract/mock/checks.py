"""The refusal steps of the decision chain, each built only for an operation that can answer it.

A step is made from the operation (its outcomes and its request body's properties); its factory
returns None when the operation cannot answer the code the step would yield or has no input the
step reads, so a read-only GET never meets the credit, model or file checks of the billable POST,
and an operation added to the spec gets exactly the steps its outcomes allow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from medux_contract.mock.accounts import Accounts
from medux_contract.mock.call import Call, Refused
from medux_contract.mock.catalog import IMAGE_CATEGORY, Catalog
from medux_contract.spec import CodeTable, Operation

Check = Callable[[Call], None]


def answers(operation: Operation, codes: CodeTable, name: str) -> bool:
    """Whether ``operation`` can answer the table row named ``name`` (False if there is none)."""
    try:
        return operation.answers(codes.by_name(name).code)
    except KeyError:
        return False


def rate_limit(operation: Operation, codes: CodeTable, accounts: Accounts) -> Check | None:
    """16 when the key's token bucket is empty (no step when the mock limits no rate)."""
    if not (accounts.limits_rate and operation.secured and answers(operation, codes, "RATE_LIMITED")):
        return None

    def check(call: Call) -> None:
        assert call.key is not None
        wait = accounts.admit(call.key)
        if wait is not None:
            raise Refused("RATE_LIMITED", "rate limit bucket empty", retry_after=wait)

    return check


def model(
    operation: Operation,
    codes: CodeTable,
    properties: Mapping[str, Any],
    catalog: Catalog,
    accounts: Accounts,
) -> Check | None:
    """1410 for a ``model_id`` the catalog does not know; 1409 for a paid model on a free plan."""
    if "model_id" not in properties or not answers(operation, codes, "INVALID_MODEL"):
        return None
    default = properties["model_id"].get("default")
    plan_matters = operation.secured and answers(operation, codes, "PAID_PLAN_REQUIRED")

    def check(call: Call) -> None:
        chosen = call.body.get("model_id", default)
        needs = catalog.models.get(chosen) if isinstance(chosen, str) else None
        if needs is None:
            raise Refused("INVALID_MODEL", f"unknown model_id {chosen!r}")
        if plan_matters and needs == "paid" and call.key is not None and accounts.plan(call.key) != "paid":
            raise Refused("PAID_PLAN_REQUIRED", f"model_id {chosen!r} needs a paid plan")

    return check


def file(
    operation: Operation, codes: CodeTable, properties: Mapping[str, Any], catalog: Catalog
) -> Check | None:
    """12 for a ``file_id`` never uploaded; 1402 for a file that is not an image."""
    if "file_id" not in properties or not answers(operation, codes, "ASSET_CATEGORY_MISMATCH"):
        return None

    def check(call: Call) -> None:
        file_id = call.body.get("file_id")
        category = catalog.files.get(file_id) if isinstance(file_id, str) else None
        if category is None:
            raise Refused("INVALID_INPUT", f"unknown file_id {file_id!r}")
        if category != IMAGE_CATEGORY:
            raise Refused("ASSET_CATEGORY_MISMATCH", f"file_id {file_id!r} is {category!r}, not image")

    return check


def checks_for(
    operation: Operation,
    codes: CodeTable,
    properties: Mapping[str, Any],
    catalog: Catalog,
    accounts: Accounts,
) -> tuple[Check, ...]:
    """The operation's refusal steps, in the order the README documents."""
    steps = (
        rate_limit(operation, codes, accounts),
        model(operation, codes, properties, catalog, accounts),
        file(operation, codes, properties, catalog),
    )
    return tuple(step for step in steps if step is not None)
