"""site/mcp-tool.json: the spec's MCP extension plus the request schema, in the shape MCP defines.

Only the operation the vendor offers as a tool (the one with ``x-medux-mcp-tool``) gets one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mcp_types
import pytest
from jsonschema import Draft202012Validator

from contract_tests.fixture_operation import with_fixture_operation
from medux_contract.docs.mcp import (
    DescriptorError,
    published_tool,
    tool_descriptor,
    tool_descriptors,
    validate_descriptor,
)
from medux_contract.spec import MCP_TOOL_KEY, Operation, SpecError, contract_of, load_contract, load_spec
from medux_contract.spec.refs import lookup

CONTRACT = load_contract()


def tool_operation() -> Operation:
    [operation] = [op for op in CONTRACT.operations if op.mcp_tool is not None]
    return operation


def tool_node(spec: dict[str, Any]) -> dict[str, Any]:
    node = lookup(spec, tool_operation().pointer, "the tool's operation")
    assert isinstance(node, dict)
    return node


def test_published_descriptor_is_an_mcp_tool_made_from_the_extension(site: Path) -> None:
    published = json.loads((site / "mcp-tool.json").read_text(encoding="utf-8"))
    extension = tool_operation().mcp_tool
    assert extension is not None
    tool = mcp_types.Tool.model_validate(published, by_name=False)
    assert (tool.name, tool.title, tool.description) == (
        extension["name"],
        extension["title"],
        extension["description"],
    )
    validate_descriptor(published)


def test_input_schema_is_the_request_schema_without_refs(site: Path) -> None:
    schema = json.loads((site / "mcp-tool.json").read_text(encoding="utf-8"))["inputSchema"]
    assert "$ref" not in json.dumps(schema)
    assert not [key for key in json.dumps(schema).split('"') if key.startswith("x-")]
    validator = Draft202012Validator(schema)
    for example in tool_operation().request_examples.values():
        assert list(validator.iter_errors(example)) == [], example
    assert not validator.is_valid({})
    assert not validator.is_valid({"file_id": ""})


def test_nested_refs_are_inlined(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["Crop"] = {"type": "object", "properties": {"x": {"type": "integer"}}, "x-internal": True}
    schemas["CreateAvatarByImageRequest"]["properties"]["crop"] = {"$ref": "#/components/schemas/Crop"}
    contract = contract_of(spec)
    crop = tool_descriptor(contract, contract.operation(tool_operation().operation_id))["inputSchema"]
    crop = crop["properties"]["crop"]
    assert crop == {"type": "object", "properties": {"x": {"type": "integer"}}}


def test_a_recursive_request_schema_is_a_spec_error(spec: dict[str, Any]) -> None:
    request = spec["components"]["schemas"]["CreateAvatarByImageRequest"]
    request["properties"]["parent"] = {"$ref": "#/components/schemas/CreateAvatarByImageRequest"}
    with pytest.raises(SpecError, match="recursive"):
        tool_descriptors(contract_of(spec))


def test_only_the_operation_with_the_extension_gets_a_tool() -> None:
    """The vendor documents an MCP tool for Create by Image only: none is invented for the list."""
    assert list(tool_descriptors(CONTRACT)) == [tool_operation().operation_id]
    assert [op.operation_id for op in CONTRACT.operations if op.mcp_tool is None]
    fixture = contract_of(with_fixture_operation(load_spec()))
    assert list(tool_descriptors(fixture)) == [tool_operation().operation_id]


def test_a_spec_without_any_tool_cannot_publish_one(spec: dict[str, Any]) -> None:
    del tool_node(spec)[MCP_TOOL_KEY]
    with pytest.raises(SpecError, match=f"exactly one operation needs a {MCP_TOOL_KEY}"):
        published_tool(tool_descriptors(contract_of(spec)))


def test_an_extension_that_is_not_a_mapping_is_a_spec_error(spec: dict[str, Any]) -> None:
    tool_node(spec)[MCP_TOOL_KEY] = "avatar_clone_by_image"
    with pytest.raises(SpecError, match="must be a mapping"):
        tool_descriptors(contract_of(spec))


def test_an_extension_without_a_title_is_a_spec_error(spec: dict[str, Any]) -> None:
    del tool_node(spec)[MCP_TOOL_KEY]["title"]
    with pytest.raises(SpecError, match="lacks title"):
        tool_descriptors(contract_of(spec))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda tool: tool.update(tittle="misspelt"), "tittle"),
        (lambda tool: tool.pop("name"), "name"),
        (lambda tool: tool.update(inputSchema={"type": "array"}), "inputSchema"),
        (lambda tool: tool.pop("inputSchema"), "inputSchema"),
        (
            lambda tool: tool["inputSchema"]["properties"].update(a={"type": "strng"}),
            "not a valid JSON Schema",
        ),
    ],
    ids=["unknown-key", "no-name", "array-input", "no-input-schema", "invalid-json-schema"],
)
def test_descriptors_mcp_would_reject_are_refused(change: Any, problem: str) -> None:
    tool = tool_descriptor(CONTRACT, tool_operation())
    change(tool)
    with pytest.raises(DescriptorError, match=problem):
        validate_descriptor(tool)
