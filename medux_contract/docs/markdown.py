"""The Markdown reference (``site/reference.md``) and the Markdown tables the HTML page reuses.

Written for a Git host's renderer (GitHub-flavoured tables, fenced code): one section per
operation of the spec model, each with its endpoint, parameters, body, envelope, its own code
table (only the codes it can answer, with its retry safety and billing), examples and code
samples. Nothing here names an operation: every section comes from ``contract.operations``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from medux_contract.docs.code_samples import code_samples, request_example, server_url
from medux_contract.docs.recovery import HEADING as RECOVERY_HEADING
from medux_contract.docs.recovery import involving, recipe_markdown
from medux_contract.spec import (
    CODE_TABLE_KEY,
    OUTCOMES_KEY,
    Contract,
    Operation,
    Outcome,
    Parameter,
    component_name,
)

CODE_COLUMNS = ("code", "name", "message", "meaning", "retry", "billing")
PARAMETER_COLUMNS = ("parameter", "in", "type", "required", "default", "description")
FIELD_COLUMNS = ("field", "type", "required", "default", "description")
EXAMPLE_COLUMNS = ("code", "example", "body")
CODE_TABLE_HEADING = "Outcome codes"
CODE_LEGEND = (
    "The outcome of a call is the envelope's `code`, not the HTTP status. **retry**: an automatic "
    "retry of this operation after this code is safe (it cannot create anything twice or spend "
    "credits twice). **billing**: a call answered with this code may have cost credits. Both flags "
    "are this project's judgement, not the vendor's; meanings marked *inferred* are our reading of "
    "the message."
)
# Schema keywords worth a reader's eye in a parameter's type cell, as ``name value``.
CONSTRAINTS = ("minimum", "maximum", "minLength", "maxLength", "enum")


def cell(value: object) -> str:
    """One table cell: pipes escaped and line breaks folded, so a value cannot break the table."""
    return " ".join(str(value).split()).replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
        *("| " + " | ".join(cell(value) for value in row) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def code_row(outcome: Outcome) -> tuple[str, ...]:
    code = outcome.code
    meaning = code.meaning + (" *(inferred)*" if code.meaning_source == "inferred" else "")
    return (
        str(code.code),
        f"`{code.name}`",
        code.message,
        meaning,
        "safe" if outcome.retry_safe else "no",
        "may bill" if outcome.billable else "no",
    )


def code_table_markdown(operation: Operation) -> str:
    """The codes ``operation`` can answer, in the vendor's order, with its own retry and billing."""
    return CODE_LEGEND + "\n\n" + table(CODE_COLUMNS, (code_row(outcome) for outcome in operation.outcomes))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def type_label(contract: Contract, schema: Any, where: str) -> str:
    target = contract.resolve_schema(schema, where)
    label = str(target.get("type", "any"))
    if "format" in target:
        label += f" ({target['format']})"
    name = component_name(schema)
    if name:
        return f"{label} `{name}`"
    item = component_name(target.get("items")) if label == "array" else None
    return f"array of `{item}`" if item else label


def parameter_type(contract: Contract, parameter: Parameter) -> str:
    label = type_label(contract, parameter.schema, f"parameter {parameter.name}")
    bounds = [f"{key} {_json(parameter.schema[key])}" for key in CONSTRAINTS if key in parameter.schema]
    return ", ".join((label, *bounds))


def parameters_table(contract: Contract, operation: Operation) -> str:
    rows = [
        (
            f"`{parameter.name}`",
            parameter.location,
            parameter_type(contract, parameter),
            "yes" if parameter.required else "no",
            f"`{_json(parameter.schema['default'])}`" if "default" in parameter.schema else "",
            parameter.description,
        )
        for parameter in operation.parameters
    ]
    return table(PARAMETER_COLUMNS, rows)


def properties_table(contract: Contract, schema: Any, where: str) -> str:
    """One row per property of ``schema`` (a ``$ref`` or a schema written in place)."""
    required = set(contract.resolve_schema(schema, where).get("required", []))
    rows = []
    for field, prop in contract.schema_properties(schema, where).items():
        target = contract.resolve_schema(prop, f"{where}.{field}")
        prop_mapping = prop if isinstance(prop, Mapping) else {}
        default = prop_mapping.get("default", target.get("default"))
        rows.append(
            (
                f"`{field}`",
                type_label(contract, prop, f"{where}.{field}"),
                "yes" if field in required else "no",
                "" if default is None else f"`{default}`",
                prop_mapping.get("description") or target.get("description", ""),
            )
        )
    return table(FIELD_COLUMNS, rows)


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _schema_line(contract: Contract, schema: Any, where: str, extra: str = "") -> str:
    name = component_name(schema)
    shown = f"schema `{name}`" if name else "an inline schema"
    description = contract.resolve_schema(schema, where).get("description", "")
    return f"`application/json`, {shown}{extra}. {description}\n"


