"""Each operation's absolute URL, joined to the client's base URL once instead of on every call.

Given a relative ``url``, httpx joins it to the client's ``base_url`` on every request, and that
join parses a URL twice (the relative path, then the joined result): about a fifth of a small call's
time over a fast connection. Given an absolute ``httpx.URL`` it parses nothing. So the retry loop
asks :func:`absolute_url` for the joined URL, which is computed by httpx's own rule
(``Client._merge_url``: the base URL's path, which httpx always ends with ``/``, then the relative
path without its leading ``/``) and kept per base URL object.

The cache is bounded: at most ``MAX_BASES`` base URLs (the least recently added is dropped) and
``MAX_PATHS`` paths per base (past that a path is joined but not kept), so paths that embed ids
cannot grow it without limit.
"""

from __future__ import annotations

import threading

import httpx

MAX_BASES = 16
MAX_PATHS = 256

# id(base URL) -> (that base URL, its joined paths). The base is kept in the entry so that its id
# cannot be reused by another object while the entry lives; a hit also checks identity.
_joined: dict[int, tuple[httpx.URL, dict[str, httpx.URL]]] = {}
_lock = threading.Lock()


def join(base: httpx.URL, url: str) -> httpx.URL:
    """``url`` joined to ``base`` as httpx joins a request's URL to its client's ``base_url``."""
    relative = httpx.URL(url)
    if not relative.is_relative_url:
        return relative
    return base.copy_with(raw_path=base.raw_path + relative.raw_path.lstrip(b"/"))


def absolute_url(base: httpx.URL, url: str) -> httpx.URL:
    """``join(base, url)``, computed once per base URL object and path."""
    entry = _joined.get(id(base))
    if entry is not None and entry[0] is base:
        joined = entry[1].get(url)
        if joined is not None:
            return joined
    joined = join(base, url)
    with _lock:
        entry = _joined.get(id(base))
        if entry is None or entry[0] is not base:
            if len(_joined) >= MAX_BASES:
                del _joined[next(iter(_joined))]
            entry = (base, {})
            _joined[id(base)] = entry
        if len(entry[1]) < MAX_PATHS:
            entry[1][url] = joined
    return joined


__all__ = ["MAX_BASES", "MAX_PATHS", "absolute_url", "join"]
