"""Reading the Medux envelope out of a response, and saying precisely why when there is none."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemathesis import Response

from medux_contract.conformance.codebook import codebook

JSON_MEDIA_TYPE = "application/json"


class NotAnEnvelope(Exception):
    """The response is not a JSON envelope with a code from the table; the message says why."""


@dataclass(frozen=True)
class Envelope:
    code: int
    body: Mapping[str, Any]

    @property
    def has_message(self) -> bool:
        return "message" in self.body

    @property
    def message(self) -> Any:
        return self.body.get("message")

    @property
    def data(self) -> Any:
        return self.body.get("data")


def media_type(headers: Mapping[str, list[str]]) -> str | None:
    values = headers.get("content-type")
    if not values:
        return None
    return values[0].split(";", 1)[0].strip().lower()


def read_envelope(response: Response) -> Envelope:
    """The response's envelope; :class:`NotAnEnvelope` when the body is anything else."""
    kind = media_type(response.headers)
    if kind != JSON_MEDIA_TYPE:
        shown = "no Content-Type" if kind is None else f"Content-Type {kind}"
        raise NotAnEnvelope(
            f"HTTP {response.status_code} with {shown}, not {JSON_MEDIA_TYPE}: {_preview(response)}"
        )
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise NotAnEnvelope(
            f"HTTP {response.status_code}: the body is not valid JSON: {_preview(response)}"
        ) from None
    if not isinstance(body, dict):
        raise NotAnEnvelope(
            f"HTTP {response.status_code}: the body is a JSON {type(body).__name__}, not an object"
        )
    if "code" not in body:
        raise NotAnEnvelope(f"HTTP {response.status_code}: the envelope has no `code`: {_preview(response)}")
    code = body["code"]
    table = codebook()
    # bool is an int in Python, not in JSON: `true` is not a code.
    if isinstance(code, bool) or not isinstance(code, int) or code not in table.by_code:
        raise NotAnEnvelope(
            f"HTTP {response.status_code}: `code` {code!r} is not in x-medux-codes "
            f"({', '.join(map(str, table.codes))})"
        )
    return Envelope(code=code, body=body)


def envelope_or_none(response: Response) -> Envelope | None:
    """The envelope, or None when there is none (the check `envelope_has_known_code` reports that)."""
    try:
        return read_envelope(response)
    except NotAnEnvelope:
        return None


def _preview(response: Response, limit: int = 120) -> str:
    text = response.content[:limit].decode("utf-8", "replace")
    text = " ".join(text.split())
    return repr(text + ("..." if len(response.content) > limit else ""))