def data_members(contract: Contract, operation: Operation) -> list[str]:
    """The members ``data`` may hold (which code carries which is in the code table's examples)."""
    where = f"{operation.operation_id} envelope data"
    data = contract.schema_properties(operation.response_schema, where).get("data")
    if not contract.schema_properties(data, where):
        return []
    return [f"Members of `data`{_named(data)}:\n", properties_table(contract, data, where)]


def _named(schema: Any) -> str:
    name = component_name(schema)
    return f" (`{name}`)" if name else ""


def endpoint_line(contract: Contract, operation: Operation) -> str:
    return f"`{operation.method.upper()} {server_url(contract)}{operation.path}`\n"


def operation_markdown(contract: Contract, operation: Operation, tool: Mapping[str, Any] | None) -> list[str]:
    """The section of one operation; ``tool`` is its MCP descriptor when the spec declares one."""
    op_id = operation.operation_id
    parts = [
        f"## {operation.summary or op_id}\n",
        endpoint_line(contract, operation),
        f"{operation.description.strip()}\n",
    ]
    if operation.parameters:
        parts += ["### Parameters\n", parameters_table(contract, operation)]
    if operation.has_body:
        required = " (required)" if operation.request_required else ""
        parts += [
            "### Request body\n",
            _schema_line(contract, operation.request_schema, f"{op_id} request body", required),
            properties_table(contract, operation.request_schema, f"{op_id} request body"),
        ]
    parts += [
        "### Response envelope\n",
        _schema_line(contract, operation.response_schema, f"{op_id} envelope"),
        properties_table(contract, operation.response_schema, f"{op_id} envelope"),
        *data_members(contract, operation),
        f"### {CODE_TABLE_HEADING}\n",
        f"The codes this operation can answer (`{OUTCOMES_KEY}`), from the spec's code table "
        f"(`{CODE_TABLE_KEY}`), in the vendor's order.\n",
        code_table_markdown(operation),
        "### Examples\n",
    ]
    if operation.has_body:
        first, _ = request_example(operation)
        parts.append("#### Requests\n")
        for name, value in operation.request_examples.items():
            marker = " (the samples send this one)" if name == first else ""
            parts += [f"**{name}**{marker}\n", _json_block(value)]
    parts.append("#### Responses (one per code, under HTTP 200)\n")
    rows = [(f"`{o.value}`", f"`{o.example_name}`", f"`{_compact(o.example)}`") for o in operation.outcomes]
    parts.append(table(EXAMPLE_COLUMNS, rows))
    parts.append("### Code samples\n")
    for sample in code_samples(contract, operation):
        fence = "sh" if sample.label == "curl" else sample.lang.lower()
        parts += [f"#### {sample.label}\n", f"```{fence}\n{sample.source}```\n"]
    recipes = involving(contract, operation)
    if recipes:
        parts.append(f"### {RECOVERY_HEADING}\n")
        parts += [recipe_markdown(contract, recovery) for recovery in recipes]
    if tool is not None and operation.mcp_tool is not None:
        parts += [
            "### MCP tool\n",
            "The same operation as a Model Context Protocol tool; its descriptor, with the request "
            "body's JSON Schema as `inputSchema`, is [`mcp-tool.json`](mcp-tool.json).\n",
            table(
                ("name", "title", "description"), [(f"`{tool['name']}`", tool["title"], tool["description"])]
            ),
            f"Example invocation: {operation.mcp_tool.get('invocation_example', '')}\n",
        ]
    return parts


def reference_markdown(contract: Contract, tools: Mapping[str, Mapping[str, Any]]) -> str:
    """The whole Markdown reference; ``tools`` maps an operationId to its MCP tool descriptor."""
    info = contract.document.get("info", {})
    parts = [
        f"# {contract.title or 'API reference'}\n",
        f"{info.get('summary', '')}\n",
        f"Contract version `{contract.version}`. Generated from `openapi.yaml` by `make docs`: "
        "do not edit by hand.\n",
        table(
            ("operation", "endpoint"),
            [(op.summary or op.operation_id, f"`{op.label}`") for op in contract.operations],
        ),
        "## Authentication\n",
        *(
            f"- `{scheme.name}`: HTTP `{scheme.scheme}`. {scheme.description}\n"
            for scheme in dict.fromkeys(s for op in contract.operations for s in op.security_schemes)
        ),
    ]
    for operation in contract.operations:
        parts += operation_markdown(contract, operation, tools.get(operation.operation_id))
    return "\n".join(parts)
