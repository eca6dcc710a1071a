"""The few facts the docs need that the spec model does not expose, read from ``contract.document``.

The spec model (:mod:`medux_contract.spec.model`) is the reader of the spec; these reads are the
docs' last resort for what it leaves out: the published server, the security schemes, a
parameter's example and the schemas behind ``$ref`` nodes (for the field tables and the samples).
Each one is a named read with a clear error, so none of them spreads through the builders.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medux_contract.spec import Contract, Operation, Parameter, SpecError
from medux_contract.spec.refs import lookup, resolve

SCHEMA_REF_PREFIX = "#/components/schemas/"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def server_url(contract: Contract) -> str:
    """``servers[0].url`` without a trailing slash: the URL the samples are written against."""
    servers = contract.document.get("servers") or []
    first = servers[0] if isinstance(servers, list) and servers else None
    if not isinstance(first, Mapping) or not first.get("url"):
        raise SpecError("the spec has no servers[0].url to write the code samples against")
    return str(first["url"]).rstrip("/")


def security_schemes(contract: Contract) -> Mapping[str, Mapping[str, Any]]:
    schemes = _mapping(_mapping(contract.document.get("components")).get("securitySchemes"))
    return {name: _mapping(scheme) for name, scheme in schemes.items()}


def require_bearer(contract: Contract, operation: Operation) -> None:
    """The samples send ``Authorization: Bearer $KEY``: refuse an operation secured another way."""
    requirements = operation.raw.get("security", contract.document.get("security", []))
    names = [name for requirement in requirements or [] for name in _mapping(requirement)]
    schemes = security_schemes(contract)
    for name in names:
        scheme = schemes.get(name, {})
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return
    raise SpecError(f"the code samples expect {operation.operation_id} to use an http bearer security scheme")


def parameter_example(contract: Contract, parameter: Parameter) -> Any:
    """The parameter's ``example`` (else its schema's first ``examples``, else its default), or None."""
    raw = _mapping(lookup(dict(contract.document), parameter.pointer, f"parameter {parameter.name}"))
    if "example" in raw:
        return raw["example"]
    examples = parameter.schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return parameter.schema.get("default")


def schema_name(node: Any) -> str | None:
    """``Asset`` for ``{"$ref": "#/components/schemas/Asset"}``; None for a schema written in place."""
    ref = _mapping(node).get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
        return ref.removeprefix(SCHEMA_REF_PREFIX)
    return None


def resolved(contract: Contract, node: Any, where: str) -> Mapping[str, Any]:
    """``node`` with its ``$ref`` chain followed (an empty mapping for anything but a schema)."""
    target, _ = resolve(dict(contract.document), node, "#", where)
    return _mapping(target)


def properties(contract: Contract, node: Any, where: str) -> Mapping[str, Any]:
    """The raw ``properties`` of the schema ``node`` names (each may itself be a ``$ref``)."""
    return _mapping(resolved(contract, node, where).get("properties"))


def data_member_schema(contract: Contract, operation: Operation, member: str) -> Any:
    """The raw schema node of ``data.<member>`` in the operation's envelope (None if undeclared)."""
    where = f"{operation.operation_id} envelope"
    data = properties(contract, operation.response_schema, where).get("data")
    return properties(contract, data, where).get(member)
