"""Reading the API key from ``Authorization`` and naming it in logs without revealing it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

REDACTED = "[REDACTED]"
# Longer credentials are hashed on every request instead of memoised: a real header is well under
# this, and a cache must not keep what a hostile peer sends (256 entries of 16 KiB would be 4 MiB).
CACHED_HEADER_CHARS = 256


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
    values = tuple(header_values)
    if sum(len(value) for value in values) > CACHED_HEADER_CHARS:
        return _redacted.__wrapped__(values)
    return _redacted(values)


class Redactor:
    """Replaces every accepted key in a text by ``[REDACTED]``. Run it before any cut: a key that
    straddles the cut would otherwise leave its first characters behind (OpenAI's and Stripe's
    SDKs likewise redact the whole value before a log line is formatted)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a key that contains another is replaced whole.
        self._secrets = tuple(sorted((secret for secret in secrets if secret), key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


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
