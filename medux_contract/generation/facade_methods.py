"""The resource-style client (``Medux`` / ``AsyncMedux``): one resource per tag, one method per operation.

``client.clone.create_avatar_by_image(file_id=..., title=...)`` is generated, never written per
operation: the resource is the operation's first tag (``clone``), the method its endpoint module
(``operationId`` in snake case), and the keyword arguments are the module function's own parameters
with a JSON body's model fields spread out, each with the generator's type and default (read with
``ast`` from the modules it just wrote). Each method calls the module function (the lower layer), so
retries, typed errors and typed results stay in one place.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from openapi_python_client.strings import pascal_case

from medux_contract.generation.paged_operations import endpoint_module, result_class, tag_package
from medux_contract.generation.success_types import (
    SuccessTypeError,
    import_names,
    model_modules,
    parse_module,
)
from medux_contract.spec import Contract, Operation

# What every method takes besides the operation's own inputs; no parameter or body field may take these.
CALL_OPTIONS = ("timeout", "max_retries")
EXTRA_BODY = "extra_body"
RESERVED = frozenset({*CALL_OPTIONS, EXTRA_BODY, "self", "client", "body"})
LOWER_LAYER_ONLY = frozenset({"client", *CALL_OPTIONS})


@dataclass(frozen=True)
class Argument:
    name: str
    annotation: str
    default: str | None  # source of the default; None when the argument is required

    @property
    def declaration(self) -> str:
        return f"{self.name}: {self.annotation}" + ("" if self.default is None else f" = {self.default}")


@dataclass(frozen=True)
class Method:
    operation_id: str
    name: str
    module: str
    summary: str
    result: str
    arguments: tuple[Argument, ...]  # required first, as a signature needs them
    body_model: str | None  # the model built from the spread-out fields; None: no JSON body
    body_fields: tuple[str, ...]
    open_body: bool  # the body model keeps additional_properties: the method takes extra_body too
    passed: tuple[str, ...]  # the module function's own keyword arguments (besides client/body)


@dataclass(frozen=True)
class Resource:
    attribute: str
    class_name: str
    tag: str
    methods: tuple[Method, ...]


def _sync_signature(path: Path) -> ast.arguments:
    for node in parse_module(path).body:
        if isinstance(node, ast.FunctionDef) and node.name == "sync":
            return node.args
    raise SuccessTypeError(f"{path}: no sync function to build a method on")


def _keyword_arguments(signature: ast.arguments) -> list[Argument]:
    arguments = []
    for arg, default in zip(signature.kwonlyargs, signature.kw_defaults, strict=True):
        if arg.annotation is None:
            raise SuccessTypeError(f"argument {arg.arg} has no annotation")
        arguments.append(
            Argument(arg.arg, ast.unparse(arg.annotation), None if default is None else ast.unparse(default))
        )
    return arguments


def _model_fields(path: Path, class_name: str) -> tuple[list[Argument], bool]:
    for node in parse_module(path).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            fields, open_body = [], False
            for item in node.body:
                if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
                    continue
                if item.target.id == "additional_properties":
                    open_body = True
                    continue
                default = None if item.value is None else ast.unparse(item.value)
                fields.append(Argument(item.target.id, ast.unparse(item.annotation), default))
            return fields, open_body
    raise SuccessTypeError(f"{path}: no class {class_name}")


def method(package: Path, operation: Operation, models: Mapping[str, Path]) -> Method:
    """How ``client.<tag>.<operation>(...)`` calls ``operation``'s module function."""
    module = endpoint_module(operation)
    path = package / "api" / tag_package(operation) / f"{module}.py"
    own = [a for a in _keyword_arguments(_sync_signature(path)) if a.name not in LOWER_LAYER_ONLY]
    body = next((a for a in own if a.name == "body"), None)
    passed = tuple(a.name for a in own if a.name != "body")
    arguments = [a for a in own if a.name != "body"]
    body_model: str | None = None
    body_fields: tuple[str, ...] = ()
    open_body = False
    if body is not None:
        if body.annotation in models:  # one JSON model: spread its fields out as keyword arguments
            fields, open_body = _model_fields(models[body.annotation], body.annotation)
            body_model, body_fields = body.annotation, tuple(f.name for f in fields)
            arguments = fields + arguments
        else:  # any other body (several content types, a file): passed as the module takes it
            arguments.append(body)
            passed = (*passed, "body")
    clash = sorted({a.name for a in arguments} & (RESERVED - {"body"} if body_model is None else RESERVED))
    names = [a.name for a in arguments]
    if clash or len(names) != len(set(names)):
        raise SuccessTypeError(
            f"{operation.operation_id}: argument names {clash or names} clash with the call options "
            f"{sorted(RESERVED)} or with each other"
        )
    ordered = tuple(a for a in arguments if a.default is None) + tuple(
        a for a in arguments if a.default is not None
    )
    return Method(
        operation_id=operation.operation_id,
        name=module,
        module=module,
        summary=operation.summary or operation.operation_id,
        result=result_class(operation),
        arguments=ordered,
        body_model=body_model,
        body_fields=body_fields,
        open_body=open_body,
        passed=passed,
    )


def resources(package: Path, contract: Contract) -> list[Resource]:
    """One resource per tag package, its methods in document order."""
    models = model_modules(package)
    by_tag: dict[str, list[Method]] = {}
    for operation in contract.operations:
        by_tag.setdefault(tag_package(operation), []).append(method(package, operation, models))
    return [
        Resource(attribute=tag, class_name=pascal_case(tag), tag=tag, methods=tuple(methods))
        for tag, methods in by_tag.items()
    ]


def facade_imports(found: Iterable[Resource], models: Iterable[str]) -> dict[str, list[str]]:
    """The names the methods' annotations and defaults use, by the module they come from."""
    sources = [
        text
        for resource in found
        for m in resource.methods
        for a in m.arguments
        for text in (a.annotation, a.default or "None")
    ]
    used = {n.id for s in sources for n in ast.walk(ast.parse(s, mode="eval")) if isinstance(n, ast.Name)}
    used |= {m.body_model for resource in found for m in resource.methods if m.body_model is not None}
    wanted = import_names(used, models)
    wanted[".types"] = sorted({*wanted.get(".types", []), "UNSET", "Unset"})
    return wanted
