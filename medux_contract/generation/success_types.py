"""The typed success of each operation: what ``sync``/``asyncio`` return, with carried members required.

The generator types every member of a response model optional (``Asset | Unset``), since the schema
cannot say that code 0 always carries ``data.asset``; the spec says it in the operation's
``x-medux-outcomes`` (``carries``). This module renders ``results.py``: per operation a read-only
``Protocol`` of the success envelope (``<Operation>Result``) and of its ``data``
(``<Operation>ResultData``), where each carried member loses ``| Unset`` and everything else keeps the
generator's own type. The types are read from the modules the generator just wrote (with ``ast``), so
they always match its naming, inline schemas included; ``exceptions.raise_for_outcome`` checks that
each carried member is present before the endpoint casts the envelope to the protocol, so the type
tells the truth.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from openapi_python_client.strings import PythonIdentifier

from medux_contract.generation.paged_operations import (
    FIELD_PREFIX,
    endpoint_module,
    result_class,
    tag_package,
)
from medux_contract.spec import Contract, Operation

UNSET_TYPE = "Unset"
ENVELOPE_MEMBERS = ("code", "message", "data")
_BUILTINS = frozenset({"list", "dict", "str", "int", "float", "bool", "None", "tuple"})
_TYPING = frozenset({"Any"})
_TYPES_MODULE = frozenset({UNSET_TYPE, "UNSET", "File"})


class SuccessTypeError(ValueError):
    """The generated models cannot be read into a success type; the message names the file and member."""


def carried_attributes(operation: Operation) -> tuple[str, ...]:
    """The Python attribute names of the ``data`` members the success code carries."""
    return tuple(str(PythonIdentifier(member, prefix=FIELD_PREFIX)) for member in operation.success.carries)


@dataclass(frozen=True)
class Member:
    name: str
    annotation: str


@dataclass(frozen=True)
class SuccessType:
    """One operation's success protocols, ready for ``results.py.jinja``."""

    operation_id: str
    name: str
    data_name: str
    envelope: tuple[Member, ...]
    data: tuple[Member, ...]
    carries: tuple[str, ...]


def parse_module(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError) as exc:
        raise SuccessTypeError(f"cannot read the generated module {path}: {exc}") from None


def model_modules(package: Path) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for node in parse_module(package / "models" / "__init__.py").body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1:
            for alias in node.names:
                modules[alias.asname or alias.name] = package / "models" / f"{node.module}.py"
    return modules


def _union(annotation: ast.expr) -> list[ast.expr]:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _union(annotation.left) + _union(annotation.right)
    return [annotation]


def _without_unset(annotation: ast.expr) -> str:
    kept = [part for part in _union(annotation) if not (isinstance(part, ast.Name) and part.id == UNSET_TYPE)]
    return " | ".join(ast.unparse(part) for part in kept)


def _fields(path: Path, class_name: str) -> dict[str, ast.expr]:
    for node in parse_module(path).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                item.target.id: item.annotation
                for item in node.body
                if isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id != "additional_properties"
            }
    raise SuccessTypeError(f"{path}: no class {class_name}")


def _envelope_class(package: Path, operation: Operation) -> str:
    path = package / "api" / tag_package(operation) / f"{endpoint_module(operation)}.py"
    for node in parse_module(path).body:
        if isinstance(node, ast.FunctionDef) and node.name == "sync_detailed":
            returns = node.returns
            if isinstance(returns, ast.Subscript) and isinstance(returns.slice, ast.Name):
                return returns.slice.id
    raise SuccessTypeError(f"{path}: sync_detailed does not return Response[<envelope model>]")


def _data_class(annotation: ast.expr, where: str) -> str:
    names = [p.id for p in _union(annotation) if isinstance(p, ast.Name) and p.id != UNSET_TYPE]
    if len(names) != 1:
        raise SuccessTypeError(f"{where}: data is {ast.unparse(annotation)}, not one model")
    return names[0]


def success_type(package: Path, operation: Operation, models: Mapping[str, Path]) -> SuccessType:
    """Read ``operation``'s envelope and data models from the generated ``package``."""
    envelope_class = _envelope_class(package, operation)
    envelope = _fields(models[envelope_class], envelope_class)
    where = f"{envelope_class} ({operation.operation_id})"
    if "data" not in envelope or "code" not in envelope:
        raise SuccessTypeError(f"{where}: the envelope model has no code or data member")
    data_class = _data_class(envelope["data"], where)
    data = _fields(models[data_class], data_class)
    carries = carried_attributes(operation)
    missing = [name for name in carries if name not in data]
    if missing:
        raise SuccessTypeError(f"{where}: data model {data_class} has no member {', '.join(missing)}")
    name = result_class(operation)
    data_name = f"{name}Data"
    data_annotation = data_name if carries else f"{data_name} | {UNSET_TYPE}"
    # The code of a success is set (it is the success code); the message stays as the model has it.
    envelope_members = (
        *(
            Member(member, _without_unset(annotation) if member == "code" else ast.unparse(annotation))
            for member, annotation in envelope.items()
            if member != "data"
        ),
        Member("data", data_annotation),
    )
    data_members = tuple(
        Member(member, _without_unset(annotation) if member in carries else ast.unparse(annotation))
        for member, annotation in data.items()
    )
    return SuccessType(operation.operation_id, name, data_name, envelope_members, data_members, carries)


def success_types(package: Path, contract: Contract) -> list[SuccessType]:
    """Every operation's success type, in document order."""
    models = model_modules(package)
    return [success_type(package, operation, models) for operation in contract.operations]


def imports(types: Iterable[SuccessType], models: Iterable[str]) -> dict[str, list[str]]:
    """What ``results.py`` imports, by module: each name its annotations use."""
    used: set[str] = set()
    for success in types:
        for member in (*success.envelope, *success.data):
            used.update(
                n.id for n in ast.walk(ast.parse(member.annotation, mode="eval")) if isinstance(n, ast.Name)
            )
        used -= {success.name, success.data_name}
    wanted = import_names(used, models)
    wanted["typing"] = sorted({*wanted["typing"], "Any", "Protocol"})
    return wanted


def import_names(used: Iterable[str], models: Iterable[str]) -> dict[str, list[str]]:
    """Module -> the names of ``used`` it provides (builtins need none): typing, ``.types``, ``.models``."""
    known_models = set(models)
    wanted: dict[str, set[str]] = {"typing": set(), ".types": set(), ".models": set()}
    for name in sorted(set(used) - _BUILTINS):
        if name in _TYPING:
            wanted["typing"].add(name)
        elif name in _TYPES_MODULE:
            wanted[".types"].add(name)
        elif name in known_models:
            wanted[".models"].add(name)
        elif name == "datetime":
            wanted.setdefault("datetime", set())
        else:
            raise SuccessTypeError(f"cannot tell which module the generated name {name} comes from")
    return {module: sorted(names) for module, names in wanted.items()}


def model_names(package: Path) -> list[str]:
    return sorted(model_modules(package))
