"""The spec model: the one reader of ``openapi.yaml``; every other package gets the contract from here."""

from medux_contract.spec.document import (
    CODE_TABLE_KEY,
    MCP_TOOL_KEY,
    OPERATION_METHOD,
    OPERATION_PATH,
    REPO_ROOT,
    SPEC_PATH,
    CodeEntry,
    SpecError,
    code_entry,
    code_table,
    load_spec,
    operation,
    parse_code_table,
    parse_yaml,
    read_spec,
    schemas,
)

__all__ = [
    "CODE_TABLE_KEY",
    "MCP_TOOL_KEY",
    "OPERATION_METHOD",
    "OPERATION_PATH",
    "REPO_ROOT",
    "SPEC_PATH",
    "CodeEntry",
    "SpecError",
    "code_entry",
    "code_table",
    "load_spec",
    "operation",
    "parse_code_table",
    "parse_yaml",
    "read_spec",
    "schemas",
]
