"""The spec model: the one reader of ``openapi.yaml``; every other package gets the contract here.

``load_contract()`` gives the typed, read-only :class:`Contract` (its :class:`CodeTable` and its
:class:`Operation` objects); ``contract_of(document)`` models any other parsed spec.
"""

from medux_contract.spec.document import REPO_ROOT, SPEC_PATH, SpecError, load_spec, parse_yaml, read_spec
from medux_contract.spec.model import (
    CODE_TABLE_KEY,
    MCP_TOOL_KEY,
    MOCK_KEY,
    OUTCOMES_KEY,
    Code,
    CodeTable,
    Contract,
    Operation,
    Outcome,
    Parameter,
    Retry,
    SecurityScheme,
    Server,
    component_name,
    contract_of,
    load_contract,
    parse_codes,
)
from medux_contract.spec.schemas import schema_validator

__all__ = [
    "CODE_TABLE_KEY",
    "MCP_TOOL_KEY",
    "MOCK_KEY",
    "OUTCOMES_KEY",
    "REPO_ROOT",
    "SPEC_PATH",
    "Code",
    "CodeTable",
    "Contract",
    "Operation",
    "Outcome",
    "Parameter",
    "Retry",
    "SecurityScheme",
    "Server",
    "SpecError",
    "component_name",
    "contract_of",
    "load_contract",
    "load_spec",
    "parse_codes",
    "parse_yaml",
    "read_spec",
    "schema_validator",
]
