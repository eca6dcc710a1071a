"""The MCP tool descriptor (``site/mcp-tool.json``): the operation with ``x-medux-mcp-tool``, only that one.

The vendor documents an MCP tool for Create Avatar by Image only, so no other operation gets one:
a tool is published exactly where the spec declares the extension, never invented for the rest.

The descriptor is checked against the official MCP wire types (``mcp-types``, the type package of
the MCP Python SDK): the schema-exact ``tools/list`` shape of the latest handshake protocol
version, the SDK's own ``Tool`` model, and no key outside the ``Tool`` fields (the wire models
ignore unknown keys, so a misspelt ``tittle`` would otherwise pass unnoticed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mcp_types
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from mcp_types.methods import validate_server_result
from mcp_types.version import LATEST_HANDSHAKE_VERSION
from pydantic import ValidationError

from medux_contract.docs.code_samples import request_schema_name
from medux_contract.spec import MCP_TOOL_KEY, Contract, Operation, SpecError
from medux_contract.spec.refs import resolve

# OpenAPI's additions to JSON Schema: meaningless to an MCP client's JSON Schema validator.
OPENAPI_ONLY_KEYWORDS = frozenset({"discriminator", "xml", "externalDocs", "example"})
DESCRIPTOR_KEYS = ("name", "title", "description")


class DescriptorError(ValueError):
    """The descriptor does not have the shape of an MCP tool definition."""


def resolved_schema(spec: dict[str, Any], schema: Any, seen: tuple[str, ...] = ()) -> Any:
    """``schema`` with every ``#/components/schemas`` ref inlined and OpenAPI-only keys dropped."""
    if isinstance(schema, list):
        return [resolved_schema(spec, item, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target, at = resolve(spec, schema, "#", "the MCP input schema")
        if at in seen:
            name = at.rsplit("/", 1)[-1]
            raise SpecError(f"the MCP input schema is recursive through {name}; it cannot be inlined")
        return resolved_schema(spec, target, (*seen, at))
    return {
        key: resolved_schema(spec, value, seen)
        for key, value in schema.items()
        if key not in OPENAPI_ONLY_KEYWORDS and not key.startswith("x-")
    }


def tool_descriptor(contract: Contract, operation: Operation) -> dict[str, Any]:
    """The MCP tool of ``operation``, from its ``x-medux-mcp-tool`` and its request schema."""
    extension = operation.mcp_tool
    if extension is None:
        raise SpecError(f"{operation.operation_id} has no {MCP_TOOL_KEY} mapping")
    missing = [key for key in DESCRIPTOR_KEYS if not isinstance(extension.get(key), str)]
    if missing:
        raise SpecError(f"{MCP_TOOL_KEY} of {operation.operation_id} lacks {', '.join(missing)}")
    descriptor: dict[str, Any] = {key: extension[key].strip() for key in DESCRIPTOR_KEYS}
    descriptor["inputSchema"] = resolved_schema(
        dict(contract.document), {"$ref": f"#/components/schemas/{request_schema_name(operation)}"}
    )
    return descriptor


def tool_descriptors(contract: Contract) -> dict[str, dict[str, Any]]:
    """operationId -> MCP tool, for the operations the vendor offers as a tool (only those)."""
    tools = {}
    for operation in contract.operations:
        if operation.raw.get(MCP_TOOL_KEY) is not None and operation.mcp_tool is None:
            raise SpecError(f"{MCP_TOOL_KEY} of {operation.operation_id} must be a mapping")
        if operation.mcp_tool is not None:
            tools[operation.operation_id] = tool_descriptor(contract, operation)
    return tools


def published_tool(tools: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The one tool ``mcp-tool.json`` publishes: the spec must declare exactly one."""
    if len(tools) != 1:
        declared = ", ".join(tools) or "none"
        raise SpecError(
            f"mcp-tool.json publishes one MCP tool, so exactly one operation needs a {MCP_TOOL_KEY} "
            f"mapping (declared on: {declared})"
        )
    return next(iter(tools.values()))


def validate_descriptor(descriptor: dict[str, Any]) -> None:
    """Raise :class:`DescriptorError` unless ``descriptor`` is a valid MCP tool definition."""
    known = {field.alias or name for name, field in mcp_types.Tool.model_fields.items()}
    unknown = sorted(set(descriptor) - known)
    if unknown:
        raise DescriptorError(f"keys that are not MCP Tool fields: {', '.join(unknown)}")
    try:
        validate_server_result("tools/list", LATEST_HANDSHAKE_VERSION, {"tools": [descriptor]})
        mcp_types.Tool.model_validate(descriptor, by_name=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise DescriptorError(
            f"not an MCP tool definition ({LATEST_HANDSHAKE_VERSION}): {problems}"
        ) from None
    try:
        Draft202012Validator.check_schema(descriptor["inputSchema"])
    except SchemaError as exc:
        raise DescriptorError(f"inputSchema is not a valid JSON Schema 2020-12: {exc.message}") from None
