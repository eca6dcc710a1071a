"""The curl and Python code samples of the reference docs, written from the spec at build time.

Every name in a sample comes from the spec (server, path, method, auth scheme, request example,
schema and operation names) or from the generator's config (the client's package name), so a
sample can never drift from the contract, and the HTML page and the Markdown page show the same
text. The tests run both samples for real against a loopback server.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

import yaml

from medux_contract.spec import (
    OPERATION_METHOD,
    OPERATION_PATH,
    REPO_ROOT,
    SpecError,
    operation,
    parse_code_table,
    schemas,
)

GENERATOR_CONFIG = REPO_ROOT / "openapi-python-client.yaml"
# The environment variable the vendor's own example reads the key from (`Bearer $MEDUX_API_KEY`).
API_KEY_ENV = "MEDUX_API_KEY"
# The generated client's base class of the typed errors (one subclass per code of the code table).
ERROR_BASE = "MeduxError"


@dataclass(frozen=True)
class CodeSample:
    """One entry of Redoc's ``x-codeSamples``: ``lang`` picks the highlighter, ``label`` names the tab."""

    lang: str
    label: str
    source: str

    def as_extension(self) -> dict[str, str]:
        return {"lang": self.lang, "label": self.label, "source": self.source}


def server_url(spec: dict[str, Any]) -> str:
    servers = spec.get("servers") or []
    if not servers or not isinstance(servers[0], dict) or not servers[0].get("url"):
        raise SpecError("the spec has no servers[0].url to write the code samples against")
    return str(servers[0]["url"]).rstrip("/")


def request_example(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The first named request example (the vendor's official sample): its name and value."""
    media = operation(spec).get("requestBody", {}).get("content", {}).get("application/json", {})
    for name, example in (media.get("examples") or {}).items():
        if isinstance(example, dict) and isinstance(example.get("value"), dict):
            return name, example["value"]
    raise SpecError("the request body has no named example with an object value for the code samples")


def request_schema_name(spec: dict[str, Any]) -> str:
    media = operation(spec).get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = media.get("schema", {}).get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        raise SpecError("the request body schema must be a $ref to #/components/schemas/<Name>")
    return str(ref.rsplit("/", 1)[-1])


def _bearer_scheme(spec: dict[str, Any]) -> None:
    schemes = spec.get("components", {}).get("securitySchemes", {})
    names = [name for req in operation(spec).get("security", spec.get("security", [])) for name in req]
    for name in names:
        scheme = schemes.get(name, {})
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return
    raise SpecError("the code samples expect the operation to use an http bearer security scheme")


def snake_case(name: str) -> str:
    """``createAvatarByImage`` -> ``create_avatar_by_image`` (the generator's module naming)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()


def client_package() -> str:
    try:
        config = yaml.safe_load(GENERATOR_CONFIG.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{GENERATOR_CONFIG}: cannot read the client's package name: {exc}") from None
    name = config.get("package_name_override") if isinstance(config, dict) else None
    if not isinstance(name, str) or not name.isidentifier():
        raise SpecError(f"{GENERATOR_CONFIG}: package_name_override must name the client package")
    return name


def curl_sample(spec: dict[str, Any], base_url: str | None = None) -> str:
    _bearer_scheme(spec)
    _, body = request_example(spec)
    url = (base_url or server_url(spec)).rstrip("/") + OPERATION_PATH
    lines = [
        f"curl -X {OPERATION_METHOD.upper()} {shlex.quote(url)}",
        f'  -H "Authorization: Bearer ${API_KEY_ENV}"',
        "  -H 'Content-Type: application/json'",
        f"  -d {shlex.quote(json.dumps(body, ensure_ascii=False))}",
    ]
    return " \\\n".join(lines) + "\n"


def _schema(spec: dict[str, Any], node: Any) -> dict[str, Any]:
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    if ref.startswith("#/components/schemas/"):
        return dict(schemas(spec).get(ref.rsplit("/", 1)[-1], {}))
    return dict(node) if isinstance(node, dict) else {}


def success_attribute(spec: dict[str, Any]) -> str | None:
    """``data.asset.avatar_asset_id``: the first field of what the success code carries, if named.

    Follows the code table (the success row's ``carries``) into the response schema, so the sample
    prints what a caller came for, not just ``0 ok``.
    """
    success = next((entry for entry in parse_code_table(spec) if entry.is_success), None)
    if success is None or not success.carries:
        return None
    media = operation(spec).get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    envelope = _schema(spec, media.get("schema"))
    data = _schema(spec, envelope.get("properties", {}).get("data"))
    member = success.carries[0]
    carried = _schema(spec, data.get("properties", {}).get(member))
    fields = list(carried.get("properties", {}))
    names = ["data", member, *fields[:1]]
    return ".".join(names) if fields and all(name.isidentifier() for name in names) else None


def python_sample(spec: dict[str, Any], base_url: str | None = None) -> str:
    """The client's raise-or-return call: the success envelope, or a typed error per code."""
    _bearer_scheme(spec)
    op = operation(spec)
    operation_id = op.get("operationId")
    tags = op.get("tags") or []
    if not isinstance(operation_id, str) or not tags:
        raise SpecError("the operation needs an operationId and a tag to name the client's module")
    package = client_package()
    module = snake_case(operation_id)
    model = request_schema_name(spec)
    _, body = request_example(spec)
    arguments = "".join(f"    {key}={_python_literal(value)},\n" for key, value in body.items())
    url = (base_url or server_url(spec)).rstrip("/")
    attribute = success_attribute(spec)
    shown = f"envelope.{attribute}" if attribute else "envelope.code, envelope.message"
    example_error = next((entry.exception for entry in parse_code_table(spec) if entry.exception), None)
    hint = f"  # one class per code, e.g. {example_error}" if example_error else ""
    return (
        "import os\n"
        "\n"
        f"from {package} import {', '.join(sorted((ERROR_BASE, 'AuthenticatedClient')))}\n"
        f"from {package}.api.{snake_case(tags[0])} import {module}\n"
        f"from {package}.models import {model}\n"
        "\n"
        f"body = {model}(\n{arguments})\n"
        f'client = AuthenticatedClient(base_url={_python_literal(url)}, token=os.environ["{API_KEY_ENV}"])\n'
        "try:\n"
        "    with client:\n"
        f"        envelope = {module}.sync(client=client, body=body)\n"
        f"    print({shown})\n"
        f"except {ERROR_BASE} as error:{hint}\n"
        '    print(f"failed: {error.code} {error.message}")\n'
    )


def _python_literal(value: Any) -> str:
    # JSON strings are valid Python literals, in the double quotes ruff format would write.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def code_samples(spec: dict[str, Any]) -> tuple[CodeSample, ...]:
    return (
        CodeSample(lang="Shell", label="curl", source=curl_sample(spec)),
        CodeSample(lang="Python", label="Python", source=python_sample(spec)),
    )
