"""Opaque list cursors: a signed position in one key's asset list.

A key's assets only ever grow at the end (oldest first), so "the position after the last item
returned" keeps meaning the same thing while other clients create assets: paging from the first
page visits every asset that existed when it began exactly once. The position is signed with
HMAC-SHA256 over a per-key tag and the position, under a secret drawn at start-up and again at every
``reset()``, so a cursor that this mock did not issue, that was issued to another key, or that
predates a reset, fails to verify. Nothing is stored per cursor, and the key is not in the token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

_POSITION_BYTES = 8
_MAC_BYTES = 12
_TOKEN_BYTES = _POSITION_BYTES + _MAC_BYTES
# base64url without padding of _TOKEN_BYTES bytes.
TOKEN_CHARS = (_TOKEN_BYTES * 4 + 2) // 3
# Cursors remembered once issued: clients page from the same places again and again (the first
# page's cursor above all), and a token is a pure function of the secret, the key and the position.
# Bounded, so no peer can grow it: past this many it starts over.
ISSUED_MEMO = 1024


def key_tag(key: str) -> bytes:
    """What a cursor is bound to: a digest of the key, never the key itself."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()


class Cursors:
    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)
        self._issued: dict[tuple[bytes, bytes, int], str] = {}

    def reset(self) -> None:
        """Invalidate every cursor issued so far."""
        self._secret = secrets.token_bytes(32)
        self._issued = {}

    def _mac(self, tag: bytes, position: bytes, secret: bytes | None = None) -> bytes:
        return hmac.digest(secret or self._secret, tag + position, "sha256")[:_MAC_BYTES]

    def issue(self, tag: bytes, position: int) -> str:
        # Keyed by the secret too: a token signed just before a reset can never be handed out after.
        secret = self._secret
        token = self._issued.get((secret, tag, position))
        if token is None:
            raw = position.to_bytes(_POSITION_BYTES, "big")
            token = base64.urlsafe_b64encode(raw + self._mac(tag, raw, secret)).rstrip(b"=").decode("ascii")
            if len(self._issued) >= ISSUED_MEMO:
                self._issued = {}
            self._issued[(secret, tag, position)] = token
        return token

    def position(self, tag: bytes, cursor: str) -> int | None:
        """The position ``cursor`` stands for, or None when it was not issued for ``tag``."""
        if len(cursor) != TOKEN_CHARS:
            return None
        try:
            token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError):
            return None
        raw, mac = token[:_POSITION_BYTES], token[_POSITION_BYTES:]
        if len(token) != _TOKEN_BYTES or not hmac.compare_digest(mac, self._mac(tag, raw)):
            return None
        return int.from_bytes(raw, "big")
