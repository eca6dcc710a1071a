"""The curl and Python code samples of the reference docs, one set per operation, written at build time.

Every name in a sample comes from the spec model (server, path, method, parameters, request
example, schema and operation names) or from the generator's config (the client's package name),
so a sample can never drift from the contract, and the HTML page and the Markdown page show the
same text. The samples follow the method: a ``GET`` sends its query parameters (``curl -G
--data-urlencode``, keyword arguments of the generated function), an operation with a body sends
the body's first named example. The tests run them for real against a loopback server.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import yaml
from openapi_python_client.strings import PythonIdentifier

from medux_contract.docs.paging import first_page_parameters, paging
from medux_contract.generation.paged_operations import FIELD_PREFIX, endpoint_module, tag_package
from medux_contract.spec import REPO_ROOT, Contract, Operation, Parameter, SpecError, component_name


def server_url(contract: Contract) -> str:
    """The first server's URL: the one the samples are written against."""
    if not contract.servers:
        raise SpecError("/servers: the spec has no server to write the code samples against")
    return contract.servers[0].url


def require_bearer(operation: Operation) -> None:
    """The samples send ``Authorization: Bearer $KEY``: refuse an operation secured another way."""
    if not operation.uses_bearer:
        raise SpecError(
            f"the code samples expect {operation.operation_id} to use an http bearer security scheme"
        )


GENERATOR_CONFIG = REPO_ROOT / "openapi-python-client.yaml"
# The environment variable the vendor's own example reads the key from (`Bearer $MEDUX_API_KEY`).
API_KEY_ENV = "MEDUX_API_KEY"
# The generated client's base class of the typed errors (one subclass per code of the code table).
ERROR_BASE = "MeduxError"
# The project's ruff line length: a sample's call is wrapped rather than cross it.
LINE_LENGTH = 110
SAMPLE_LOCATIONS = frozenset({"query"})


@dataclass(frozen=True)
class CodeSample:
    """One entry of Redoc's ``x-codeSamples``: ``lang`` picks the highlighter, ``label`` names the tab."""

    lang: str
    label: str
    source: str

    def as_extension(self) -> dict[str, str]:
        return {"lang": self.lang, "label": self.label, "source": self.source}


def python_name(name: str) -> str:
    """The generated client's name for a parameter (``widget_id``), as openapi-python-client writes it."""
    return str(PythonIdentifier(name, prefix=FIELD_PREFIX))


