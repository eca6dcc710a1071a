"""A made-up third operation, added to a copy of openapi.yaml, to prove that operations are data.

``getWidgetStatus`` is a GET with two query parameters and its own small code set (0, 12, 13),
nothing like the real operations. Every area's test that takes it (lint rules, client generation,
mock, conformance, docs, breaking gate) runs the library unchanged on the fixture spec: if any
module still assumed the real operations, the fixture would fail there.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from medux_contract.spec import SPEC_PATH, read_spec

FIXTURE_OPERATION_ID = "getWidgetStatus"
FIXTURE_PATH = "/api/app/v1/clone/fixture_widgets/status"
FIXTURE_METHOD = "get"
FIXTURE_CODES = (0, 12, 13)
FIXTURE_SCHEMA = "WidgetStatusResponse"

_OPERATION: dict[str, Any] = {
    "operationId": FIXTURE_OPERATION_ID,
    "tags": ["Clone"],
    "summary": "Get Widget Status",
    "description": "A made-up read used only by the tests: the status of one widget.",
    "security": [{"bearerAuth": []}],
    "parameters": [
        {
            "name": "widget_id",
            "in": "query",
            "required": True,
            "description": "The widget to look up.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 40},
            "example": "widget_1",
        },
        {
            "name": "verbose",
            "in": "query",
            "required": False,
            "description": "Whether to include details.",
            "schema": {"type": "boolean", "default": False},
            "example": True,
        },
    ],
    "x-medux-outcomes": [
        {"code": 0, "carries": ["widget"], "billable": False},
        {"code": 12, "carries": [], "billable": False},
        {"code": 13, "carries": [], "billable": False},
    ],
    "responses": {
        "200": {
            "description": "The response envelope; one example per code.",
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{FIXTURE_SCHEMA}"},
                    "examples": {
                        "ok": {
                            "summary": "0 ok",
                            "value": {"code": 0, "message": "ok", "data": {"widget": {"state": "ready"}}},
                        },
                        "invalid_input": {
                            "summary": "12 invalid input",
                            "value": {"code": 12, "message": "invalid input"},
                        },
                        "unauthenticated": {
                            "summary": "13 unauthenticated",
                            "value": {"code": 13, "message": "unauthenticated"},
                        },
                    },
                }
            },
        },
        "default": {
            "description": "The same envelope under any status.",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{FIXTURE_SCHEMA}"}}},
        },
    },
}

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The envelope of the made-up widget status operation.",
    "additionalProperties": True,
    "properties": {
        "code": {"$ref": "#/components/schemas/ResponseCode"},
        "message": {"$ref": "#/components/schemas/ResponseMessage"},
        "data": {
            "type": "object",
            "additionalProperties": True,
            "description": "What the widget status answer carries.",
            "properties": {
                "widget": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "The widget's status.",
                    "properties": {"state": {"type": "string", "description": "The widget's state."}},
                }
            },
        },
    },
}


def with_fixture_operation(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with the made-up operation and its envelope schema added."""
    spec = copy.deepcopy(document)
    spec["paths"][FIXTURE_PATH] = {FIXTURE_METHOD: copy.deepcopy(_OPERATION)}
    spec["components"]["schemas"][FIXTURE_SCHEMA] = copy.deepcopy(_SCHEMA)
    return spec


def write_fixture_spec(directory: Path, source: Path = SPEC_PATH) -> Path:
    """Write openapi.yaml plus the made-up operation to ``directory/openapi.yaml``; return its path."""
    path = directory / "openapi.yaml"
    path.write_text(
        yaml.safe_dump(with_fixture_operation(read_spec(source)), sort_keys=False), encoding="utf-8"
    )
    return path
