"""The MCP tool descriptor (``site/mcp-tool.json``) from the spec's MCP extension and request schema.

The descriptor is checked against the official MCP wire types (``mcp-types``, the type package of
the MCP Python SDK): the schema-exact ``tools/list`` shape of the latest handshake protocol
version, the SDK's own ``Tool`` model, and no key outside the ``Tool`` fields (the wire models
ignore unknown keys, so a misspelt ``tittle`` would otherwise pass unnoticed).
"""

from __future__ import annotations

from typing import Any

import mcp_types
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from mcp_types.methods import validate_server_result
from mcp_types.version import LATEST_HANDSHAKE_VERSION
from pydantic import ValidationError

from medux_contract.docs.code_samples import request_schema_name
from medux_contract.spec import MCP_TOOL_KEY, SpecError, operation
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


def tool_descriptor(spec: dict[str, Any]) -> dict[str, Any]:
    extension = operation(spec).get(MCP_TOOL_KEY)
    if not isinstance(extension, dict):
        raise SpecError(f"the operation has no {MCP_TOOL_KEY} mapping")
    missing = [key for key in DESCRIPTOR_KEYS if not isinstance(extension.get(key), str)]
    if missing:
        raise SpecError(f"{MCP_TOOL_KEY} lacks {', '.join(missing)}")
    descriptor: dict[str, Any] = {key: extension[key].strip() for key in DESCRIPTOR_KEYS}
    descriptor["inputSchema"] = resolved_schema(
        spec, {"$ref": f"#/components/schemas/{request_schema_name(spec)}"}
    )
    return descriptor


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