def client_package() -> str:
    try:
        config = yaml.safe_load(GENERATOR_CONFIG.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{GENERATOR_CONFIG}: cannot read the client's package name: {exc}") from None
    name = config.get("package_name_override") if isinstance(config, dict) else None
    if not isinstance(name, str) or not name.isidentifier():
        raise SpecError(f"{GENERATOR_CONFIG}: package_name_override must name the client package")
    return name


def request_example(operation: Operation) -> tuple[str, dict[str, Any]]:
    """The first named request example with an object value (the vendor's official sample)."""
    for name, value in operation.request_examples.items():
        if isinstance(value, dict):
            return name, value
    raise SpecError(
        f"the request body of {operation.operation_id} has no named example with an object value "
        "for the code samples"
    )


def request_schema_name(operation: Operation) -> str:
    name = component_name(operation.request_schema)
    if name is None:
        raise SpecError(
            f"the request body schema of {operation.operation_id} must be a $ref to "
            "#/components/schemas/<Name>"
        )
    return name


def sample_arguments(contract: Contract, operation: Operation) -> tuple[tuple[Parameter, Any], ...]:
    """The parameters a first call shows, each with its example: what both samples send."""
    shown = []
    for parameter in operation.parameters:
        if parameter.location not in SAMPLE_LOCATIONS:
            raise SpecError(
                f"the code samples send query parameters only; {operation.operation_id} has "
                f"{parameter.location} parameter {parameter.name}"
            )
    for parameter in first_page_parameters(contract, operation):
        value = parameter.example
        if value is None:
            if parameter.required:
                raise SpecError(
                    f"parameter {parameter.name} of {operation.operation_id} needs an example "
                    "for the code samples"
                )
            continue
        shown.append((parameter, value))
    return tuple(shown)


def _query_value(value: Any) -> str:
    # A query string spells booleans and numbers as JSON does (`true`, `20`); httpx sends the same.
    return value if isinstance(value, str) else json.dumps(value)


def curl_sample(contract: Contract, operation: Operation, base_url: str | None = None) -> str:
    require_bearer(operation)
    url = (base_url or server_url(contract)).rstrip("/") + operation.path
    query = [
        (parameter.name, _query_value(value)) for parameter, value in sample_arguments(contract, operation)
    ]
    lines: list[str]
    if operation.method == "get" and not operation.has_body:
        lines = [f"curl -G {shlex.quote(url)}", f'  -H "Authorization: Bearer ${API_KEY_ENV}"']
        lines += [f"  --data-urlencode {shlex.quote(f'{name}={value}')}" for name, value in query]
    else:
        target = f"{url}?{urlencode(query)}" if query else url
        lines = [f"curl -X {operation.method.upper()} {shlex.quote(target)}"]
        lines.append(f'  -H "Authorization: Bearer ${API_KEY_ENV}"')
        if operation.has_body:
            _, body = request_example(operation)
            lines += [
                "  -H 'Content-Type: application/json'",
                f"  -d {shlex.quote(json.dumps(body, ensure_ascii=False))}",
            ]
    return _paging_note(contract, operation) + " \\\n".join(lines) + "\n"


def _paging_note(contract: Contract, operation: Operation) -> str:
    pages = paging(contract, operation)
    if pages is None:
        return ""
    argument = f"{pages.cursor.name}=${pages.next_member.upper()}"
    return (
        f'# The first page. For the next one, add --data-urlencode "{argument}"\n'
        f"# with this page's {pages.next_member}; the last page has none.\n"
    )


@dataclass(frozen=True)
class SuccessView:
    """What a sample prints on success: one field, or one field of each item of a list."""

    attribute: tuple[str, ...]
    item_field: str | None = None

    def python(self, indent: str) -> str:
        """The print statement, with the generated models' attribute names."""
        path = ".".join(("envelope", *(python_name(name) for name in self.attribute)))
        if self.item_field is None:
            return f"{indent}print({path})\n"
        return f"{indent}for item in {path}:\n{indent}    print(item.{python_name(self.item_field)})\n"

    def printed(self, envelope: Any) -> list[str]:
        """The lines the sample prints for a success ``envelope`` (a decoded JSON body)."""
        value = envelope
        for name in self.attribute:
            value = value[name]
        if self.item_field is None:
            return [str(value)]
        return [str(item[self.item_field]) for item in value]


def _first_field(contract: Contract, node: Any, where: str) -> str | None:
    fields = list(contract.schema_properties(node, where))
    return fields[0] if fields and fields[0].isidentifier() else None


def success_view(contract: Contract, operation: Operation) -> SuccessView | None:
    """What the success code carries, followed into its schema: ``data.asset.avatar_asset_id``, or
    each ``avatar_asset_id`` of ``data.items``. None when no field is named, so the sample prints
    ``code, message`` instead of a caller's reason to call."""
    carried = operation.success.carries
    if not carried or not carried[0].isidentifier():
        return None
    member = carried[0]
    node = contract.data_member_schema(operation, member)
    where = f"{operation.operation_id} data.{member}"
    if operation.data_member_types.get(member) == "array":
        field = _first_field(contract, contract.resolve_schema(node, where).get("items"), where)
        return SuccessView(("data", member), field) if field else None
    field = _first_field(contract, node, where)
    return SuccessView(("data", member, field)) if field else None


def _python_literal(value: Any) -> str:
    # JSON strings are valid Python literals, in the double quotes ruff format would write.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _call(function: str, arguments: Sequence[str], indent: str) -> str:
    line = f"{indent}envelope = {function}({', '.join(arguments)})"
    if len(line) <= LINE_LENGTH:
        return line + "\n"
    inner = indent + "    "
    return f"{indent}envelope = {function}(\n" + "".join(f"{inner}{a},\n" for a in arguments) + f"{indent})\n"


def _client_lines(url: str) -> list[str]:
    token = f'os.environ["{API_KEY_ENV}"]'
    return [f"client = AuthenticatedClient(base_url={_python_literal(url)}, token={token})\n"]


def _error_lines(operation: Operation) -> list[str]:
    example_error = next((o.code.exception for o in operation.outcomes if o.code.exception), None)
    hint = f"  # one class per code, e.g. {example_error}" if example_error else ""
    return [f"except {ERROR_BASE} as error:{hint}\n", '    print(f"failed: {error.code} {error.message}")\n']


def _client_import(package: str) -> str:
    return f"from {package} import {', '.join(sorted((ERROR_BASE, 'AuthenticatedClient')))}\n"


def python_sample(contract: Contract, operation: Operation, base_url: str | None = None) -> str:
    """The client's raise-or-return call: the success envelope, or a typed error per code."""
    require_bearer(operation)
    package = client_package()
    module = endpoint_module(operation)
    imports = [_client_import(package), f"from {package}.api.{tag_package(operation)} import {module}\n"]
    arguments = ["client=client"]
    setup = ""
    if operation.has_body:
        model = request_schema_name(operation)
        imports.append(f"from {package}.models import {model}\n")
        _, body = request_example(operation)
        fields = "".join(f"    {key}={_python_literal(value)},\n" for key, value in body.items())
        setup = f"body = {model}(\n{fields})\n"
        arguments.append("body=body")
    arguments += [
        f"{python_name(parameter.name)}={_python_literal(value)}"
        for parameter, value in sample_arguments(contract, operation)
    ]
    view = success_view(contract, operation)
    shown = view.python("    ") if view else "    print(envelope.code, envelope.message)\n"
    lines = [
        "import os\n",
        "\n",
        *imports,
        "\n",
        setup,
        *_client_lines((base_url or server_url(contract)).rstrip("/")),
        "try:\n",
        "    with client:\n",
        _call(f"{module}.sync", arguments, "        "),
        shown,
        *_error_lines(operation),
    ]
    return "".join(lines)


def pagination_sample(contract: Contract, operation: Operation, base_url: str | None = None) -> str | None:
    """Every item of every page through the client's generated iterator; None if it does not page."""
    pages = paging(contract, operation)
    if pages is None:
        return None
    require_bearer(operation)
    view = success_view(contract, operation)
    package = client_package()
    arguments = ["client=client"] + [
        f"{python_name(parameter.name)}={_python_literal(value)}"
        for parameter, value in sample_arguments(contract, operation)
    ]
    shown = f"item.{python_name(view.item_field)}" if view is not None and view.item_field else "item"
    lines = [
        "import os\n",
        "\n",
        _client_import(package),
        f"from {package}.pagination import {pages.item_iterator}\n",
        "\n",
        *_client_lines((base_url or server_url(contract)).rstrip("/")),
        "try:\n",
        "    with client:\n",
        f"        # Follows {pages.next_member}; a page is requested when the loop reaches it.\n",
        f"        for item in {pages.item_iterator}({', '.join(arguments)}):\n",
        f"            print({shown})\n",
        *_error_lines(operation),
    ]
    return "".join(lines)


def code_samples(contract: Contract, operation: Operation) -> tuple[CodeSample, ...]:
    samples = [
        CodeSample(lang="Shell", label="curl", source=curl_sample(contract, operation)),
        CodeSample(lang="Python", label="Python", source=python_sample(contract, operation)),
    ]
    every_page = pagination_sample(contract, operation)
    if every_page is not None:
        samples.append(CodeSample(lang="Python", label="Python (every page)", source=every_page))
    return tuple(samples)
