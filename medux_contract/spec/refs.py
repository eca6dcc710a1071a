"""JSON pointers (RFC 6901) into a spec, and resolution of its local ``$ref``s.

The diff reports every change by the pointer of the node that holds it, so a property of a schema
that the operation reaches through ``$ref`` is reported where it is written: under
``/components/schemas/...``.
"""

from __future__ import annotations

from typing import Any

from medux_contract.spec.document import SpecError

MAX_REF_HOPS = 32


def pointer(base: str, *parts: str | int) -> str:
    """``base`` extended by ``parts``, escaped as RFC 6901 requires (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "/".join((base, *escaped)) if parts else base


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def lookup(spec: dict[str, Any], target: str, where: str) -> Any:
    """The node at JSON pointer ``target`` (``""`` is the whole document)."""
    node: Any = spec
    for raw in target.split("/")[1:] if target else []:
        part = _unescape(raw)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise SpecError(f"{where}: $ref '#{target}' points at nothing")
    return node


def resolve(spec: dict[str, Any], node: Any, at: str, label: str) -> tuple[Any, str]:
    """Follow ``node``'s ``$ref`` chain; return the target and its pointer.

    Keys written beside a ``$ref`` (OpenAPI 3.1 allows e.g. a local ``description``) are laid over
    the target, so a change to them is still seen, reported at the target's pointer.
    """
    siblings: dict[str, Any] = {}
    for _ in range(MAX_REF_HOPS):
        if not (isinstance(node, dict) and "$ref" in node):
            if siblings and isinstance(node, dict):
                return {**node, **siblings}, at
            return node, at
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise SpecError(f"{label} at {at}: only local $refs ('#/...') are supported, got {ref!r}")
        siblings = {**{k: v for k, v in node.items() if k != "$ref"}, **siblings}
        node = lookup(spec, ref[1:], f"{label} at {at}")
        at = ref[1:]
    raise SpecError(f"{label} at {at}: $ref chain longer than {MAX_REF_HOPS} (a cycle?)")
