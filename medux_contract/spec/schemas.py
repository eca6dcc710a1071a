"""JSON Schema 2020-12 validators for schemas inside the spec, with their ``#/...`` refs resolved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:medux:openapi"


def schema_validator(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for ``schema`` whose ``#/...`` refs resolve inside ``document`` (the whole spec)."""
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(dict(document), default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$id": f"{SPEC_URI}#/inline", **rebase_refs(dict(schema))},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def rebase_refs(node: Any) -> Any:
    """Point a schema's local ``#/...`` refs at the spec resource, so any validator can resolve them."""
    if isinstance(node, Mapping):
        return {
            key: (
                SPEC_URI + value
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else rebase_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list | tuple):
        return [rebase_refs(item) for item in node]
    return node
