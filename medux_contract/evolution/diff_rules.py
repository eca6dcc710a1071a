"""The rule table of the spec diff: every kind of change `make breaking` knows, and how it is classed.

A rule says how a change affects a client built from the old spec: ``breaking`` (its code can stop
working), ``notice`` (it keeps working, but a strict client may not, or a person should look) or
``non-breaking``. The changelog section follows from the rule and fixes the least version bump:
Breaking -> major, Added and Changed -> minor, Fixed (descriptions, examples) -> patch.

Code facts are compared by meaning, whatever their shape (:mod:`.code_facts`). The API-wide table
``x-medux-codes`` owns the names clients use (member, message, exception: a change breaks) and the
``retry`` column (a change alters retry decisions, not names: minor). Each operation's
``x-medux-outcomes`` says which codes it answers: one more is a notice (an old client calls it
unknown for that operation), one fewer a notice too (nothing clients read disappears, but logic
waiting for it never runs); a member a code stops carrying breaks the clients that read it, one it
starts carrying does not; a ``billable`` flip changes the live guard's caution (minor). The same
facts in another shape are one notice (tools reading the extension must follow). ``x-medux-mock``
is the mock's configuration, not contract: never compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Severity(Enum):
    BREAKING = "breaking"
    NOTICE = "notice"
    NON_BREAKING = "non-breaking"


class Bump(IntEnum):
    """A version bump, ordered so that a larger bump satisfies a smaller requirement."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


class Section(Enum):
    """A CHANGELOG.md section, in the order the entries list them."""

    BREAKING = "Breaking"
    ADDED = "Added"
    CHANGED = "Changed"
    FIXED = "Fixed"

    @property
    def bump(self) -> Bump:
        return {
            Section.BREAKING: Bump.MAJOR,
            Section.ADDED: Bump.MINOR,
            Section.CHANGED: Bump.MINOR,
            Section.FIXED: Bump.PATCH,
        }[self]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    section: Section
    reason: str


@dataclass(frozen=True)
class Change:
    """One classified difference: which rule, where (a JSON pointer), and what exactly changed."""

    rule: Rule
    pointer: str
    detail: str

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def as_json(self) -> dict[str, str]:
        return {
            "rule": self.rule.id,
            "severity": self.rule.severity.value,
            "section": self.rule.section.value,
            "pointer": self.pointer,
            "detail": self.detail,
            "reason": self.rule.reason,
        }


B, N, OK = Severity.BREAKING, Severity.NOTICE, Severity.NON_BREAKING
BREAKING, ADDED, CHANGED, FIXED = Section.BREAKING, Section.ADDED, Section.CHANGED, Section.FIXED

