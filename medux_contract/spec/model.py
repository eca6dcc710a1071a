"""The typed, read-only model of ``openapi.yaml``: the API-wide code table and every operation.

This module is the only code that walks the raw OpenAPI document. Everything else (the lint rules,
the client generation, the mock, the conformance checks, the docs, the bench) asks a
:class:`Contract` for its :class:`Operation` objects and their :class:`Outcome` rows, so a new
operation or code in the spec reaches all of them as data. Errors name the JSON pointer of the node
at fault.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medux_contract.spec.document import SPEC_PATH, SpecError, read_spec
from medux_contract.spec.refs import pointer, resolve

CODE_TABLE_KEY = "x-medux-codes"
OUTCOMES_KEY = "x-medux-outcomes"
MCP_TOOL_KEY = "x-medux-mcp-tool"
IDEMPOTENT_KEY = "x-medux-idempotent"
MOCK_KEY = "x-medux-mock"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# RFC 9110 section 9.2.2: repeating these has no further effect on the server.
IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options", "trace"})
SUCCESS_CODE = 0
JSON_MEDIA_TYPE = "application/json"


class Retry(enum.Enum):
    """When a client may repeat a request that got a code (the ``retry`` column)."""

    ALWAYS = "always"
    IF_IDEMPOTENT = "if_idempotent"
    NEVER = "never"


@dataclass(frozen=True)
class Code:
    """One row of the API-wide table ``x-medux-codes``: what a code means on any operation."""

    code: int
    name: str
    message: str
    exception: str | None
    group: str
    meaning: str
    meaning_source: str
    retry: Retry

    @property
    def is_success(self) -> bool:
        return self.code == SUCCESS_CODE

    @property
    def example_name(self) -> str:
        """Name of this code's example on an operation's 200 response (and of the mock's ``Prefer``)."""
        return self.name.lower()


@dataclass(frozen=True)
class CodeTable:
    """``x-medux-codes`` in the vendor's documented order, with lookups by code and by name."""

    rows: tuple[Code, ...]

    def __iter__(self) -> Iterator[Code]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: int) -> Code:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"code {code} is not in {CODE_TABLE_KEY}") from None

    def get(self, code: int) -> Code | None:
        return self._by_code.get(code)

    def by_name(self, name: str) -> Code:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no code named {name!r} in {CODE_TABLE_KEY}")

    @cached_property
    def _by_code(self) -> Mapping[int, Code]:
        return MappingProxyType({row.code: row for row in self.rows})

    @property
    def success(self) -> Code:
        return self[SUCCESS_CODE]


@dataclass(frozen=True)
class Outcome:
    """A code as one operation answers it: the API-wide row plus this operation's facts."""

    code: Code
    carries: tuple[str, ...]
    billable: bool
    retry_safe: bool
    example: Mapping[str, Any] | None

    @property
    def value(self) -> int:
        return self.code.code

    @property
    def is_success(self) -> bool:
        return self.code.is_success

    @property
    def example_name(self) -> str:
        return self.code.example_name


@dataclass(frozen=True)
class Parameter:
    """A query, path or header parameter, with its ``$ref``s resolved."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    description: str
    pointer: str
    # The parameter's `example`, else its schema's first `examples`, else its default (or None).
    example: Any = None


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme an operation requires, from ``components.securitySchemes``."""

    name: str
    type: str
    scheme: str
    description: str

    @property
    def is_bearer(self) -> bool:
        return self.type == "http" and self.scheme.lower() == "bearer"


@dataclass(frozen=True)
class Server:
    url: str
    description: str


