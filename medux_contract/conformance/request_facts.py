"""What the spec says about a request exactly as it was sent (the bytes on the wire, not the case
schemathesis meant to send: serialization can turn an "invalid" case into a valid request).

Each operation is judged by its own parameters and, when it has one, its own request body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from jsonschema import Draft202012Validator

from medux_contract.conformance.credentials import header_text
from medux_contract.spec import Contract, Operation, Parameter, schema_validator
from medux_contract.spec.model import JSON_MEDIA_TYPE

UTF8_CHARSETS = ("utf-8", "utf8")
QUERY = "query"
# Lenient readings of query values: a request only counts as invalid when no reasonable server
# could read it as the parameter's type (calling a valid request invalid would be a false verdict).
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


_validators: dict[tuple[int, str], tuple[Mapping[str, Any], Draft202012Validator]] = {}


def validator_for(contract: Contract, schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator of ``schema`` inside ``contract``'s document, built once (requests repeat)."""
    # Keyed by the document's identity (kept alive with the entry) and the schema's JSON text.
    key = (id(contract.document), json.dumps(schema, sort_keys=True, default=str))
    cached = _validators.get(key)
    if cached is None or cached[0] is not contract.document:
        cached = (contract.document, schema_validator(contract.document, schema))
        _validators[key] = cached
    return cached[1]


def body_bytes(request: requests.PreparedRequest) -> bytes | None:
    body: Any = request.body
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8", "surrogateescape")
    if isinstance(body, bytes):
        return body
    return None  # a stream: not something the generator sends for a JSON operation


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def why_invalid(contract: Contract, operation: Operation, request: requests.PreparedRequest) -> str | None:
    """Why the spec calls this request to ``operation`` invalid, or None when it is valid."""
    problem = query_problem(contract, operation, request.url or "")
    if problem is not None or not operation.has_body:
        return problem
    content_type = request.headers.get("Content-Type")
    raw = body_bytes(request)
    if content_type is None:
        if not raw and not operation.request_required:
            return None
        return "no Content-Type"
    problem = _media_type_problem(header_text(content_type))
    if problem is not None:
        return problem
    return _body_problem(contract, operation, raw)


def query_problem(contract: Contract, operation: Operation, url: str) -> str | None:
    """Why the query string breaks the operation's query parameters, or None."""
    sent = parse_qs(urlsplit(url).query, keep_blank_values=True)
    for parameter in operation.parameters_in(QUERY):
        values = sent.get(parameter.name)
        if values is None:
            if parameter.required:
                return f"query parameter {parameter.name!r} is required"
            continue
        if len(values) > 1:
            return f"query parameter {parameter.name!r} is given {len(values)} times"
        problem = _parameter_problem(contract, parameter, values[0])
        if problem is not None:
            return problem
    return None


def _parameter_problem(contract: Contract, parameter: Parameter, text: str) -> str | None:
    kind = parameter.schema.get("type")
    value: Any = text
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            return f"query parameter {parameter.name!r}: {text!r} is not an integer"
        value = int(text)
    elif kind == "number":
        try:
            value = float(text)
        except ValueError:
            return f"query parameter {parameter.name!r}: {text!r} is not a number"
    elif kind == "boolean":
        if text.lower() not in _BOOLEANS:
            return f"query parameter {parameter.name!r}: {text!r} is not true or false"
        value = _BOOLEANS[text.lower()]
    errors = list(validator_for(contract, parameter.schema).iter_errors(value))
    if errors:
        return f"query parameter {parameter.name!r}: {errors[0].message}"
    return None


def _media_type_problem(content_type: str) -> str | None:
    media, *parameters = (part.strip() for part in content_type.split(";"))
    if media.lower() != JSON_MEDIA_TYPE:
        return f"Content-Type {media!r} is not one the operation accepts ({JSON_MEDIA_TYPE})"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in UTF8_CHARSETS:
            return f"charset {value.strip()!r} (JSON is UTF-8)"
    return None


def _body_problem(contract: Contract, operation: Operation, raw: bytes | None) -> str | None:
    if not raw:
        return "no body (the request body is required)" if operation.request_required else None
    assert operation.request_schema is not None
    validator = validator_for(contract, operation.request_schema)
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        errors = list(validator.iter_errors(document))
    except (UnicodeDecodeError, ValueError):
        return "the body is not UTF-8 JSON"
    except RecursionError:
        return "the body is nested too deeply to judge"
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "body"
        return f"{where}: {error.message}"
    return None
