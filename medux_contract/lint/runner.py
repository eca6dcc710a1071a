"""`make lint`: openapi-spec-validator, Redocly CLI lint, this project's own spec rules, then every
example type-checked against openapi-typescript's types with tsc --strict."""

from __future__ import annotations

import argparse
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from medux_contract.lint.spec_rules import run_rules
from medux_contract.lint.typescript_examples import check_examples
from medux_contract.spec import REPO_ROOT, SPEC_PATH, SpecError, contract_of, read_spec

TYPESCRIPT_LABEL = "examples typed by openapi-typescript (default settings), checked by tsc --strict"
REDOCLY = REPO_ROOT / "node_modules" / ".bin" / "redocly"


def redocly_lint(spec: Path) -> tuple[bool, str]:
    if not REDOCLY.exists():
        return False, "Redocly CLI is not installed: run `make lint` (it runs `npm ci`) instead."
    result = subprocess.run(
        [str(REDOCLY), "lint", str(spec), "--config", str(REPO_ROOT / "redocly.yaml"), "--format", "stylish"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    # Drop Redocly's Node.js deprecation banner: it is about the machine, not the spec.
    lines = [
        line for line in (result.stdout + result.stderr).splitlines() if not line.strip().startswith("║")
    ]
    text = "\n".join(line for line in lines if line.strip() and not set(line.strip()) <= set("╔╗╚╝═"))
    return result.returncode == 0, text


def typescript_problems(path: Path, spec: dict[str, Any]) -> list[str]:
    try:
        contract = contract_of(spec)
    except SpecError:
        # rule_operations_are_modelled says why: without the model there are no operations to gather.
        return ["the spec model cannot be read (see rule_operations_are_modelled)"]
    try:
        return check_examples(path, contract)
    except subprocess.TimeoutExpired as exc:
        return [f"{Path(str(exc.cmd[0])).name} did not finish within {exc.timeout:.0f} s"]
    except (SpecError, AttributeError, TypeError, KeyError) as exc:
        return [f"could not apply the check to this spec: {exc!r}"]


def report(label: str, problems: list[str]) -> int:
    """Print one check's verdict and its problems; 1 if it failed."""
    print(f"  {'ok  ' if not problems else 'FAIL'}  {label}")
    for problem in problems:
        print(f"        - {problem}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC_PATH)
    parser.add_argument("--no-redocly", action="store_true", help="skip the npm-based Redocly lint")
    parser.add_argument(
        "--no-typescript",
        action="store_true",
        help="skip the npm-based example check (openapi-typescript types, tsc --strict)",
    )
    args = parser.parse_args(argv)
    failures = 0
    # The example check spends its time in two node processes: start it now, beside Redocly's.
    background = ThreadPoolExecutor(max_workers=1)

    print(f"lint: {args.spec}")
    try:
        spec = read_spec(args.spec)
    except SpecError as exc:
        print(f"  FAIL  parse: {exc}")
        return 1
    typescript = None if args.no_typescript else background.submit(typescript_problems, args.spec, spec)
    background.shutdown(wait=False)

    try:
        validate(spec)
        print("  ok    openapi-spec-validator (OpenAPI 3.1 structure)")
    except OpenAPIValidationError as exc:
        failures += 1
        where = "/".join(str(part) for part in exc.absolute_path) or "(root)"
        print(f"  FAIL  openapi-spec-validator at {where}: {exc.message}")

    if not args.no_redocly:
        ok, output = redocly_lint(args.spec)
        print(f"  {'ok  ' if ok else 'FAIL'}  redocly lint (redocly.yaml, recommended-strict)")
        if not ok:
            failures += 1
            print("\n".join(f"        {line}" for line in output.splitlines()))

    for rule, problems in run_rules(spec).items():
        failures += report(rule, problems)

    if typescript is not None:
        failures += report(TYPESCRIPT_LABEL, typescript.result())

    print(f"lint: {'passed' if not failures else f'{failures} check(s) failed'}")
    return 1 if failures else 0
