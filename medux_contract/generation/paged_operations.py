"""Which operations the client pages automatically, and the Python names the generator gives them.

An operation is paged when it takes a ``cursor`` query parameter and its success outcome carries an
array member while its ``data`` also declares a string ``next_cursor``: List Avatars today, and any
operation the spec adds in that shape. The names (endpoint module, models) are computed with
openapi-python-client's own naming functions, so they match what it generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openapi_python_client.strings import ClassName, PythonIdentifier, pascal_case

from medux_contract.spec import Contract, Operation, component_name
from medux_contract.spec.model import COMPONENT_SCHEMA_PREFIX

CURSOR_PARAMETER = "cursor"
NEXT_CURSOR_MEMBER = "next_cursor"
# openapi-python-client's defaults (our generator config leaves them alone).
FIELD_PREFIX = "field_"
TAG_PREFIX = "tag"
DEFAULT_TAG = "default"
RESULT_SUFFIX = "Result"


class PagingError(ValueError):
    """A paged operation whose types the client cannot name; the message says which node."""


def endpoint_module(operation: Operation) -> str:
    """The module openapi-python-client writes the operation's functions to: ``api/<tag>/<this>.py``."""
    return str(PythonIdentifier(operation.operation_id, prefix=FIELD_PREFIX))


def result_class(operation: Operation) -> str:
    """``createAvatarByImage`` -> ``CreateAvatarByImageResult``: the typed success ``sync`` returns
    (``results.py``; the endpoint template names it the same way from the module name)."""
    return pascal_case(endpoint_module(operation)) + RESULT_SUFFIX


def tag_package(operation: Operation) -> str:
    """The package under ``api/`` that holds the operation's module (its first tag)."""
    return str(PythonIdentifier(operation.tags[0] if operation.tags else DEFAULT_TAG, prefix=TAG_PREFIX))


@dataclass(frozen=True)
class PagedOperation:
    operation_id: str
    module: str
    tag: str
    envelope_class: str
    result_class: str
    item_class: str
    items_member: str
    cursor_member: str


def _component(node: Any, what: str, operation: Operation) -> str:
    name = component_name(node)
    if name is None:
        raise PagingError(
            f"{operation.operation_id}: to page it, {what} must be a $ref to {COMPONENT_SCHEMA_PREFIX}<name> "
            "(the client names its types after the component)"
        )
    return name


def _items_member(operation: Operation) -> str | None:
    arrays = [
        member for member in operation.success.carries if operation.data_member_types.get(member) == "array"
    ]
    if len(arrays) != 1:
        return None
    return arrays[0]


def _is_paged(operation: Operation) -> bool:
    return (
        operation.answers(0)
        and any(p.name == CURSOR_PARAMETER for p in operation.parameters_in("query"))
        and operation.data_member_types.get(NEXT_CURSOR_MEMBER) == "string"
        and _items_member(operation) is not None
    )


def paged_operation(contract: Contract, operation: Operation) -> PagedOperation | None:
    """How to page ``operation``, or None when it does not page."""
    member = _items_member(operation)
    if member is None or not _is_paged(operation):
        return None
    envelope = _component(operation.response_schema, "the response envelope schema", operation)
    data_node = contract.schema_properties(operation.response_schema, envelope).get("data")
    data = _component(data_node, f"{envelope}.data", operation)
    array = contract.resolve_schema(contract.data_member_schema(operation, member), f"{data}.{member}")
    item = _component(array.get("items"), f"the items of {data}.{member}", operation)
    return PagedOperation(
        operation_id=operation.operation_id,
        module=endpoint_module(operation),
        tag=tag_package(operation),
        envelope_class=str(ClassName(envelope, prefix=FIELD_PREFIX)),
        result_class=result_class(operation),
        item_class=str(ClassName(item, prefix=FIELD_PREFIX)),
        items_member=str(PythonIdentifier(member, prefix=FIELD_PREFIX)),
        cursor_member=str(PythonIdentifier(NEXT_CURSOR_MEMBER, prefix=FIELD_PREFIX)),
    )


def paged_operations(contract: Contract) -> list[PagedOperation]:
    """Every operation of ``contract`` the client pages, in document order."""
    return [paged for op in contract.operations if (paged := paged_operation(contract, op)) is not None]
