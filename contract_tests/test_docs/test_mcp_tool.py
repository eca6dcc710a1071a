"""site/mcp-tool.json: the spec's MCP extension plus the request schema, in the shape MCP defines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mcp_types
import pytest
from jsonschema import Draft202012Validator

from medux_contract.docs.mcp import DescriptorError, tool_descriptor, validate_descriptor
from medux_contract.spec import MCP_TOOL_KEY, SpecError, load_spec, operation


def request_examples(spec: dict[str, Any]) -> list[Any]:
    media = operation(spec)["requestBody"]["content"]["application/json"]
    return [example["value"] for example in media["examples"].values()]


def test_published_descriptor_is_an_mcp_tool_made_from_the_extension(site: Path) -> None:
    published = json.loads((site / "mcp-tool.json").read_text(encoding="utf-8"))
    extension = operation(load_spec())[MCP_TOOL_KEY]
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
    for example in request_examples(load_spec()):
        assert list(validator.iter_errors(example)) == [], example
    assert not validator.is_valid({})
    assert not validator.is_valid({"file_id": ""})


def test_nested_refs_are_inlined(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["Crop"] = {"type": "object", "properties": {"x": {"type": "integer"}}, "x-internal": True}
    schemas["CreateAvatarByImageRequest"]["properties"]["crop"] = {"$ref": "#/components/schemas/Crop"}
    crop = tool_descriptor(spec)["inputSchema"]["properties"]["crop"]
    assert crop == {"type": "object", "properties": {"x": {"type": "integer"}}}


def test_a_recursive_request_schema_is_a_spec_error(spec: dict[str, Any]) -> None:
    request = spec["components"]["schemas"]["CreateAvatarByImageRequest"]
    request["properties"]["parent"] = {"$ref": "#/components/schemas/CreateAvatarByImageRequest"}
    with pytest.raises(SpecError, match="recursive"):
        tool_descriptor(spec)


def test_a_missing_extension_is_a_spec_error(spec: dict[str, Any]) -> None:
    del operation(spec)[MCP_TOOL_KEY]
    with pytest.raises(SpecError, match=MCP_TOOL_KEY):
        tool_descriptor(spec)


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
    tool = tool_descriptor(load_spec())
    change(tool)
    with pytest.raises(DescriptorError, match=problem):
        validate_descriptor(tool)
