"""Compare two JSON Schemas as a request or a response schema, following ``$ref``s.

The direction decides the class of a change: a client *sends* request values, so narrowing what a
request accepts breaks it; a client *reads* response values, so widening what a response may hold
breaks it. Every key of a schema is looked at: the ones no rule classifies are reported as
``unclassified-change`` rather than passed over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from medux_contract.evolution.diff_rules import DOC_KEYS, Change, change
from medux_contract.spec import SpecError
from medux_contract.spec.refs import pointer, resolve

Direction = Literal["request", "response"]

_MISSING: Any = object()
LOWER_BOUNDS = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"})
# Present or changed, these can only refuse values that were accepted before.
RESTRICTIONS = frozenset({"pattern", "format", "multipleOf", "const", "uniqueItems"})
CONSTRAINTS = LOWER_BOUNDS | UPPER_BOUNDS | RESTRICTIONS | {"additionalProperties"}
COMPOSITIONS = ("allOf", "anyOf", "oneOf")
HANDLED = (
    frozenset({"$ref", "type", "enum", "x-enum-varnames", "properties", "required", "default", "items"})
    | CONSTRAINTS
    | DOC_KEYS
    | set(COMPOSITIONS)
)


@dataclass(frozen=True)
class Site:
    """Where a schema is used: the direction, a label for its root and the dotted path below it."""

    direction: Direction
    root: str
    path: str = ""

    def child(self, name: str) -> Site:
        return Site(self.direction, self.root, f"{self.path}.{name}" if self.path else name)

    def label(self) -> str:
        return f"{self.direction} property `{self.path}`" if self.path else self.root


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    return frozenset([kind] if isinstance(kind, str) else (str(k) for k in kind))


def _covers(outer: frozenset[str] | None, inner: frozenset[str] | None) -> bool:
    """Whether every value of type set ``inner`` is a value of ``outer`` (None: any type)."""
    if outer is None:
        return True
    if inner is None:
        return False
    return all(t in outer or (t == "integer" and "number" in outer) for t in inner)


def _show_types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types))


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _openness(value: Any) -> int:
    # additionalProperties: false admits nothing, a schema admits some values, true/absent all.
    if value is False:
        return 0
    return 1 if isinstance(value, dict) else 2


def _tightens(keyword: str, old: Any, new: Any) -> bool:
    """Whether going from ``old`` to ``new`` may refuse a value that was accepted (absent: _MISSING)."""
    if keyword == "additionalProperties":
        return _openness(new) < _openness(old)
    if keyword == "uniqueItems":
        return new is True and old is not True
    if new is _MISSING or old is _MISSING:
        return old is _MISSING and new is not _MISSING
    numbers = isinstance(old, int | float) and isinstance(new, int | float)
    if numbers and keyword in LOWER_BOUNDS | UPPER_BOUNDS:
        return bool(new > old) if keyword in LOWER_BOUNDS else bool(new < old)
    return True


@dataclass
class SchemaDiff:
    """Compares schemas of two specs; collects changes and the pointers it has accounted for."""

    old_spec: dict[str, Any]
    new_spec: dict[str, Any]
    labels: tuple[str, str] = ("old spec", "new spec")
    changes: list[Change] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def compare(self, old: Any, old_at: str, new: Any, new_at: str, site: Site) -> None:
        self.owned.update((old_at, new_at))
        old, old_at = resolve(self.old_spec, old, old_at, self.labels[0])
        new, new_at = resolve(self.new_spec, new, new_at, self.labels[1])
        self.owned.update((old_at, new_at))
        seen = (site.direction, old_at, new_at)
        if seen in self._seen:
            return
        self._seen.add(seen)
        if not (isinstance(old, dict) and isinstance(new, dict)):
            if old != new:
                self._add("unclassified-change", new_at, f"{site.label()}: schema {old!r} -> {new!r}")
            return
        self._compare_types(old, new, new_at, site)
        self._compare_enums(old, old_at, new, new_at, site)
        self._compare_properties(old, old_at, new, new_at, site)
        self._compare_constraints(old, new, old_at, new_at, site)
        self._compare_children(old, old_at, new, new_at, site)
        self._compare_remaining(old, old_at, new, new_at, site)

    def _add(self, rule_id: str, at: str, detail: str) -> None:
        self.changes.append(change(rule_id, at, detail))

    def _compare_types(self, old: dict[str, Any], new: dict[str, Any], at: str, site: Site) -> None:
        old_types, new_types = _types(old), _types(new)
        if old_types == new_types:
            return
        where = pointer(at, "type") if "type" in new else at
        detail = f"{site.label()}: type {_show_types(old_types)} -> {_show_types(new_types)}"
        if site.direction == "request":
            rule = "request-type-widened" if _covers(new_types, old_types) else "request-type-narrowed"
        else:
            rule = "response-type-narrowed" if _covers(old_types, new_types) else "response-type-changed"
        self._add(rule, where, detail)

    def _compare_enums(
        self, old: dict[str, Any], old_at: str, new: dict[str, Any], new_at: str, site: Site
    ) -> None:
        old_enum, new_enum = old.get("enum"), new.get("enum")
        request = site.direction == "request"
        if old_enum != new_enum:
            if not isinstance(new_enum, list):
                rule = "request-enum-widened" if request else "response-type-changed"
                self._add(rule, pointer(old_at, "enum"), f"{site.label()}: no longer limited to an enum")
            elif not isinstance(old_enum, list):
                rule = "request-enum-narrowed" if request else "response-type-narrowed"
                self._add(rule, pointer(new_at, "enum"), f"{site.label()}: now limited to {new_enum}")
            else:
                for index, value in enumerate(old_enum):
                    if value not in new_enum:
                        rule = "request-enum-narrowed" if request else "response-enum-value-removed"
                        self._add(
                            rule, pointer(old_at, "enum", index), f"{site.label()}: value {value!r} removed"
                        )
                for index, value in enumerate(new_enum):
                    if value not in old_enum:
                        rule = "request-enum-widened" if request else "response-enum-value-added"
                        self._add(
                            rule, pointer(new_at, "enum", index), f"{site.label()}: value {value!r} added"
                        )
        self._compare_member_names(old, new, new_at, site)

    def _compare_member_names(self, old: dict[str, Any], new: dict[str, Any], at: str, site: Site) -> None:
        old_names = _member_names(old)
        for index, (value, name) in enumerate(_member_names(new).items()):
            before = old_names.get(value)
            if before is not None and before != name:
                self._add(
                    "enum-member-renamed",
                    pointer(at, "x-enum-varnames", index),
                    f"{site.label()}: member for {json.loads(value)!r} renamed {before} -> {name}",
                )

    def _compare_properties(
        self, old: dict[str, Any], old_at: str, new: dict[str, Any], new_at: str, site: Site
    ) -> None:
        old_props = _checked(old, "properties", dict, old_at, self.labels[0])
        new_props = _checked(new, "properties", dict, new_at, self.labels[1])
        old_required = set(_checked(old, "required", list, old_at, self.labels[0]))
        new_required = set(_checked(new, "required", list, new_at, self.labels[1]))
        request = site.direction == "request"
        for name in old_props.keys() - new_props.keys():
            at = pointer(old_at, "properties", name)
            self.owned.add(at)
            self._add(f"{site.direction}-property-removed", at, f"{site.child(name).label()} removed")
        for name in new_props.keys() - old_props.keys():
            at = pointer(new_at, "properties", name)
            self.owned.add(at)
            if not request:
                rule = "response-property-added"
            else:
                required = name in new_required
                rule = f"request-property-added-{'required' if required else 'optional'}"
            self._add(rule, at, f"{site.child(name).label()} added")
        for name in _ordered(old_props.keys() & new_props.keys(), new_props):
            self.compare(
                old_props[name],
                pointer(old_at, "properties", name),
                new_props[name],
                pointer(new_at, "properties", name),
                site.child(name),
            )
        # Names added or removed above carry their own change; only existing ones change status here.
        untouched = (old_props.keys() & new_props.keys()) | (
            set(old_required | new_required) - old_props.keys() - new_props.keys()
        )
        for name in sorted(untouched & (new_required - old_required)):
            rule = "request-property-became-required" if request else "response-property-became-required"
            self._add(rule, pointer(new_at, "required"), f"{site.child(name).label()} is now required")
        for name in sorted(untouched & (old_required - new_required)):
            rule = "request-property-became-optional" if request else "response-property-became-optional"
            self._add(rule, pointer(new_at, "required"), f"{site.child(name).label()} is no longer required")

    def _compare_constraints(
        self, old: dict[str, Any], new: dict[str, Any], old_at: str, new_at: str, site: Site
    ) -> None:
        for keyword in sorted(CONSTRAINTS):
            before, after = old.get(keyword, _MISSING), new.get(keyword, _MISSING)
            if before == after or (isinstance(before, dict) and isinstance(after, dict)):
                continue  # two additionalProperties schemas are compared as child schemas
            at = pointer(new_at if after is not _MISSING else old_at, keyword)
            detail = f"{site.label()}: {keyword} {_show(before)} -> {_show(after)}"
            if site.direction == "response":
                self._add("response-constraint-changed", at, detail)
            elif _tightens(keyword, before, after):
                self._add("request-constraint-tightened", at, detail)
            else:
                self._add("request-constraint-relaxed", at, detail)
        if old.get("default", _MISSING) != new.get("default", _MISSING):
            before, after = old.get("default", _MISSING), new.get("default", _MISSING)
            detail = f"{site.label()}: default {_show(before)} -> {_show(after)}"
            self._add("default-changed", pointer(new_at, "default"), detail)

    def _compare_children(
        self, old: dict[str, Any], old_at: str, new: dict[str, Any], new_at: str, site: Site
    ) -> None:
        for keyword in ("items", "additionalProperties"):
            if isinstance(old.get(keyword), dict) and isinstance(new.get(keyword), dict):
                self.compare(
                    old[keyword],
                    pointer(old_at, keyword),
                    new[keyword],
                    pointer(new_at, keyword),
                    site.child("[]" if keyword == "items" else "*"),
                )
            elif keyword == "items" and old.get(keyword) != new.get(keyword):
                self._add("unclassified-change", pointer(new_at, keyword), f"{site.label()}: items changed")
        for keyword in COMPOSITIONS:
            before, after = old.get(keyword), new.get(keyword)
            if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
                for index, (a, b) in enumerate(zip(before, after, strict=True)):
                    self.compare(a, pointer(old_at, keyword, index), b, pointer(new_at, keyword, index), site)
            elif before != after:
                self._add(
                    "unclassified-change", pointer(new_at, keyword), f"{site.label()}: {keyword} changed"
                )

    def _compare_remaining(
        self, old: dict[str, Any], old_at: str, new: dict[str, Any], new_at: str, site: Site
    ) -> None:
        for keyword in _ordered(old.keys() | new.keys(), {**old, **new}):
            if keyword in HANDLED - DOC_KEYS:
                continue
            before, after = old.get(keyword, _MISSING), new.get(keyword, _MISSING)
            if before == after:
                continue
            at = pointer(new_at if after is not _MISSING else old_at, keyword)
            rule = "documentation-changed" if keyword in DOC_KEYS else "unclassified-change"
            self._add(rule, at, f"{site.label()}: {keyword} {_what(before, after)}")


def _checked(schema: dict[str, Any], keyword: str, kind: type, at: str, label: str) -> Any:
    value = schema.get(keyword)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise SpecError(f"{label}: {pointer(at, keyword)} must be a {kind.__name__}, got {value!r}")
    return value


def _member_names(schema: dict[str, Any]) -> dict[str, str]:
    values, names = schema.get("enum"), schema.get("x-enum-varnames")
    if not (isinstance(values, list) and isinstance(names, list) and len(values) == len(names)):
        return {}
    return {_key(value): str(name) for value, name in zip(values, names, strict=True)}


def _ordered(names: Iterable[str], order: dict[str, Any]) -> list[str]:
    """``names`` in the order the spec writes them, so reports read top to bottom."""
    wanted = set(names)
    return [name for name in order if name in wanted]


def _show(value: Any) -> str:
    return "(none)" if value is _MISSING else json.dumps(value)


def _what(before: Any, after: Any) -> str:
    if before is _MISSING:
        return "added"
    return "removed" if after is _MISSING else "changed"