@dataclass(frozen=True)
class Operation:
    """One path x method of the spec, with everything the project derives from it."""

    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    request_schema: Mapping[str, Any] | None
    request_required: bool
    request_examples: Mapping[str, Any]
    response_schema: Mapping[str, Any]
    data_member_types: Mapping[str, str | None]
    outcomes: tuple[Outcome, ...]
    idempotent: bool
    secured: bool
    mcp_tool: Mapping[str, Any] | None
    pointer: str
    raw: Mapping[str, Any] = field(repr=False)
    security_schemes: tuple[SecurityScheme, ...] = ()
    # Every named example of the 200 envelope (name -> value), also those of codes it cannot answer:
    # the spec-example lint rule must see an example that no outcome names.
    response_examples: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(outcome.value for outcome in self.outcomes)

    def outcome(self, code: int) -> Outcome:
        for candidate in self.outcomes:
            if candidate.value == code:
                return candidate
        raise KeyError(f"{self.operation_id} cannot answer code {code}")

    def answers(self, code: int) -> bool:
        return code in self.codes

    @property
    def success(self) -> Outcome:
        return self.outcome(SUCCESS_CODE)

    @property
    def can_bill(self) -> bool:
        """Whether any answer of this operation may have cost credits."""
        return any(outcome.billable for outcome in self.outcomes)

    @property
    def has_body(self) -> bool:
        return self.request_schema is not None

    def parameters_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def uses_bearer(self) -> bool:
        """Whether a ``Bearer`` key in ``Authorization`` satisfies this operation's security."""
        return any(scheme.is_bearer for scheme in self.security_schemes)

    @property
    def label(self) -> str:
        """``POST /api/...``: how reports name this operation."""
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class Contract:
    """The whole spec: its version, its code table and its operations in document order."""

    title: str
    version: str
    codes: CodeTable
    operations: tuple[Operation, ...]
    mock_http_status: Mapping[int, int]
    document: Mapping[str, Any] = field(repr=False)
    servers: tuple[Server, ...] = ()

    def operation(self, operation_id: str) -> Operation:
        for candidate in self.operations:
            if candidate.operation_id == operation_id:
                return candidate
        raise KeyError(f"no operation {operation_id!r} in the spec")

    def find(self, method: str, path: str) -> Operation | None:
        """The operation served at ``method`` ``path`` (a literal path: this API has no templates)."""
        for candidate in self.operations:
            if candidate.method == method.lower() and candidate.path == path:
                return candidate
        return None

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(op.path for op in self.operations))

    def methods_at(self, path: str) -> tuple[str, ...]:
        return tuple(op.method for op in self.operations if op.path == path)

    @property
    def schemas(self) -> Mapping[str, Any]:
        return _mapping(_mapping(self.document.get("components")).get("schemas"))

    def resolve_schema(self, node: Any, where: str = "schema") -> Mapping[str, Any]:
        """``node`` with its ``$ref`` chain followed (an empty mapping for anything but a mapping)."""
        target, _ = resolve(dict(self.document), node, "#", where)
        return _mapping(target)

    def schema_properties(self, node: Any, where: str = "schema") -> Mapping[str, Any]:
        """The ``properties`` of the schema ``node`` names (each may itself be a ``$ref``)."""
        return _mapping(self.resolve_schema(node, where).get("properties"))

    def data_member_schema(self, operation: Operation, member: str) -> Any:
        """The schema node of ``data.<member>`` in ``operation``'s envelope (None if undeclared)."""
        where = f"{operation.operation_id} envelope"
        data = self.schema_properties(operation.response_schema, where).get("data")
        return self.schema_properties(data, where).get(member)


COMPONENT_SCHEMA_PREFIX = "#/components/schemas/"


