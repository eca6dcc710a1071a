"""Read openapi.yaml and its code table: the one place the rest of the project gets them from.

Everything that needs a code, a message, an example name or a flag (tests, the mock's scenarios,
the client's error classes, the docs) goes through :func:`load_spec` and :func:`code_table`, so a
code added to ``openapi.yaml`` reaches all of them with no other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

# The library is installed editable from the repository it reads (see README "Layout").
REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi.yaml"
OPERATION_PATH = "/api/app/v1/clone/avatar/by_image"
OPERATION_METHOD = "post"
CODE_TABLE_KEY = "x-medux-codes"
MCP_TOOL_KEY = "x-medux-mcp-tool"


class SpecError(ValueError):
    """The spec cannot be read or does not have the shape this project relies on."""


@dataclass(frozen=True)
class CodeEntry:
    """One row of ``x-medux-codes``."""

    code: int
    name: str
    message: str
    exception: str | None
    group: str
    meaning: str
    meaning_source: str
    retryable: bool
    billable: bool
    carries: tuple[str, ...]
    mock_http_status: int

    @property
    def is_success(self) -> bool:
        return self.code == 0

    @property
    def example_name(self) -> str:
        """Name of this code's example on the 200 response (and of the mock's ``Prefer`` scenario)."""
        return self.name.lower()


_REQUIRED_COLUMNS = {
    "code": int,
    "name": str,
    "message": str,
    "group": str,
    "meaning": str,
    "meaning_source": str,
    "retryable": bool,
    "billable": bool,
    "carries": list,
    "mock_http_status": int,
}


def parse_yaml(text: str, source: str) -> dict[str, Any]:
    """Parse a spec's text, turning YAML errors into a :class:`SpecError` that names the source."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise SpecError(f"{source}: the top level must be a mapping, got {type(document).__name__}")
    return cast(dict[str, Any], document)


def read_spec(path: Path) -> dict[str, Any]:
    """Read and parse any spec file (uncached: scripts use it on copies and old revisions)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot be read: {exc}") from None
    return parse_yaml(text, str(path))


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The parsed spec. Cached: callers must not mutate it (use ``copy.deepcopy``)."""
    return read_spec(path)


def parse_code_table(spec: dict[str, Any]) -> tuple[CodeEntry, ...]:
    rows = spec.get(CODE_TABLE_KEY)
    if not isinstance(rows, list) or not rows:
        raise SpecError(f"{CODE_TABLE_KEY} must be a non-empty list at the root of the spec")
    entries = []
    for index, row in enumerate(rows):
        where = f"{CODE_TABLE_KEY}[{index}]"
        if not isinstance(row, dict):
            raise SpecError(f"{where} must be a mapping")
        for column, kind in _REQUIRED_COLUMNS.items():
            value = row.get(column)
            # bool is a subclass of int: a `true` code must not pass as an integer.
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise SpecError(f"{where}.{column} must be a {kind.__name__}, got {value!r}")
        exception = row.get("exception")
        if exception is not None and not (isinstance(exception, str) and exception.isidentifier()):
            raise SpecError(f"{where}.exception must be null or a Python class name, got {exception!r}")
        entries.append(
            CodeEntry(
                code=row["code"],
                name=row["name"],
                message=row["message"],
                exception=exception,
                group=row["group"],
                meaning=row["meaning"],
                meaning_source=row["meaning_source"],
                retryable=row["retryable"],
                billable=row["billable"],
                carries=tuple(row["carries"]),
                mock_http_status=row["mock_http_status"],
            )
        )
    return tuple(entries)


@cache
def code_table(path: Path = SPEC_PATH) -> tuple[CodeEntry, ...]:
    """The rows of ``x-medux-codes`` in the vendor's documented order."""
    return parse_code_table(load_spec(path))


def code_entry(code: int, path: Path = SPEC_PATH) -> CodeEntry:
    for entry in code_table(path):
        if entry.code == code:
            return entry
    raise KeyError(code)


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        return cast(dict[str, Any], spec["paths"][OPERATION_PATH][OPERATION_METHOD])
    except (KeyError, TypeError):
        raise SpecError(f"the spec has no {OPERATION_METHOD.upper()} {OPERATION_PATH}") from None


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return cast(dict[str, Any], spec.get("components", {}).get("schemas", {}))
