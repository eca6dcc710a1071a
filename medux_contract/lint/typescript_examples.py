"""Every example of the spec, type-checked against the TypeScript types a third-party generator makes.

openapi-typescript (pinned, default settings) turns the spec into TypeScript types; one generated
file then declares each example of every operation (request bodies, parameters, responses) as a
constant of the type the generator gave that place, and ``tsc --strict`` (pinned) checks the file
once. An example the generated types reject is reported at its JSON pointer: the spec would not
read the same in TypeScript as it does here.

The examples are gathered from the spec model, operation by operation: a new operation is checked
with no change here.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medux_contract.spec import REPO_ROOT, Contract, Operation, Parameter, SpecError
from medux_contract.spec.refs import pointer, resolve

NODE_BIN = REPO_ROOT / "node_modules" / ".bin"
OPENAPI_TYPESCRIPT = NODE_BIN / "openapi-typescript"
TSC = NODE_BIN / "tsc"
CHECKED_FILE = "spec_examples.ts"
# --strict is the point; the rest only make tsc fast (no DOM lib, no .d.ts checks) and quiet.
TSC_OPTIONS = (
    "--strict",
    "--noEmit",
    "--skipLibCheck",
    "--target",
    "es2022",
    "--lib",
    "es2022",
    "--module",
    "esnext",
    "--pretty",
    "false",
)
TOOL_TIMEOUT_S = 120
NOT_INSTALLED = "{tool} is not installed: run `make lint` (it runs `npm ci`) instead."

# openapi-typescript's default `defaultNonNullable: true` types a property that has a `default` as
# always present. That is true of what a server sends (it fills the default in), not of what a
# caller must send: in OpenAPI only `required` makes a property required, and `default` is what the
# server assumes when it is absent. openapi-typescript itself exempts request bodies written in
# place, but not a request schema reached through `$ref` (one type serves every use of a component),
# so a request example is checked against the generated type with those properties made optional:
# the input a caller may send. Responses are checked against the generated types as they are.
AS_INPUT = (
    "type AsInput<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] } & "
    "{ [P in keyof T as P extends K ? P : never]?: T[P] };"
)
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<column>\d+)\): error (?P<code>TS\d+): (?P<text>.*)$"
)


@dataclass(frozen=True)
class TypedExample:
    """One example of the spec and the TypeScript type (over openapi-typescript's output) it must have."""

    pointer: str
    type_expression: str
    value: Any


# Gathering the examples -------------------------------------------------------------------------


def _ts_key(key: str) -> str:
    return json.dumps(key)


def _operation_type(operation: Operation) -> str:
    return f"operations[{_ts_key(operation.operation_id)}]"


def _media_examples(document: dict[str, Any], media: Any, at: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of the ``example`` and each named ``examples`` entry of a media type object."""
    if not isinstance(media, Mapping):
        return
    if "example" in media:
        yield pointer(at, "example"), media["example"]
    examples = media.get("examples")
    for name, node in (examples if isinstance(examples, Mapping) else {}).items():
        example, _ = resolve(document, node, pointer(at, "examples", name), "example")
        if isinstance(example, Mapping) and "value" in example:
            yield pointer(at, "examples", name), example["value"]


def _content_examples(
    document: dict[str, Any], node: Any, at: str, label: str
) -> Iterator[tuple[str, str, Any]]:
    """(media type, pointer, value) of every example under a request body's or response's content."""
    target, where = resolve(document, node, at, label)
    content = target.get("content") if isinstance(target, Mapping) else None
    for media_type, media in (content if isinstance(content, Mapping) else {}).items():
        for example_at, value in _media_examples(document, media, pointer(where, "content", media_type)):
            yield media_type, example_at, value


def defaulted_optional_properties(contract: Contract, operation: Operation) -> tuple[str, ...]:
    """The request body's properties that have a ``default`` and are not required (top level)."""
    if operation.request_schema is None:
        return ()
    schema = contract.resolve_schema(operation.request_schema, f"{operation.operation_id} request body")
    required = schema.get("required")
    required = required if isinstance(required, list) else []
    return tuple(
        name
        for name, node in contract.schema_properties(schema).items()
        if name not in required and "default" in contract.resolve_schema(node, f"property {name}")
    )


def _request_examples(contract: Contract, operation: Operation) -> Iterator[TypedExample]:
    raw = operation.raw.get("requestBody")
    if raw is None:
        return
    document = dict(contract.document)
    body = f'NonNullable<{_operation_type(operation)}["requestBody"]>'
    defaulted = " | ".join(_ts_key(name) for name in defaulted_optional_properties(contract, operation))
    at = pointer(operation.pointer, "requestBody")
    for media_type, example_at, value in _content_examples(document, raw, at, "request body"):
        generated = f'{body}["content"][{_ts_key(media_type)}]'
        yield TypedExample(example_at, f"AsInput<{generated}, {defaulted or 'never'}>", value)


def _parameter_examples(operation: Operation) -> Iterator[TypedExample]:
    """Each parameter's example alone, and the required ones of each location together."""
    locations: dict[str, list[Parameter]] = {}
    for parameter in operation.parameters:
        locations.setdefault(parameter.location, []).append(parameter)
    for location, parameters in locations.items():
        group = f'NonNullable<{_operation_type(operation)}["parameters"][{_ts_key(location)}]>'
        for parameter in parameters:
            if parameter.example is not None:
                yield TypedExample(
                    parameter.pointer, f"{group}[{_ts_key(parameter.name)}]", parameter.example
                )
        # The smallest valid set of parameters: only the required ones (an optional parameter the
        # generated type insisted on would be caught here, as `model_id` was in the request body).
        minimal = {p.name: p.example for p in parameters if p.required and p.example is not None}
        yield TypedExample(
            pointer(operation.pointer, "parameters") + f" (required {location} parameters)", group, minimal
        )


def _response_examples(contract: Contract, operation: Operation) -> Iterator[TypedExample]:
    document = dict(contract.document)
    responses = operation.raw.get("responses")
    for status, node in (responses if isinstance(responses, Mapping) else {}).items():
        at = pointer(operation.pointer, "responses", str(status))
        for media_type, example_at, value in _content_examples(document, node, at, "response"):
            content = f'{_operation_type(operation)}["responses"][{_ts_key(str(status))}]["content"]'
            yield TypedExample(example_at, f"{content}[{_ts_key(media_type)}]", value)


def typed_examples(contract: Contract) -> list[TypedExample]:
    """Every request, parameter and response example of every operation, with the type it must have."""
    found: list[TypedExample] = []
    for operation in contract.operations:
        found += _request_examples(contract, operation)
        found += _parameter_examples(operation)
        found += _response_examples(contract, operation)
    return found


def examples_module(examples: list[TypedExample]) -> tuple[list[str], dict[int, str]]:
    """The TypeScript lines declaring each example, and which line (0-based) holds which example.

    Each example sits on one line, so a diagnostic's line names the example it is about.
    """
    lines = ["", "// The spec's examples, each as a constant of its generated type (make lint).", AS_INPUT]
    where: dict[int, str] = {}
    for index, example in enumerate(examples):
        where[len(lines)] = example.pointer
        value = json.dumps(example.value, ensure_ascii=False)
        lines.append(f"const example_{index}: {example.type_expression} = {value};")
    return lines, where


# Running the tools ------------------------------------------------------------------------------


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=cwd, timeout=TOOL_TIMEOUT_S
    )


def _tool_error(output: str) -> str:
    """The error line of a Node tool's crash output, without the stack trace Node prints after it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")]
    return errors[0] if errors else (lines[-1] if lines else "it exited with no output")


def _diagnostics(output: str) -> Iterator[tuple[int, str]]:
    """(1-based line, most specific message) of each tsc error in ``--pretty false`` output."""
    found: list[tuple[int, str, str]] = []  # line, error code, message
    for row in output.splitlines():
        match = DIAGNOSTIC.match(row)
        if match:
            found.append((int(match["line"]), match["code"], match["text"]))
        elif row.startswith(" ") and found:
            # tsc explains an error from the general to the particular: keep the particular.
            line, code, _ = found[-1]
            found[-1] = (line, code, row.strip())
    for line, code, text in found:
        yield line, f"{text} ({code})"


def check_examples(spec_path: Path, contract: Contract) -> list[str]:
    """Problems (each at a JSON pointer) of the spec's examples under openapi-typescript + tsc --strict."""
    try:
        examples = typed_examples(contract)
    except SpecError as exc:
        return [f"the examples cannot be gathered: {exc}"]
    return type_check(spec_path, examples)


def type_check(spec_path: Path, examples: list[TypedExample]) -> list[str]:
    """Generate the spec's types, declare ``examples`` against them, and report what tsc rejects."""
    for tool in (OPENAPI_TYPESCRIPT, TSC):
        if not tool.exists():
            return [NOT_INSTALLED.format(tool=tool.name)]
    with tempfile.TemporaryDirectory(prefix="medux-ts-") as work:
        directory = Path(work)
        generated = directory / "api.ts"
        command = [str(OPENAPI_TYPESCRIPT), str(spec_path.resolve()), "--output", str(generated)]
        result = _run(command, directory)
        if result.returncode != 0 or not generated.exists():
            return [f"openapi-typescript cannot read the spec: {_tool_error(result.stdout + result.stderr)}"]
        api_lines = generated.read_text(encoding="utf-8").splitlines()
        module, where = examples_module(examples)
        (directory / CHECKED_FILE).write_text("\n".join([*api_lines, *module]) + "\n", encoding="utf-8")
        result = _run([str(TSC), *TSC_OPTIONS, CHECKED_FILE], directory)
    if result.returncode == 0:
        return []
    problems = []
    for line, text in _diagnostics(result.stdout + result.stderr):
        at = where.get(line - 1 - len(api_lines))
        if at is not None:
            problems.append(f"{at}: {text}")
        elif line <= len(api_lines):
            problems.append(f"openapi-typescript's own output does not compile (line {line}): {text}")
        else:
            problems.append(f"{CHECKED_FILE} line {line}: {text}")
    return problems or [f"tsc failed: {(result.stdout + result.stderr).strip()[-500:]}"]
