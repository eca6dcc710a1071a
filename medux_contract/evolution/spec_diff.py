"""Classify every difference between two versions of openapi.yaml (the engine behind `make breaking`).

Operations, parameters, bodies, responses, security and the code facts (the table
``x-medux-codes`` and each operation's ``x-medux-outcomes``, through :mod:`.code_diff`) are
compared by meaning, schemas through :mod:`.schema_diff`. Whatever those comparisons do not account
for is compared node by node at the end, so no difference goes unreported: it is documentation
(descriptions, examples) or ``unclassified-change``. ``info.version`` is not a change here; the
version gate judges it. ``x-medux-mock`` is the mock's configuration, not contract: it is ignored.
"""

from __future__ import annotations

from typing import Any

from medux_contract.evolution.code_diff import compare_code_facts
from medux_contract.evolution.code_facts import read_code_facts
from medux_contract.evolution.diff_rules import DOC_KEYS, Change, Severity, change
from medux_contract.evolution.schema_diff import SchemaDiff, Site
from medux_contract.spec import CODE_TABLE_KEY, MOCK_KEY, OUTCOMES_KEY, SpecError
from medux_contract.spec.model import HTTP_METHODS
from medux_contract.spec.refs import pointer, resolve

METHODS = HTTP_METHODS
SCHEME_DOC_KEYS = DOC_KEYS
_SEVERITY_ORDER = {Severity.BREAKING: 0, Severity.NOTICE: 1, Severity.NON_BREAKING: 2}


