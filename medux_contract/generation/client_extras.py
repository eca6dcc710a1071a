"""Modules of the client that openapi-python-client cannot produce, rendered from the spec model.

The generator's templates never see the spec's extensions (``x-medux-codes``, ``x-medux-outcomes``), so
the modules that need them are added here to the freshly generated client:

- rendered from ``client_templates/*.jinja``: ``exceptions.py`` (``MeduxError``, one class per code of
  the table, one base per group, ``TransientError`` for codes whose ``retry`` is ``always``,
  ``UnknownCodeError``, ``MalformedResponseError``, and the raise-or-return helper),
  ``operations.py`` (each operation's ``OperationRules``: the codes it answers, those it retries,
  those that may bill, its idempotency) and ``pagination.py`` (iterators for every paged operation);
- copied verbatim from ``client_runtime/`` (plain Python that needs no spec data, checked by ruff and
  mypy here): ``decoding.py``, ``retries.py``, ``rules.py``, ``paging.py``;
- ``ERRORS.md``: the code -> exception table with what each operation does with each code.

This hook only adds files: it refuses to overwrite what the generator wrote (``templates/`` is the
place to change those). ``python -m medux_contract.generation.client_extras --errors-table``
prints the Markdown table.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from medux_contract.generation.facade_methods import EXTRA_BODY, facade_imports, resources
from medux_contract.generation.paged_operations import PagingError, endpoint_module, paged_operations
from medux_contract.generation.success_types import (
    SuccessTypeError,
    carried_attributes,
    imports,
    model_names,
    success_types,
)
from medux_contract.spec import SPEC_PATH, Code, Contract, Operation, Retry, SpecError, contract_of, read_spec

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "client_templates"
RUNTIME = HERE / "client_runtime"
# (template, path relative to the package); ERRORS.md goes to the project root.
PACKAGE_MODULES = (
    ("exceptions.py.jinja", "exceptions.py"),
    ("operations.py.jinja", "operations.py"),
    ("pagination.py.jinja", "pagination.py"),
)
RUNTIME_MODULES = (
    "decoding.py",
    "retries.py",
    "rules.py",
    "paging.py",
    "raw_response.py",
    "configuration.py",
    "urls.py",
)
RETRY_WORDS = {
    Retry.ALWAYS.value: "always (refused before any work)",
    Retry.IF_IDEMPOTENT.value: "only an idempotent operation (the outcome is unknown)",
    Retry.NEVER.value: "no (a repeat gets the same answer, or could bill twice)",
}
ERRORS_DOC = "ERRORS.md"
# Classes exceptions.py defines whatever the table says; no code or group may take these names.
FIXED_CLASSES = frozenset(
    {
        "MeduxError",
        "TransientError",
        "UnknownCodeError",
        "MalformedResponseError",
        "MeduxConnectionError",
        "MeduxTimeoutError",
    }
)
_GROUP_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


class ExtrasError(RuntimeError):
    """The code table cannot be turned into error classes; the message says which row and why."""


@dataclass(frozen=True)
class ErrorGroup:
    name: str
    class_name: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class ErrorClass:
    entry: Code
    exception: str
    bases: tuple[str, ...]


GROUP_SUFFIX = "Failure"


def group_class_name(group: str) -> str:
    """``provider`` -> ``ProviderFailure``: the family base, named apart from every per-code ``...Error``.

    A base that differed from a member by one letter (``ProviderErrors`` / ``ProviderError``) let a
    natural ``except ProviderError`` miss the family's other codes (1405): ``except ProviderFailure``
    catches every code of the group.
    """
    return "".join(part.capitalize() for part in group.split("_")) + GROUP_SUFFIX


def _one_edit_apart(left: str, right: str) -> bool:
    """Whether ``right`` is ``left`` with one letter added, dropped or changed (case ignored)."""
    a, b = sorted((left.lower(), right.lower()), key=len)
    if len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def _confusable(names: Sequence[str]) -> tuple[str, str] | None:
    for index, name in enumerate(names):
        for other in names[index + 1 :]:
            if _one_edit_apart(name, other):
                return name, other
    return None


@dataclass(frozen=True)
class OperationView:
    """One operation as ``operations.py`` states it."""

    operation_id: str
    module: str
    method: str
    idempotent: bool
    can_bill: bool
    codes: tuple[int, ...]
    retry_codes: tuple[int, ...]
    billable_codes: tuple[int, ...]
    carries: tuple[str, ...]

    @classmethod
    def of(cls, operation: Operation) -> OperationView:
        outcomes = operation.outcomes
        return cls(
            operation_id=operation.operation_id,
            module=endpoint_module(operation),
            method=operation.method.upper(),
            idempotent=operation.idempotent,
            can_bill=operation.can_bill,
            codes=tuple(o.value for o in outcomes),
            retry_codes=tuple(o.value for o in outcomes if o.retry_safe and not o.is_success),
            billable_codes=tuple(o.value for o in outcomes if o.billable),
            carries=carried_attributes(operation),
        )


def error_model(table: Iterable[Code]) -> tuple[list[ErrorGroup], list[ErrorClass]]:
    """The group bases and per-code classes for ``table``, checked for names Python or we cannot use."""
    failures = [entry for entry in table if not entry.is_success]
    group_names: dict[str, list[int]] = {}
    for entry in failures:
        if not _GROUP_NAME.fullmatch(entry.group):
            raise ExtrasError(f"code {entry.code}: group {entry.group!r} is not lower_snake_case")
        group_names.setdefault(entry.group, []).append(entry.code)
    groups = [ErrorGroup(name, group_class_name(name), tuple(codes)) for name, codes in group_names.items()]
    taken = {group.class_name: f"the base of group {group.name!r}" for group in groups}
    taken.update({name: "a fixed class of exceptions.py" for name in FIXED_CLASSES})
    classes = []
    for entry in failures:
        if entry.exception is None or not entry.exception.isidentifier():
            raise ExtrasError(f"code {entry.code}: exception {entry.exception!r} is not a class name")
        if entry.exception in taken:
            raise ExtrasError(
                f"code {entry.code}: exception {entry.exception} clashes with {taken[entry.exception]}"
            )
        taken[entry.exception] = f"the class of code {entry.code}"
        # Only `always`: a caller who catches TransientError may repeat any request, so no code whose
        # repetition could create (and bill) something twice may carry the marker.
        bases = (
            (group_class_name(entry.group), "TransientError")
            if entry.retry is Retry.ALWAYS
            else (group_class_name(entry.group),)
        )
        classes.append(ErrorClass(entry, entry.exception, bases))
    clash = _confusable([*taken])
    if clash is not None:
        raise ExtrasError(
            f"exception names {clash[0]} and {clash[1]} differ by one letter: "
            "a caller would catch one for the other"
        )
    return groups, classes


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["py"] = repr
    env.filters["doc"] = _docstring_safe
    env.filters["frozenset"] = _frozenset_literal
    return env


def _frozenset_literal(values: Sequence[int]) -> str:
    return f"frozenset({{{', '.join(str(v) for v in values)}}})" if values else "frozenset()"


def render_modules(contract: Contract) -> dict[str, str]:
    """Path (relative to the package, or ERRORS.md) -> text of every file this hook adds."""
    table = contract.codes
    groups, classes = error_model(table)
    paged = paged_operations(contract)
    context = {
        "groups": groups,
        "errors": classes,
        "success_codes": sorted(entry.code for entry in table if entry.is_success),
        "retry_words": RETRY_WORDS,
        "operations": [OperationView.of(op) for op in contract.operations],
        "paged_operations": paged,
        "model_imports": sorted({p.item_class for p in paged}),
        "result_imports": sorted({p.result_class for p in paged}),
    }
    env = _environment()
    files = {target: env.get_template(source).render(context) for source, target in PACKAGE_MODULES}
    files.update({name: (RUNTIME / name).read_text(encoding="utf-8") for name in RUNTIME_MODULES})
    files[ERRORS_DOC] = errors_table(contract) + "\n"
    return files


def errors_table(contract: Contract) -> str:
    """Markdown table code -> exception, with what each operation does with the code."""
    operations = contract.operations
    head = "| Code | Message | Exception | Family base |"
    rule = "|---:|---|---|---|"
    for op in operations:
        head += f" Retried by `{op.operation_id}` | May cost credits (`{op.operation_id}`) |"
        rule += "---|---|"
    rows = [head, rule]
    for entry in contract.codes:
        exception = (
            "(none: the call returns)"
            if entry.is_success
            else f"`{entry.exception}` | `{group_class_name(entry.group)}`"
        )
        if entry.is_success:
            exception += " |"
        cells = []
        for op in operations:
            if not op.answers(entry.code):
                cells.append("(not an answer: `UnknownCodeError`) | unknown")
                continue
            outcome = op.outcome(entry.code)
            retried = "" if entry.is_success else ("yes" if outcome.retry_safe else "no")
            cells.append(f"{retried} | {'yes' if outcome.billable else 'no'}")
        rows.append(f"| {entry.code} | {entry.message} | {exception} | {' | '.join(cells)} |")
    unknown = " | ".join("no | unknown" for _ in operations)
    rows.append(f"| any other | (as sent) | `UnknownCodeError` | | {unknown} |")
    rows.append(f"| (not a JSON envelope) | | `MalformedResponseError` | | {unknown} |")
    return "\n".join(rows)


RESULTS_TEMPLATE = ("results.py.jinja", "results.py")
FACADE_TEMPLATE = ("facade.py.jinja", "facade.py")
# (class prefix, class suffix, module function, return type, awaited, what it returns): the four
# flavours of every resource, the typed call and the raw response, sync and async.
FACADE_VARIANTS = (
    ("", "", "sync", "{}", False, "the typed success, or the typed error raised"),
    (
        "",
        "WithRawResponse",
        "sync_raw",
        "RawResponse[{}]",
        False,
        "the HTTP response; ``parse()`` returns or raises",
    ),
    ("Async", "", "asyncio", "{}", True, "the typed success, or the typed error raised"),
    (
        "Async",
        "WithRawResponse",
        "asyncio_raw",
        "RawResponse[{}]",
        True,
        "the HTTP response; ``parse()`` returns or raises",
    ),
)


def render_results(contract: Contract, package: Path) -> str:
    """``results.py``: each operation's success protocols, read from the models in ``package``."""
    results = success_types(package, contract)
    template = _environment().get_template(RESULTS_TEMPLATE[0])
    return template.render(results=results, imports=imports(results, model_names(package)))