def component_name(node: Any) -> str | None:
    """``Asset`` for ``{"$ref": "#/components/schemas/Asset"}``; None for a schema written in place."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMA_PREFIX):
        return ref.removeprefix(COMPONENT_SCHEMA_PREFIX)
    return None


def build_contract(document: Mapping[str, Any]) -> Contract:
    """Model ``document`` (a parsed spec); :class:`SpecError` names the first node it cannot read."""
    spec = dict(document)
    codes = parse_codes(spec)
    operations = tuple(_operations(spec, codes))
    if not operations:
        raise SpecError("/paths: the spec has no operation")
    ids = [op.operation_id for op in operations]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"/paths: operationId {', '.join(dupes)} is used twice")
    info = _mapping(spec.get("info"))
    return Contract(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        codes=codes,
        operations=operations,
        mock_http_status=_mock_statuses(spec),
        document=spec,
        servers=_servers(spec),
    )


_CODE_COLUMNS: dict[str, type] = {
    "code": int,
    "name": str,
    "message": str,
    "group": str,
    "meaning": str,
    "meaning_source": str,
    "retry": str,
}


def _is(value: Any, kind: type) -> bool:
    # bool is a subclass of int: a `true` code must not pass as an integer.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def parse_codes(spec: Mapping[str, Any]) -> CodeTable:
    """``x-medux-codes`` as a :class:`CodeTable`; a malformed row is a :class:`SpecError`."""
    rows = spec.get(CODE_TABLE_KEY)
    if not isinstance(rows, list) or not rows:
        raise SpecError(f"/{CODE_TABLE_KEY}: must be a non-empty list at the root of the spec")
    entries = []
    for index, row in enumerate(rows):
        where = pointer(f"/{CODE_TABLE_KEY}", index)
        if not isinstance(row, dict):
            raise SpecError(f"{where}: must be a mapping")
        for column, kind in _CODE_COLUMNS.items():
            if not _is(row.get(column), kind):
                raise SpecError(f"{where}/{column}: must be a {kind.__name__}, got {row.get(column)!r}")
        exception = row.get("exception")
        if exception is not None and not (isinstance(exception, str) and exception.isidentifier()):
            raise SpecError(f"{where}/exception: must be null or a Python class name, got {exception!r}")
        try:
            retry = Retry(row["retry"])
        except ValueError:
            allowed = ", ".join(r.value for r in Retry)
            raise SpecError(f"{where}/retry: must be one of {allowed}, got {row['retry']!r}") from None
        entries.append(
            Code(
                code=row["code"],
                name=row["name"],
                message=row["message"],
                exception=exception,
                group=row["group"],
                meaning=row["meaning"],
                meaning_source=row["meaning_source"],
                retry=retry,
            )
        )
    return CodeTable(tuple(entries))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _operations(spec: dict[str, Any], codes: CodeTable) -> Iterator[Operation]:
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        raise SpecError("/paths: must be a mapping")
    for path, item in paths.items():
        item_at = pointer("/paths", path)
        if not isinstance(item, dict):
            raise SpecError(f"{item_at}: must be a mapping")
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method in item:
                yield _operation(spec, codes, path, method, item[method], shared, pointer(item_at, method))


def _operation(  # noqa: PLR0917 (one call site, each argument a different fact)
    spec: dict[str, Any],
    codes: CodeTable,
    path: str,
    method: str,
    raw: Any,
    shared_parameters: Any,
    at: str,
) -> Operation:
    if not isinstance(raw, dict):
        raise SpecError(f"{at}: must be a mapping")
    operation_id = raw.get("operationId")
    if not isinstance(operation_id, str) or not operation_id:
        raise SpecError(f"{at}/operationId: every operation needs one")
    idempotent = raw.get(IDEMPOTENT_KEY, method in IDEMPOTENT_METHODS)
    if not isinstance(idempotent, bool):
        raise SpecError(f"{at}/{IDEMPOTENT_KEY}: must be a boolean")
    request_schema, request_required, request_examples = _request(spec, raw, at)
    response_schema, examples = _success_response(spec, raw, at)
    outcomes = _outcomes(raw, codes, idempotent, examples, at)
    security = raw.get("security", spec.get("security", []))
    mcp_tool = raw.get(MCP_TOOL_KEY)
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        tags=tuple(str(tag) for tag in raw.get("tags", [])),
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description", "")),
        parameters=_parameters(spec, [*shared_parameters, *raw.get("parameters", [])], at),
        request_schema=request_schema,
        request_required=request_required,
        request_examples=request_examples,
        response_schema=response_schema,
        data_member_types=_data_member_types(spec, response_schema, pointer(at, "responses", "200")),
        outcomes=outcomes,
        idempotent=idempotent,
        secured=bool(security) and any(bool(requirement) for requirement in security),
        mcp_tool=mcp_tool if isinstance(mcp_tool, dict) else None,
        pointer=at,
        raw=raw,
        security_schemes=_security_schemes(spec, security, at),
        response_examples=MappingProxyType(dict(examples)),
    )


def _parameters(spec: dict[str, Any], raw: list[Any], at: str) -> tuple[Parameter, ...]:
    found: dict[tuple[str, str], Parameter] = {}
    for index, node in enumerate(raw):
        param, where = resolve(spec, node, pointer(at, "parameters", index), "parameter")
        if not isinstance(param, dict) or not isinstance(param.get("name"), str):
            raise SpecError(f"{where}: a parameter needs a name")
        schema, _ = resolve(spec, param.get("schema", {}), pointer(where, "schema"), "parameter schema")
        location = str(param.get("in", ""))
        # An operation's own parameter replaces a path-level one of the same name and location.
        found[(param["name"], location)] = Parameter(
            name=param["name"],
            location=location,
            required=bool(param.get("required", location == "path")),
            schema=MappingProxyType(dict(schema)) if isinstance(schema, dict) else MappingProxyType({}),
            description=str(param.get("description", "")),
            pointer=where,
            example=_parameter_example(param, schema),
        )
    return tuple(found.values())


def _parameter_example(param: Mapping[str, Any], schema: Any) -> Any:
    if "example" in param:
        return param["example"]
    examples = _mapping(schema).get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return _mapping(schema).get("default")


def _servers(spec: Mapping[str, Any]) -> tuple[Server, ...]:
    servers = spec.get("servers") or []
    if not isinstance(servers, list):
        raise SpecError("/servers: must be a list")
    found = []
    for index, server in enumerate(servers):
        url = _mapping(server).get("url")
        if not isinstance(url, str) or not url:
            raise SpecError(f"{pointer('/servers', index)}/url: every server needs a url")
        found.append(Server(url=url.rstrip("/"), description=str(_mapping(server).get("description", ""))))
    return tuple(found)


def _security_schemes(spec: Mapping[str, Any], requirements: Any, at: str) -> tuple[SecurityScheme, ...]:
    defined = _mapping(_mapping(spec.get("components")).get("securitySchemes"))
    names = dict.fromkeys(
        name for requirement in requirements or [] if isinstance(requirement, Mapping) for name in requirement
    )
    schemes = []
    for name in names:
        if name not in defined:
            raise SpecError(f"{at}/security: scheme {name!r} is not in /components/securitySchemes")
        scheme = _mapping(defined[name])
        schemes.append(
            SecurityScheme(
                name=name,
                type=str(scheme.get("type", "")),
                scheme=str(scheme.get("scheme", "")),
                description=str(scheme.get("description", "")),
            )
        )
    return tuple(schemes)


def _request(spec: dict[str, Any], raw: dict[str, Any], at: str) -> tuple[Any, bool, Mapping[str, Any]]:
    if "requestBody" not in raw:
        return None, False, MappingProxyType({})
    body, where = resolve(spec, raw["requestBody"], pointer(at, "requestBody"), "request body")
    media = _mapping(_mapping(_mapping(body).get("content")).get(JSON_MEDIA_TYPE))
    if "schema" not in media:
        raise SpecError(f"{where}/content/{pointer('', JSON_MEDIA_TYPE)[1:]}: needs a schema")
    examples = {
        name: _mapping(example).get("value")
        for name, example in _mapping(media.get("examples")).items()
        if "value" in _mapping(example)
    }
    return media["schema"], bool(_mapping(body).get("required", False)), MappingProxyType(examples)


def _success_response(
    spec: dict[str, Any], raw: dict[str, Any], at: str
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    responses = _mapping(raw.get("responses"))
    if "200" not in responses:
        raise SpecError(f"{at}/responses/200: every operation answers an envelope under 200")
    response, where = resolve(spec, responses["200"], pointer(at, "responses", "200"), "response")
    media = _mapping(_mapping(_mapping(response).get("content")).get(JSON_MEDIA_TYPE))
    if "schema" not in media:
        raise SpecError(f"{where}/content/application~1json/schema: the envelope needs a schema")
    examples = {}
    for name, example in _mapping(media.get("examples")).items():
        resolved, _ = resolve(
            spec, example, pointer(where, "content", JSON_MEDIA_TYPE, "examples", name), "example"
        )
        examples[name] = _mapping(resolved).get("value")
    return media["schema"], examples


def _data_member_types(spec: dict[str, Any], schema: Any, at: str) -> Mapping[str, str | None]:
    """JSON type of each declared member of the envelope's ``data`` (None where none is declared)."""
    envelope, where = resolve(spec, schema, at, "response schema")
    data_node = _mapping(_mapping(envelope).get("properties")).get("data", {})
    data, where = resolve(spec, data_node, pointer(where, "properties", "data"), "data schema")
    types: dict[str, str | None] = {}
    for name, node in _mapping(_mapping(data).get("properties")).items():
        member, _ = resolve(spec, node, pointer(where, "properties", name), "data member")
        kind = _mapping(member).get("type")
        types[name] = kind if isinstance(kind, str) else None
    return MappingProxyType(types)