def diff_specs(
    old: dict[str, Any], new: dict[str, Any], labels: tuple[str, str] = ("old spec", "new spec")
) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking first, then in pointer order.

    Raises :class:`SpecError` (with a message naming the spec) when either spec lacks a shape the
    comparison needs, e.g. a malformed code table or a dangling ``$ref``.
    """
    try:
        return _SpecDiff(old, new, labels).run()
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        if isinstance(exc, SpecError):
            raise
        # The targeted checks name the bad node; this is the net for shapes they do not foresee.
        raise SpecError(
            f"the specs could not be compared ({type(exc).__name__}: {exc}); "
            "run `make lint` on both to find the malformed part"
        ) from None


def _mapping(node: Any, where: str, label: str) -> dict[str, Any]:
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise SpecError(f"{label}: {where or '/'} must be a mapping, got {type(node).__name__}")
    return node


def _component(spec: dict[str, Any], kind: str, label: str) -> dict[str, Any]:
    components = _mapping(spec.get("components"), "/components", label)
    return _mapping(components.get(kind), f"/components/{kind}", label)


class _SpecDiff:
    def __init__(self, old: dict[str, Any], new: dict[str, Any], labels: tuple[str, str]) -> None:
        self.old, self.new = old, new
        self.old_label, self.new_label = labels
        self.schemas = SchemaDiff(old, new, labels)
        self.changes: list[Change] = []
        self.owned: set[str] = {"/info/version", f"/{CODE_TABLE_KEY}", f"/{MOCK_KEY}"}

    def run(self) -> list[Change]:
        self._compare_paths()
        self._compare_security_schemes()
        self._compare_code_facts()
        self._compare_component_schemas()
        self.owned |= self.schemas.owned
        self._compare_rest(self.old, self.new, "")
        # A schema or parameter reached from two places yields the same change twice: list it once.
        changes = list(dict.fromkeys(self.changes + self.schemas.changes))
        return sorted(changes, key=lambda c: (_SEVERITY_ORDER[c.severity], c.pointer))

    def _add(self, rule_id: str, at: str, detail: str) -> None:
        self.owned.add(at)
        self.changes.append(change(rule_id, at, detail))

    # Paths and operations -------------------------------------------------------------------

    def _compare_paths(self) -> None:
        old_paths = _mapping(self.old.get("paths"), "/paths", self.old_label)
        new_paths = _mapping(self.new.get("paths"), "/paths", self.new_label)
        for path in old_paths.keys() - new_paths.keys():
            self._add("path-removed", pointer("/paths", path), f"path {path} removed")
        for path in new_paths.keys() - old_paths.keys():
            self._add("path-added", pointer("/paths", path), f"path {path} added{_serving(new_paths[path])}")
        for path in sorted(old_paths.keys() & new_paths.keys()):
            at = pointer("/paths", path)
            old_item = _mapping(old_paths[path], at, self.old_label)
            new_item = _mapping(new_paths[path], at, self.new_label)
            for method in METHODS:
                name = f"{method.upper()} {path}"
                if method in old_item and method not in new_item:
                    self._add("operation-removed", pointer(at, method), f"operation {name} removed")
                elif method in new_item and method not in old_item:
                    served = _serving({method: new_item[method]})
                    self._add("operation-added", pointer(at, method), f"operation {name} added{served}")
                elif method in old_item:
                    old_op = _mapping(old_item[method], pointer(at, method), self.old_label)
                    new_op = _mapping(new_item[method], pointer(at, method), self.new_label)
                    self._compare_operation(old_op, new_op, pointer(at, method), name)

    def _compare_operation(self, old: dict[str, Any], new: dict[str, Any], at: str, name: str) -> None:
        # Bodies and responses stay open to the final pass: their descriptions and examples are
        # documentation it reports; the parts compared here own their own pointers.
        for key in ("operationId", "tags", "parameters", "security", OUTCOMES_KEY):
            self.owned.add(pointer(at, key))
        if old.get("operationId") != new.get("operationId"):
            self._add(
                "operation-id-changed",
                pointer(at, "operationId"),
                f"{name}: operationId {old.get('operationId')!r} -> {new.get('operationId')!r}",
            )
        old_tags, new_tags = old.get("tags") or [], new.get("tags") or []
        if old_tags[:1] != new_tags[:1]:
            self._add(
                "operation-tag-changed",
                pointer(at, "tags"),
                f"{name}: first tag {old_tags[:1]} -> {new_tags[:1]}",
            )
        elif old_tags != new_tags:
            self._add("unclassified-change", pointer(at, "tags"), f"{name}: tags {old_tags} -> {new_tags}")
        self._compare_parameters(old, new, at, name)
        self._compare_request_body(old, new, at, name)
        self._compare_responses(old, new, at, name)
        self._compare_security_requirement(old, new, at, name)

    def _compare_parameters(self, old: dict[str, Any], new: dict[str, Any], at: str, name: str) -> None:
        old_params = self._parameters(self.old, old, at, self.old_label)
        new_params = self._parameters(self.new, new, at, self.new_label)
        for key, (_, where) in old_params.items():
            if key not in new_params:
                self._add("parameter-removed", where, f"{name}: {key[0]} parameter {key[1]!r} removed")
        for key, (param, where) in new_params.items():
            label = f"{name}: {key[0]} parameter {key[1]!r}"
            if key not in old_params:
                required = bool(param.get("required"))
                rule = "parameter-added-required" if required else "parameter-added-optional"
                self._add(rule, where, f"{label} added")
                continue
            old_param, old_where = old_params[key]
            if bool(param.get("required")) != bool(old_param.get("required")):
                rule = "parameter-became-required" if param.get("required") else "parameter-became-optional"
                self._add(
                    rule, pointer(where, "required"), f"{label} required: {bool(param.get('required'))}"
                )
            self._compare_parameter_rest(old_param, param, where, label)
            if "schema" in old_param or "schema" in param:
                self.schemas.compare(
                    old_param.get("schema", {}),
                    pointer(old_where, "schema"),
                    param.get("schema", {}),
                    pointer(where, "schema"),
                    Site("request", f"{key[0]} parameter `{key[1]}`"),
                )

    def _compare_parameter_rest(self, old: dict[str, Any], new: dict[str, Any], at: str, label: str) -> None:
        """Keys of a parameter beside name, in, required and schema (parameters are owned whole)."""
        for key in _keys(old, new):
            if key in ("name", "in", "required", "schema") or old.get(key) == new.get(key):
                continue
            rule = "documentation-changed" if key in DOC_KEYS else "unclassified-change"
            self.changes.append(change(rule, pointer(at, key), f"{label}: {key} changed"))

    def _parameters(
        self, spec: dict[str, Any], operation: dict[str, Any], at: str, label: str
    ) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for index, raw in enumerate(operation.get("parameters") or []):
            param, where = resolve(spec, raw, pointer(at, "parameters", index), label)
            if not (isinstance(param, dict) and isinstance(param.get("name"), str)):
                raise SpecError(f"{label}: {where} is not a parameter with a name")
            found[(str(param.get("in")), param["name"])] = (param, where)
            self.owned.update((pointer(at, "parameters", index), where))
        return found

    def _compare_request_body(self, old: dict[str, Any], new: dict[str, Any], at: str, name: str) -> None:
        where = pointer(at, "requestBody")
        old_body = resolve(self.old, old.get("requestBody"), where, self.old_label)[0]
        new_body = resolve(self.new, new.get("requestBody"), where, self.new_label)[0]
        if old_body is None and new_body is None:
            return
        if new_body is None:
            self._add("request-body-removed", where, f"{name}: request body removed")
            return
        new_required = bool(_mapping(new_body, where, self.new_label).get("required"))
        if old_body is None:
            rule = "request-body-became-required" if new_required else "request-body-added"
            self._add(rule, where, f"{name}: request body added (required: {new_required})")
            return
        old_required = bool(_mapping(old_body, where, self.old_label).get("required"))
        if new_required != old_required:
            rule = "request-body-became-required" if new_required else "request-body-became-optional"
            self._add(rule, pointer(where, "required"), f"{name}: request body required: {new_required}")
        self._compare_content(old_body, new_body, where, name, "request")

    def _compare_responses(self, old: dict[str, Any], new: dict[str, Any], at: str, name: str) -> None:
        where = pointer(at, "responses")
        old_responses = _mapping(old.get("responses"), where, self.old_label)
        new_responses = _mapping(new.get("responses"), where, self.new_label)
        for status in old_responses.keys() - new_responses.keys():
            self._add("response-removed", pointer(where, status), f"{name}: response {status} removed")
        for status in new_responses.keys() - old_responses.keys():
            self._add("response-added", pointer(where, status), f"{name}: response {status} added")
        for status in sorted(old_responses.keys() & new_responses.keys(), key=str):
            at_status = pointer(where, status)
            old_response = resolve(self.old, old_responses[status], at_status, self.old_label)[0]
            new_response = resolve(self.new, new_responses[status], at_status, self.new_label)[0]
            self._compare_content(
                _mapping(old_response, at_status, self.old_label),
                _mapping(new_response, at_status, self.new_label),
                at_status,
                f"{name} response {status}",
                "response",
            )

    def _compare_content(
        self, old: dict[str, Any], new: dict[str, Any], at: str, name: str, direction: str
    ) -> None:
        where = pointer(at, "content")
        old_content = _mapping(old.get("content"), where, self.old_label)
        new_content = _mapping(new.get("content"), where, self.new_label)
        for media in old_content.keys() - new_content.keys():
            self._add(f"{direction}-media-type-removed", pointer(where, media), f"{name}: {media} removed")
        for media in new_content.keys() - old_content.keys():
            self._add(f"{direction}-media-type-added", pointer(where, media), f"{name}: {media} added")
        for media in sorted(old_content.keys() & new_content.keys()):
            at_media = pointer(where, media)
            old_media = _mapping(old_content[media], at_media, self.old_label)
            new_media = _mapping(new_content[media], at_media, self.new_label)
            if "schema" in old_media or "schema" in new_media:
                self.schemas.compare(
                    old_media.get("schema", {}),
                    pointer(at_media, "schema"),
                    new_media.get("schema", {}),
                    pointer(at_media, "schema"),
                    Site("request" if direction == "request" else "response", f"{direction} body"),
                )

    # Security -------------------------------------------------------------------------------

    def _compare_security_requirement(
        self, old: dict[str, Any], new: dict[str, Any], at: str, name: str
    ) -> None:
        self.owned.add("/security")
        before = _alternatives(old.get("security", self.old.get("security")))
        after = _alternatives(new.get("security", self.new.get("security")))
        if before == after:
            return
        where = pointer(at, "security") if "security" in new else "/security"
        # A caller satisfies one old alternative; it still gets in if some new one asks no more.
        stranded = [alt for alt in before if not any(option <= alt for option in after)]
        if stranded:
            self._add(
                "security-requirement-added", where, f"{name}: security {_show(before)} -> {_show(after)}"
            )
        else:
            self._add(
                "security-requirement-relaxed", where, f"{name}: security {_show(before)} -> {_show(after)}"
            )

    def _compare_security_schemes(self) -> None:
        base = "/components/securitySchemes"
        old_schemes = _component(self.old, "securitySchemes", self.old_label)
        new_schemes = _component(self.new, "securitySchemes", self.new_label)
        for scheme in old_schemes.keys() - new_schemes.keys():
            self._add("security-scheme-removed", pointer(base, scheme), f"security scheme {scheme!r} removed")
        for scheme in new_schemes.keys() - old_schemes.keys():
            self._add("security-scheme-added", pointer(base, scheme), f"security scheme {scheme!r} added")
        for scheme in sorted(old_schemes.keys() & new_schemes.keys()):
            at = pointer(base, scheme)
            before = _mapping(old_schemes[scheme], at, self.old_label)
            after = _mapping(new_schemes[scheme], at, self.new_label)
            for key in _keys(before, after):
                if key in SCHEME_DOC_KEYS:
                    continue  # left to the final pass, which calls it documentation
                self.owned.add(pointer(at, key))
                if before.get(key) != after.get(key):
                    detail = f"security scheme {scheme!r}: {key} {before.get(key)!r} -> {after.get(key)!r}"
                    self._add("security-scheme-changed", pointer(at, key), detail)

    # The code facts ------------------------------------------------------------------------

    def _compare_code_facts(self) -> None:
        compare_code_facts(
            read_code_facts(self.old, self.old_label), read_code_facts(self.new, self.new_label), self._add
        )

    # Components and the rest ----------------------------------------------------------------

    def _compare_component_schemas(self) -> None:
        base = "/components/schemas"
        old_schemas = _component(self.old, "schemas", self.old_label)
        new_schemas = _component(self.new, "schemas", self.new_label)
        for name in old_schemas.keys() - new_schemas.keys():
            self._add("component-schema-removed", pointer(base, name), f"schema {name} removed")
        for name in new_schemas.keys() - old_schemas.keys():
            self._add("component-schema-added", pointer(base, name), f"schema {name} added")

    def _compare_rest(self, old: Any, new: Any, at: str) -> None:
        """Node-by-node comparison of everything the comparisons above did not account for."""
        if at in self.owned:
            return
        if isinstance(old, dict) and isinstance(new, dict):
            for key in _keys(old, new):
                self._compare_rest(old.get(key, _ABSENT), new.get(key, _ABSENT), pointer(at, key))
            return
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                self._compare_rest(a, b, pointer(at, index))
            return
        if old == new:
            return
        parts = at.split("/")
        documentation = any(part in DOC_KEYS for part in parts) or parts[1:2] == ["tags"]
        what = "added" if old is _ABSENT else "removed" if new is _ABSENT else "changed"
        rule = "documentation-changed" if documentation else "unclassified-change"
        self.changes.append(change(rule, at, f"{parts[-1] or 'the document'} {what}"))


_ABSENT: Any = object()


def _keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return list(old) + [key for key in new if key not in old]


def _serving(item: Any) -> str:
    """`` (GET listThings: List Things, codes 0, 12)``: what an added path or operation offers."""
    offered = []
    for method in METHODS:
        op = item.get(method) if isinstance(item, dict) else None
        if not isinstance(op, dict):
            continue
        text = f"{method.upper()} {op.get('operationId')}" + (
            f": {op['summary']}" if op.get("summary") else ""
        )
        outcomes = op.get(OUTCOMES_KEY)
        if isinstance(outcomes, list):
            text += ", codes " + ", ".join(str(row.get("code")) for row in outcomes if isinstance(row, dict))
        offered.append(text)
    return f" ({'; '.join(offered)})" if offered else ""


def _alternatives(requirement: Any) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
    """A security requirement as a set of alternatives, each the set of (scheme, scopes) it needs."""
    if not requirement:
        return frozenset({frozenset()})  # no requirement: anyone gets in
    if not isinstance(requirement, list) or not all(isinstance(alt, dict) for alt in requirement):
        raise SpecError(f"security must be a list of mappings, got {requirement!r}")
    return frozenset(
        frozenset((str(scheme), tuple(sorted(scopes or []))) for scheme, scopes in alt.items())
        for alt in requirement
    )


def _show(alternatives: frozenset[frozenset[tuple[str, tuple[str, ...]]]]) -> str:
    shown = sorted(" + ".join(sorted(scheme for scheme, _ in alt)) or "none" for alt in alternatives)
    return " or ".join(shown)
