"""Reading the API key from ``Authorization`` and naming it in logs without revealing it."""

from __future__ import annotations

import hashlib
from functools import lru_cache


def bearer_key(header_values: list[str]) -> str | None:
    """The key of exactly one ``Authorization: Bearer <key>`` header (scheme case-insensitive, as
    RFC 9110 says); None when the header is missing, repeated or shaped otherwise."""
    if len(header_values) != 1:
        return None
    parts = header_values[0].split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1]


def redacted(header_values: list[str]) -> str:
    return _redacted(tuple(header_values))


# Memoised: the same few headers come back on every request, and hashing them is most of a log line's cost.
@lru_cache(maxsize=256)
def _redacted(header_values: tuple[str, ...]) -> str:
    """A log-safe tag for the credentials sent: ``-`` when none, else a short hash of the header.

    Eight hex digits tell requests of different keys apart in a log without revealing any
    character of the key.
    """
    if not header_values:
        return "-"
    key = bearer_key(list(header_values))
    material = key if key is not None else "\n".join(header_values)
    digest = hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"#{digest}" if key is not None else f"malformed#{digest}"