_TABLE = (
    # Paths and operations
    Rule("path-removed", B, BREAKING, "every call to the path fails"),
    Rule("path-added", OK, ADDED, "existing calls are unaffected"),
    Rule("operation-removed", B, BREAKING, "the generated function disappears and calls fail"),
    Rule("operation-added", OK, ADDED, "existing calls are unaffected"),
    Rule("operation-id-changed", B, BREAKING, "the operationId names the generated function and its module"),
    Rule("operation-tag-changed", B, BREAKING, "the first tag names the generated api sub-package"),
    # Parameters
    Rule("parameter-removed", B, BREAKING, "the generated function loses an argument callers pass"),
    Rule("parameter-added-required", B, BREAKING, "existing calls do not send the new required parameter"),
    Rule("parameter-added-optional", OK, ADDED, "existing calls may omit it"),
    Rule("parameter-became-required", B, BREAKING, "existing calls may omit it"),
    Rule("parameter-became-optional", OK, CHANGED, "existing calls still send a valid value"),
    # Request body
    Rule("request-body-removed", B, BREAKING, "callers send a body the operation no longer takes"),
    Rule("request-body-added", OK, ADDED, "the new body is optional"),
    Rule("request-body-became-required", B, BREAKING, "existing calls may send no body"),
    Rule("request-body-became-optional", OK, CHANGED, "existing calls still send a body"),
    Rule(
        "request-media-type-removed", B, BREAKING, "callers send a media type the operation no longer takes"
    ),
    Rule("request-media-type-added", OK, ADDED, "existing calls keep their media type"),
    Rule("request-property-removed", B, BREAKING, "the generated model loses a field callers set"),
    Rule("request-property-added-required", B, BREAKING, "existing calls do not send the new required field"),
    Rule("request-property-added-optional", OK, ADDED, "existing calls may omit it"),
    Rule("request-property-became-required", B, BREAKING, "existing calls may omit it"),
    Rule("request-property-became-optional", OK, CHANGED, "existing calls still send it"),
    Rule("request-type-narrowed", B, BREAKING, "values callers send today may be refused"),
    Rule("request-type-widened", OK, CHANGED, "every value callers send today is still accepted"),
    Rule("request-enum-narrowed", B, BREAKING, "a value callers send today may be refused"),
    Rule("request-enum-widened", OK, ADDED, "every value callers send today is still accepted"),
    Rule("request-constraint-tightened", B, BREAKING, "values callers send today may be refused"),
    Rule("request-constraint-relaxed", OK, CHANGED, "every value callers send today is still accepted"),
    # Responses
    Rule("response-removed", B, BREAKING, "clients lose the parser for that status"),
    Rule("response-added", N, ADDED, "clients built before it do not parse the new status"),
    Rule("response-media-type-removed", B, BREAKING, "clients lose the parser for that media type"),
    Rule("response-media-type-added", OK, ADDED, "existing media types are unaffected"),
    Rule("response-property-removed", B, BREAKING, "the generated model loses a field clients read"),
    Rule("response-property-added", OK, ADDED, "clients ignore fields they do not know"),
    Rule("response-property-became-optional", B, BREAKING, "clients that rely on the field may not get it"),
    Rule("response-property-became-required", OK, CHANGED, "clients that handle its absence still work"),
    Rule("response-type-changed", B, BREAKING, "clients may receive a value of a type they do not expect"),
    Rule("response-type-narrowed", OK, CHANGED, "every value clients receive was possible before"),
    Rule("response-enum-value-removed", B, BREAKING, "the generated enum loses a member client code names"),
    Rule(
        "response-enum-value-added",
        N,
        ADDED,
        "the generated client tolerates unknown values; strict clients may not",
    ),
    Rule("response-constraint-changed", OK, CHANGED, "a response value's limits changed; types are the same"),
    # Both directions
    Rule("enum-member-renamed", B, BREAKING, "x-enum-varnames names the generated enum members"),
    Rule("default-changed", N, CHANGED, "calls that omit the value now get a different behaviour"),
    Rule("component-schema-removed", B, BREAKING, "the generated model class of that schema disappears"),
    Rule("component-schema-added", OK, ADDED, "a new model class; existing code is unaffected"),
    # Security
    Rule("security-scheme-removed", B, BREAKING, "clients lose the way they authenticate"),
    Rule("security-scheme-added", OK, ADDED, "existing credentials are unaffected"),
    Rule("security-scheme-changed", B, BREAKING, "clients send credentials the old way"),
    Rule("security-requirement-added", B, BREAKING, "existing calls lack the credentials now required"),
    Rule("security-requirement-relaxed", OK, CHANGED, "existing credentials are still accepted"),
    # The code table (x-medux-codes). Its mock settings (x-medux-mock) are not contract: not compared.
    Rule(
        "code-removed", B, BREAKING, "client code that handles the code, its member or its exception breaks"
    ),
    Rule("code-added", N, ADDED, "the generated client tolerates unknown codes; strict clients may not"),
    Rule("code-message-changed", B, BREAKING, "the code<->message pairing clients rely on changed"),
    Rule("code-name-changed", B, BREAKING, "the name is the generated enum member and example name"),
    Rule("code-exception-changed", B, BREAKING, "client code catches the generated exception by its name"),
    Rule(
        "code-behaviour-changed",
        OK,
        CHANGED,
        "the client's retry decisions or the live guard's billing caution change; no name changes",
    ),
    Rule(
        "code-table-reshaped",
        N,
        CHANGED,
        "the same code facts in another shape: API clients are unaffected; tools that read the "
        "extensions must follow it",
    ),
    # Each operation's codes (x-medux-outcomes)
    Rule(
        "outcome-added",
        N,
        ADDED,
        "clients built before it treat the code as unknown for this operation (not its typed error)",
    ),
    Rule(
        "outcome-removed",
        N,
        CHANGED,
        "handlers of the code still compile but no longer run; logic that waited for it needs review",
    ),
    Rule(
        "outcome-data-removed",
        B,
        BREAKING,
        "clients that read the member after this code no longer get it",
    ),
    Rule("outcome-data-added", OK, CHANGED, "clients that do not read the new member are unaffected"),
    # Everything else
    Rule("documentation-changed", OK, FIXED, "descriptions and examples do not change behaviour"),
    Rule("unclassified-change", N, CHANGED, "no rule classifies this change: review it by hand"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _TABLE}

# Keys whose values only document: a change to them is `documentation-changed` wherever it is.
# `invocation_example` and `name_source` document the MCP tool (x-medux-mcp-tool); `meaning` and
# `meaning_source` are the code table's prose columns.
DOC_KEYS = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "invocation_example",
        "name_source",
        "meaning",
        "meaning_source",
    }
)


def change(rule_id: str, pointer: str, detail: str) -> Change:
    return Change(RULES[rule_id], pointer, detail)