def render_facade(contract: Contract, package: Path) -> str:
    """``facade.py``: ``Medux`` / ``AsyncMedux``, with a method per operation of ``contract``."""
    found = resources(package, contract)
    imports = facade_imports(found, model_names(package))
    variants = [
        {
            "prefix": prefix,
            "suffix": suffix,
            "function": function,
            "returns": returns,
            "awaited": awaited,
            "doc": doc,
            "what": (" (async)" if awaited else "") + (", answering with raw responses" if suffix else ""),
        }
        for prefix, suffix, function, returns, awaited, doc in FACADE_VARIANTS
    ]
    modules_by_tag: dict[str, list[str]] = {}
    for resource in found:
        modules_by_tag[resource.tag] = sorted(m.module for m in resource.methods)
    servers = contract.servers
    if not servers:
        raise ExtrasError("the spec names no server: Medux needs a default base URL")
    return (
        _environment()
        .get_template(FACADE_TEMPLATE[0])
        .render(
            resources=found,
            variants=variants,
            clients=[
                {"name": "Medux", "prefix": "", "awaited": False, "what": ""},
                {"name": "AsyncMedux", "prefix": "Async", "awaited": True, "what": ", for asyncio"},
            ],
            tags=sorted(modules_by_tag),
            modules_by_tag=modules_by_tag,
            imports=imports,
            typing_names=sorted({"Any", "Self", *imports.get("typing", [])}),
            result_names=sorted({m.result for r in found for m in r.methods}),
            default_base_url=servers[0].url.rstrip("/"),
            extra_body=EXTRA_BODY,
        )
    )


