"""Choosing an outcome on demand, the two ways the README documents, both derived from the spec.

* Magic values (Stripe-style): a string input of the operation (a declared body property or a
  string query parameter) whose value is ``mock_code_<code>``, optionally after a lower-case word
  and ``_``: ``file_id: file_mock_code_1401`` on Create Avatar by Image, ``cursor=mock_code_99`` on
  List Avatars. Only codes the operation can answer are magic; any other value is ordinary input.
* Prism-style ``Prefer: example=<name>``, where ``name`` is one of the operation's named 200
  examples (one per code it can answer, named ``Code.example_name``). With the ``applied``
  parameter (``Prefer: example=provider_timeout; applied``) an outcome that may have billed is sent
  after the success's effect took place (the avatar was created and the credit spent before the
  timeout), so a client can practise "check your assets, then decide" on both of its branches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medux_contract.spec import Code, Outcome, load_contract

MAGIC_MARK = "mock_code_"
MAGIC_FILE_PREFIX = "file_" + MAGIC_MARK
PREFER_HEADER = "Prefer"
APPLIED_PARAMETER = "applied"
_MAGIC = re.compile(r"(?:[a-z]+_)?" + re.escape(MAGIC_MARK) + r"(0|[1-9][0-9]{0,8})")

CodeLike = int | Code | Outcome


def _code(code: CodeLike) -> int:
    if isinstance(code, Outcome):
        return code.value
    return code.code if isinstance(code, Code) else code


def magic_file_id(code: CodeLike) -> str:
    """The ``file_id`` that makes the mock answer with ``code`` (e.g. ``file_mock_code_1401``)."""
    return f"{MAGIC_FILE_PREFIX}{_code(code)}"


def magic_cursor(code: CodeLike) -> str:
    """The ``cursor`` that makes the mock answer a list with ``code`` (e.g. ``mock_code_99``)."""
    return f"{MAGIC_MARK}{_code(code)}"


def magic_code(value: str) -> int | None:
    """The code a magic value asks for, or None when ``value`` is not shaped like one."""
    if MAGIC_MARK not in value:  # most inputs: a substring test is cheaper than the pattern
        return None
    match = _MAGIC.fullmatch(value)
    return int(match.group(1)) if match else None


def prefer_example(code: CodeLike, *, applied: bool = False) -> str:
    """The ``Prefer`` header value that selects ``code``'s example (e.g. ``example=rate_limited``).

    ``applied`` asks for the success's effect too (only for an outcome that may have billed). An
    ``int`` is looked up in ``openapi.yaml``'s code table; pass a :class:`Code` or an
    :class:`Outcome` of another spec's model to use that spec's names.
    """
    if isinstance(code, Outcome):
        name = code.example_name
    else:
        name = (code if isinstance(code, Code) else load_contract().codes[code]).example_name
    return f"example={name}" + (f"; {APPLIED_PARAMETER}" if applied else "")


@dataclass(frozen=True)
class Preference:
    example: str
    applied: bool


def preferred_example(header_values: list[str]) -> Preference | None:
    """The example named by ``Prefer`` headers (RFC 7240: comma-separated preferences, each
    ``token[=value]`` with optional ``;`` parameters); None when no preference names one."""
    for header in header_values:
        for preference in header.split(","):
            head, *parameters = preference.split(";")
            token, _, value = head.partition("=")
            if token.strip().lower() == "example":
                names = {parameter.split("=", 1)[0].strip().lower() for parameter in parameters}
                return Preference(value.strip().strip('"'), APPLIED_PARAMETER in names)
    return None
