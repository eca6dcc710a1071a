"""Turning a request body into a validated JSON object, whatever bytes arrive.

Each failure is an :class:`InputRejected` with a short reason (sent back in a diagnostic header,
never a traceback). Bodies over the limit are refused from ``Content-Length`` before any byte is
read, and a streamed body is cut off as soon as it passes the limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from medux_contract.mock.exchange import MEDIA_TYPE, Incoming

JSON_MEDIA_TYPE = MEDIA_TYPE
REASON_LIMIT = 1024


class InputRejected(Exception):
    """The request body is not a valid request; ``reason`` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shorten(text: str, limit: int = REASON_LIMIT) -> str:
    """ASCII-only, single-line, bounded: safe for a header and a log line."""
    safe = text.encode("ascii", "backslashreplace").decode("ascii")
    safe = safe.replace("\r", "\\r").replace("\n", "\\n")
    # Any other control byte (ESC, NUL, DEL...) makes uvicorn refuse the header and drop the
    # connection without an answer, so it is escaped too.
    safe = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", safe)
    return safe if len(safe) <= limit else safe[: limit - 3] + "..."


def check_media_type(content_type: str | None) -> None:
    if content_type == JSON_MEDIA_TYPE:  # what nearly every client sends: nothing to parse
        return
    if content_type is None:
        raise InputRejected(f"Content-Type must be {JSON_MEDIA_TYPE}, none was sent")
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        raise InputRejected(f"Content-Type must be {JSON_MEDIA_TYPE}, got {media_type.strip()!r}")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise InputRejected(f"JSON must be UTF-8, got charset {value.strip()!r}")


async def read_capped(request: Incoming, max_bytes: int) -> bytes:
    declared = request.header(b"content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise InputRejected("Content-Length is not a number")
        if int(declared) > max_bytes:
            raise InputRejected(f"body of {int(declared)} bytes exceeds the limit of {max_bytes}")
    body = await request.body(max_bytes)
    if body is None:
        raise InputRejected(f"body exceeds the limit of {max_bytes} bytes")
    return body


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_LONG_INTEGER = re.compile(rb"[0-9]{19}")
_DIGITS = b"0123456789"


def _may_hold_long_integer(raw: bytes) -> bool:
    # Counting the digits (a C loop) spares the pattern search for nearly every body.
    return len(raw) - len(raw.translate(None, _DIGITS)) >= 19 and _LONG_INTEGER.search(raw) is not None


# One decoder for every request: json.loads with any option builds a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json(raw: bytes) -> Any:
    # orjson reads a body in a third of json's time, and for any body both take it gives the same
    # value, except an integer past 64 bits (-2**63 has 19 digits), which it turns into a float:
    # a body with 19 digits in a row is left to json. What orjson refuses goes to json too, which
    # has the last word: some of it is valid JSON (a lone surrogate escape, nesting past 1,024
    # levels), the rest gets json's reason.
    if not _may_hold_long_integer(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        # Decoded first: json.loads(bytes) would also accept UTF-16/32, which JSON (RFC 8259) does not.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputRejected(f"body is not UTF-8 (byte {exc.start})") from None
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise InputRejected("body is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers over the digit limit
        raise InputRejected(f"body is not valid JSON: {exc}") from None