def _package_dir(client_root: Path) -> Path:
    packages = sorted(path.parent for path in client_root.glob("*/client.py"))
    if len(packages) != 1:
        raise ExtrasError(
            f"expected one generated package with a client.py under {client_root}, got {packages}"
        )
    return packages[0]


def _generation_error(message: str) -> Exception:
    # Imported here: client_generation imports this module, so a top-level import would be circular.
    from medux_contract.generation.client_generation import GenerationError  # noqa: PLC0415

    return GenerationError(message)


def _ruff(client_root: Path, paths: list[Path]) -> None:
    # The generator's ruff post-hooks ran before this hook: give the added modules the same treatment
    # (with the generated project's own ruff settings, hence cwd) so that the tree is uniformly formatted.
    ruff = str(Path(sys.executable).parent / "ruff")
    names = [str(path.relative_to(client_root)) for path in paths]
    for command in ([ruff, "check", "--fix-only", "--quiet", *names], [ruff, "format", "--quiet", *names]):
        result = subprocess.run(command, cwd=client_root, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise _generation_error(
                f"client_extras: {' '.join(command[1:3])} failed:\n{result.stdout}{result.stderr}"
            )


def render_extras(client_root: Path, spec: Path) -> None:
    """Add the spec-derived modules to a freshly generated client at ``client_root``."""
    try:
        contract = contract_of(read_spec(spec))
        files = render_modules(contract)
        package = _package_dir(client_root)
        files[RESULTS_TEMPLATE[1]] = render_results(contract, package)
        files[FACADE_TEMPLATE[1]] = render_facade(contract, package)
    except (SpecError, ExtrasError, PagingError, SuccessTypeError) as exc:
        raise _generation_error(f"client_extras: {exc}") from None
    written = []
    for relative, text in files.items():
        target = client_root / relative if relative == ERRORS_DOC else package / relative
        if target.exists():
            raise _generation_error(
                f"client_extras: {target.name} was written by the generator; change templates/"
            )
        target.write_text(text, encoding="utf-8")
        if target.suffix == ".py":
            written.append(target)
    _ruff(client_root, written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the client's errors table, generated from the spec.")
    parser.add_argument("--errors-table", action="store_true", required=True, help="print the Markdown table")
    parser.add_argument("--spec", type=Path, default=SPEC_PATH)
    args = parser.parse_args(argv)
    try:
        contract = contract_of(read_spec(args.spec))
        error_model(contract.codes)
    except (SpecError, ExtrasError) as exc:
        print(f"client_extras: {exc}", file=sys.stderr)
        return 1
    try:
        print(errors_table(contract))
    except BrokenPipeError:  # `| head` closed the pipe: not an error of ours
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
