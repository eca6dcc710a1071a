"""The Markdown reference (``site/reference.md``) and the Markdown tables the HTML page reuses.

Written for a Git host's renderer (GitHub-flavoured tables, fenced code): endpoint, auth, body,
envelope, the code table with its retry and billing flags, examples and the code samples. The
code table comes from :func:`medux_contract.spec.code_table`, never from a second list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from medux_contract.docs.code_samples import code_samples, request_schema_name, server_url
from medux_contract.spec import (
    CODE_TABLE_KEY,
    MCP_TOOL_KEY,
    OPERATION_METHOD,
    OPERATION_PATH,
    CodeEntry,
    SpecError,
    operation,
    schemas,
)
from medux_contract.spec.refs import resolve

CODE_COLUMNS = ("code", "name", "message", "meaning", "retry", "billing")
CODE_LEGEND = (
    "The outcome of a call is the envelope's `code`, not the HTTP status. **retry**: an automatic "
    "retry is safe (it cannot create a second avatar or spend credits twice). **billing**: a call "
    "answered with this code may have cost credits. Both flags are this project's judgement, not "
    "the vendor's; meanings marked *inferred* are our reading of the message."
)


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


def code_row(entry: CodeEntry) -> tuple[str, ...]:
    meaning = entry.meaning + (" *(inferred)*" if entry.meaning_source == "inferred" else "")
    return (
        str(entry.code),
        f"`{entry.name}`",
        entry.message,
        meaning,
        "safe" if entry.retryable else "no",
        "may bill" if entry.billable else "no",
    )


def code_table_markdown(entries: Sequence[CodeEntry]) -> str:
    return CODE_LEGEND + "\n\n" + table(CODE_COLUMNS, (code_row(entry) for entry in entries))


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The schema a ``$ref`` names, and that name (None for a schema written in place)."""
    if "$ref" not in schema:
        return None, schema
    target, at = resolve(spec, schema, "#", "the reference")
    if not isinstance(target, dict):
        raise SpecError(f"$ref {schema['$ref']!r} does not name a schema")
    return at.rsplit("/", 1)[-1], target


def type_label(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    name, target = _resolve(spec, schema)
    label = str(target.get("type", "any"))
    if "format" in target:
        label += f" ({target['format']})"
    return f"{label} `{name}`" if name else label


def properties_table(spec: dict[str, Any], schema_name: str) -> str:
    schema = schemas(spec).get(schema_name)
    if not isinstance(schema, dict):
        raise SpecError(f"components.schemas has no {schema_name}")
    required = set(schema.get("required", []))
    rows = []
    for field, prop in (schema.get("properties") or {}).items():
        _, target = _resolve(spec, prop)
        default = prop.get("default", target.get("default"))
        rows.append(
            (
                f"`{field}`",
                type_label(spec, prop),
                "yes" if field in required else "no",
                "" if default is None else f"`{default}`",
                prop.get("description") or target.get("description", ""),
            )
        )
    return table(("field", "type", "required", "default", "description"), rows)


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def _compact(example: dict[str, Any]) -> str:
    return json.dumps(example.get("value"), ensure_ascii=False, separators=(", ", ": "))


def _examples(media: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, ex) for name, ex in (media.get("examples") or {}).items() if isinstance(ex, dict)]


def reference_markdown(spec: dict[str, Any], entries: Sequence[CodeEntry], tool: dict[str, Any]) -> str:
    """The whole Markdown reference; ``tool`` is the MCP tool descriptor written next to it."""
    info = spec.get("info", {})
    op = operation(spec)
    body_media = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    response_media = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    response_schema, response = _resolve(spec, response_media.get("schema", {}))
    schemes = spec.get("components", {}).get("securitySchemes", {})
    parts = [
        f"# {info.get('title', 'API reference')}\n",
        f"{info.get('summary', '')}\n",
        f"Contract version `{info.get('version')}`. Generated from `openapi.yaml` by `make docs`: "
        "do not edit by hand.\n",
        f"## {op.get('summary', op.get('operationId'))}\n",
        f"`{OPERATION_METHOD.upper()} {server_url(spec)}{OPERATION_PATH}`\n",
        f"{op.get('description', '').strip()}\n",
        "## Authentication\n",
        *(
            f"- `{name}`: HTTP `{scheme.get('scheme')}`. {scheme.get('description', '')}\n"
            for name, scheme in schemes.items()
        ),
        "## Request body\n",
        f"`application/json`, schema `{request_schema_name(spec)}`"
        f"{' (required)' if op.get('requestBody', {}).get('required') else ''}. "
        f"{schemas(spec)[request_schema_name(spec)].get('description', '')}\n",
        properties_table(spec, request_schema_name(spec)),
        "## Response envelope\n",
        f"Schema `{response_schema}`. {response.get('description', '')}\n",
        properties_table(spec, response_schema or ""),
        "## Outcome codes\n",
        f"From the spec's code table (`{CODE_TABLE_KEY}`), in the vendor's order.\n",
        code_table_markdown(entries),
        "## Examples\n",
        "### Requests\n",
    ]
    for name, example in _examples(body_media):
        parts += [f"**{name}**: {example.get('summary', '')}\n", _json_block(example.get("value"))]
    parts.append("### Responses (one per code, under HTTP 200)\n")
    examples = dict(_examples(response_media))
    rows = [
        (f"`{entry.code}`", f"`{entry.example_name}`", f"`{_compact(examples.get(entry.example_name, {}))}`")
        for entry in entries
    ]
    parts.append(table(("code", "example", "body"), rows))
    parts.append("## Code samples\n")
    for sample in code_samples(spec):
        fence = "sh" if sample.label == "curl" else sample.lang.lower()
        parts += [f"### {sample.label}\n", f"```{fence}\n{sample.source}```\n"]
    extension = op.get(MCP_TOOL_KEY, {})
    parts += [
        "## MCP tool\n",
        "The same operation as a Model Context Protocol tool; its descriptor, with the request body's "
        "JSON Schema as `inputSchema`, is [`mcp-tool.json`](mcp-tool.json).\n",
        table(("name", "title", "description"), [(f"`{tool['name']}`", tool["title"], tool["description"])]),
        f"Example invocation: {extension.get('invocation_example', '')}\n",
    ]
    return "\n".join(parts)
