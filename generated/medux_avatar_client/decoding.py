"""The one JSON decode of each response body, shared by the retry decision, the models and the errors.

The retry loop must read the envelope's ``code`` anyway, so it decodes the body there, once per HTTP
response (``DecodedResponse.of``); the decoded value travels with the response to the endpoint's
model parsing and to ``exceptions.raise_for_outcome``, and no later step decodes the body again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import httpx


class _NotJson:
    """The type of ``NOT_JSON``: what a body decodes to when it is not JSON at all."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_JSON"


# An HTML 502, an empty or a truncated body; the raw bytes stay on the response (for the error's snippet).
NOT_JSON: Final = _NotJson()


def decode_body(content: bytes) -> Any:
    """The body's JSON value (what ``httpx.Response.json()`` returns), or ``NOT_JSON``.

    Whatever the bytes: invalid UTF-8 or JSON, and nesting deeper than the decoder's stack allows
    (``[[[[...`` raises ``RecursionError`` from the json module), all read as ``NOT_JSON``.
    """
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # ValueError: JSONDecodeError and UnicodeDecodeError both are
        return NOT_JSON


def json_value(decoded: Any) -> Any:
    """``decoded`` for the models to read; ``ValueError`` for ``NOT_JSON`` (as ``httpx.Response.json()``)."""
    if decoded is NOT_JSON:
        raise ValueError("the response body is not JSON")
    return decoded


def envelope_of(decoded: Any) -> dict[str, Any] | None:
    """The decoded body when it is a JSON object, else None."""
    return decoded if isinstance(decoded, dict) else None


def code_of(envelope: Mapping[str, Any] | None) -> int | None:
    """The envelope's integer ``code``; None when missing or not an integer (``true`` is not a code)."""
    code = None if envelope is None else envelope.get("code")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


class DecodedResponse(NamedTuple):
    """An HTTP response and its body, decoded once."""

    response: httpx.Response
    decoded: Any  # decode_body(response.content)

    @classmethod
    def of(cls, response: httpx.Response) -> DecodedResponse:
        return cls(response, decode_body(response.content))


__all__ = ["NOT_JSON", "DecodedResponse", "code_of", "decode_body", "envelope_of", "json_value"]
