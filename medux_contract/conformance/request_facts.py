"""What the spec says about a request exactly as it was sent (the bytes on the wire, not the case
schemathesis meant to send: serialization can turn an "invalid" case into a valid request)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import requests
from jsonschema import Draft202012Validator

from medux_contract.conformance.credentials import header_text
from medux_contract.lint.spec_rules import schema_validator
from medux_contract.spec import OPERATION_METHOD, OPERATION_PATH, SpecError, load_spec, operation

UTF8_CHARSETS = ("utf-8", "utf8")


@cache
def _request_media() -> dict[str, Draft202012Validator]:
    """Media type -> validator of the operation's request body schema."""
    spec = load_spec()
    content = operation(spec).get("requestBody", {}).get("content", {})
    if not content:
        raise SpecError("the operation declares no request body content")
    return {
        media.lower(): schema_validator(spec, dict(entry.get("schema") or {}))
        for media, entry in content.items()
    }


def targets_operation(request: requests.PreparedRequest) -> bool:
    """Whether the request went to the contract's operation (coverage also tries other methods)."""
    path = (request.path_url or "").split("?", 1)[0]
    return (request.method or "").lower() == OPERATION_METHOD and path.endswith(OPERATION_PATH)


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


def why_invalid(request: requests.PreparedRequest) -> str | None:
    """Why the spec calls this request invalid, or None when it is a valid request."""
    content_type = request.headers.get("Content-Type")
    if content_type is None:
        return "no Content-Type"
    validator, problem = _media_type_verdict(header_text(content_type))
    if validator is None:
        return problem
    return _body_problem(body_bytes(request), validator)


def _media_type_verdict(content_type: str) -> tuple[Draft202012Validator | None, str | None]:
    media, *parameters = (part.strip() for part in content_type.split(";"))
    validator = _request_media().get(media.lower())
    if validator is None:
        accepted = ", ".join(_request_media())
        return None, f"Content-Type {media!r} is not one the operation accepts ({accepted})"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in UTF8_CHARSETS:
            return None, f"charset {value.strip()!r} (JSON is UTF-8)"
    return validator, None


def _body_problem(raw: bytes | None, validator: Draft202012Validator) -> str | None:
    if not raw:
        return "no body (the request body is required)"
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