def _outcomes(
    raw: dict[str, Any], codes: CodeTable, idempotent: bool, examples: Mapping[str, Any], at: str
) -> tuple[Outcome, ...]:
    rows = raw.get(OUTCOMES_KEY)
    where = pointer(at, OUTCOMES_KEY)
    if not isinstance(rows, list) or not rows:
        raise SpecError(f"{where}: every operation lists the codes it can answer")
    outcomes: list[Outcome] = []
    for index, row in enumerate(rows):
        row_at = pointer(where, index)
        if not isinstance(row, dict):
            raise SpecError(f"{row_at}: must be a mapping")
        code = row.get("code")
        if not isinstance(code, int) or isinstance(code, bool) or code not in codes:
            raise SpecError(f"{row_at}/code: {code!r} is not a code of {CODE_TABLE_KEY}")
        if any(existing.value == code for existing in outcomes):
            raise SpecError(f"{row_at}/code: {code} is listed twice")
        carries = row.get("carries", [])
        if not isinstance(carries, list) or not all(isinstance(member, str) for member in carries):
            raise SpecError(f"{row_at}/carries: must be a list of data member names")
        billable = row.get("billable")
        if not isinstance(billable, bool):
            raise SpecError(f"{row_at}/billable: must be a boolean")
        entry = codes[code]
        retry_safe = entry.retry is Retry.ALWAYS or (entry.retry is Retry.IF_IDEMPOTENT and idempotent)
        example = examples.get(entry.example_name)
        outcomes.append(
            Outcome(
                code=entry,
                carries=tuple(carries),
                billable=billable,
                retry_safe=retry_safe,
                example=example if isinstance(example, dict) else None,
            )
        )
    return tuple(outcomes)


def _mock_statuses(spec: Mapping[str, Any]) -> Mapping[int, int]:
    rows = _mapping(spec.get(MOCK_KEY)).get("mapped_http_status", [])
    statuses: dict[int, int] = {}
    if not isinstance(rows, list):
        raise SpecError(f"/{MOCK_KEY}/mapped_http_status: must be a list")
    for index, raw in enumerate(rows):
        row = _mapping(raw)
        if not (_is(row.get("code"), int) and _is(row.get("status"), int) and 100 <= row["status"] <= 599):
            where = pointer(f"/{MOCK_KEY}/mapped_http_status", index)
            raise SpecError(f"{where}: needs an int code and a status from 100 to 599")
        statuses[row["code"]] = row["status"]
    return MappingProxyType(statuses)


def contract_of(document: Mapping[str, Any]) -> Contract:
    """The model of an already parsed spec (a copy, an old revision, a test's fixture)."""
    return build_contract(document)


@cache
def load_contract(path: Path = SPEC_PATH) -> Contract:
    """The model of ``openapi.yaml`` (or of the spec at ``path``), built once per process."""
    return build_contract(read_spec(path))
