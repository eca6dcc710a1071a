"""The envelope rule: is this answer one the operation may give? A pure function of the answer.

Every consumer (the conformance checks, the bench's sampled answers, the spec-example lint rule)
calls :func:`judge` or :func:`judge_document`, and each reads the violations of the rules it owns.
The rules, by name:

- ``envelope_has_known_code``: a JSON object with ``Content-Type: application/json`` (parameters
  allowed) whose ``code`` is an integer of ``x-medux-codes`` that this operation can answer;
- ``message_matches_code``: ``message`` is present and is the one the table pairs with ``code``;
- ``code_carries_its_data``: ``data`` holds the members the operation's outcome row says that code
  carries, each of the JSON type the response schema declares for it (``asset``: an object);
- ``status_agrees_with_code``: where a server uses statuses they do not contradict the code: a
  success needs a 2xx, an error may use 200 (an all-200 server) or 4xx/5xx, never another 2xx;
- ``envelope_matches_schema``: the body validates against the operation's response schema (only
  when a validator is given: it costs far more than the rest).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from medux_contract.spec.model import JSON_MEDIA_TYPE, Operation

ALL_OUTCOMES_STATUS = 200
PREVIEW_CHARS = 120


class RuleName(enum.StrEnum):
    ENVELOPE = "envelope_has_known_code"
    MESSAGE = "message_matches_code"
    DATA = "code_carries_its_data"
    STATUS = "status_agrees_with_code"
    SCHEMA = "envelope_matches_schema"


class SchemaValidator(Protocol):
    def iter_errors(self, instance: Any) -> Any: ...


@dataclass(frozen=True)
class Violation:
    rule: RuleName
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


@dataclass(frozen=True)
class Verdict:
    """What :func:`judge` found: the envelope (when there is one) and every violation."""

    envelope: Mapping[str, Any] | None
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def code(self) -> int | None:
        """The envelope's code, when the answer is an envelope with a code of the operation."""
        return None if self.envelope is None else self.envelope["code"]

    def of(self, rule: RuleName) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.rule == rule)

    def problems(self) -> list[str]:
        return [str(violation) for violation in self.violations]


HeaderValue = str | Sequence[str]


def media_type(headers: Mapping[str, HeaderValue]) -> str | None:
    """The Content-Type's media type, lower-cased and without parameters (None when absent)."""
    for name, value in headers.items():
        if name.lower() == "content-type":
            text = value if isinstance(value, str) else (value[0] if value else "")
            return text.split(";", 1)[0].strip().lower()
    return None


def judge(
    operation: Operation,
    status: int,
    headers: Mapping[str, HeaderValue],
    body: bytes,
    *,
    validator: SchemaValidator | None = None,
) -> Verdict:
    """Judge one HTTP answer of ``operation``: its status, its headers and its raw body."""
    kind = media_type(headers)
    if kind != JSON_MEDIA_TYPE:
        shown = "no Content-Type" if kind is None else f"Content-Type {kind}"
        return _not_an_envelope(f"HTTP {status} with {shown}, not {JSON_MEDIA_TYPE}: {_preview(body)}")
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _not_an_envelope(f"HTTP {status}: the body is not valid JSON: {_preview(body)}")
    return judge_document(operation, document, status=status, validator=validator)


def judge_document(
    operation: Operation,
    document: Any,
    *,
    status: int | None = None,
    validator: SchemaValidator | None = None,
) -> Verdict:
    """Judge a decoded envelope (``status`` None: no status to judge, as for a spec example)."""
    where = "" if status is None else f"HTTP {status}: "
    if not isinstance(document, dict):
        return _not_an_envelope(f"{where}the body is a JSON {type(document).__name__}, not an object")
    violations = [
        Violation(RuleName.SCHEMA, f"{_path(error)}: {error.message}")
        for error in (validator.iter_errors(document) if validator is not None else ())
    ]
    if "code" not in document:
        return Verdict(
            None, (Violation(RuleName.ENVELOPE, f"{where}the envelope has no `code`"), *violations)
        )
    code = document["code"]
    # bool is an int in Python, not in JSON: `true` is not a code.
    if isinstance(code, bool) or not isinstance(code, int) or code not in operation.codes:
        known = ", ".join(map(str, operation.codes))
        detail = f"{where}`code` {code!r} is not one {operation.operation_id} can answer ({known})"
        return Verdict(None, (Violation(RuleName.ENVELOPE, detail), *violations))
    outcome = operation.outcome(code)
    expected = outcome.code.message
    if "message" not in document or document["message"] != expected:
        got = "without `message`" if "message" not in document else f"with message {document['message']!r}"
        detail = f"code {code} came {got}; the table pairs it with {expected!r}"
        violations.append(Violation(RuleName.MESSAGE, detail))
    violations += _data_violations(operation, code, outcome.carries, document.get("data"))
    if status is not None:
        violations += _status_violations(code, outcome.is_success, expected, status)
    return Verdict(document, tuple(violations))


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
}


def _has_type(value: Any, kind: str | None) -> bool:
    if value is None:
        return False
    if kind is None:
        return True
    if kind in ("number", "integer") and isinstance(value, bool):
        return False
    return isinstance(value, _JSON_TYPES.get(kind, (object,)))


def _data_violations(
    operation: Operation, code: int, promised: tuple[str, ...], data: Any
) -> list[Violation]:
    if not promised:
        return []
    members = ", data.".join(promised)
    if not isinstance(data, dict):
        shown = "no `data`" if data is None else f"`data` of type {type(data).__name__}"
        return [Violation(RuleName.DATA, f"code {code} came with {shown}; it must carry data.{members}")]
    kinds = operation.data_member_types
    missing = [member for member in promised if not _has_type(data.get(member), kinds.get(member))]
    if not missing:
        return []
    shown = ", ".join(f"data.{member} ({kinds.get(member) or 'any value'})" for member in missing)
    return [
        Violation(
            RuleName.DATA, f"code {code} must carry data.{members}; missing or of another type: {shown}"
        )
    ]


def _status_violations(code: int, success: bool, message: str, status: int) -> list[Violation]:
    if success and not 200 <= status < 300:
        return [
            Violation(
                RuleName.STATUS,
                f"code {code} {message!r} came with HTTP {status}: success needs a 2xx status",
            )
        ]
    if not success and 200 <= status < 300 and status != ALL_OUTCOMES_STATUS:
        return [
            Violation(
                RuleName.STATUS,
                f"error code {code} {message!r} came with HTTP {status}: an error may use 200 "
                "(as an all-200 server does) or a 4xx/5xx status, never another 2xx",
            )
        ]
    return []


def _not_an_envelope(detail: str) -> Verdict:
    return Verdict(None, (Violation(RuleName.ENVELOPE, detail),))


def _path(error: Any) -> str:
    return "/".join(str(part) for part in getattr(error, "absolute_path", ())) or "body"


def _preview(body: bytes) -> str:
    text = " ".join(body[:PREVIEW_CHARS].decode("utf-8", "replace").split())
    return repr(text + ("..." if len(body) > PREVIEW_CHARS else ""))
