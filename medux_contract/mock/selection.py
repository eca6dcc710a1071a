"""Choosing an outcome on demand, the two ways the README documents, both derived from the table.

* Stripe-style magic file ids: ``file_mock_code_<code>`` for every code of the table.
* Prism-style ``Prefer: example=<name>``, where ``name`` is a named 200 example of the spec (one
  per code, named ``CodeEntry.example_name``).
"""

from __future__ import annotations

import re

from medux_contract.spec import CodeEntry, code_entry

MAGIC_FILE_PREFIX = "file_mock_code_"
PREFER_HEADER = "Prefer"
_MAGIC_FILE = re.compile(re.escape(MAGIC_FILE_PREFIX) + r"(0|[1-9][0-9]{0,8})")


def magic_file_id(code: int | CodeEntry) -> str:
    """The ``file_id`` that makes the mock answer with ``code`` (e.g. ``file_mock_code_1401``)."""
    entry = code if isinstance(code, CodeEntry) else code_entry(code)
    return f"{MAGIC_FILE_PREFIX}{entry.code}"


def magic_code(file_id: str) -> int | None:
    """The code a magic file id asks for, or None when ``file_id`` is not shaped like one."""
    match = _MAGIC_FILE.fullmatch(file_id)
    return int(match.group(1)) if match else None


def prefer_example(code: int | CodeEntry) -> str:
    """The ``Prefer`` header value that selects ``code``'s example (e.g. ``example=rate_limited``)."""
    entry = code if isinstance(code, CodeEntry) else code_entry(code)
    return f"example={entry.example_name}"


def preferred_example(header_values: list[str]) -> str | None:
    """The example named by ``Prefer`` headers (RFC 7240: comma-separated preferences, each
    ``token[=value]`` with optional ``;`` parameters); None when no preference names one."""
    for header in header_values:
        for preference in header.split(","):
            token, _, value = preference.split(";", 1)[0].partition("=")
            if token.strip().lower() == "example":
                return value.strip().strip('"')
    return None
