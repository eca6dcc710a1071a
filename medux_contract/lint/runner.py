"""`make lint`: openapi-spec-validator, Redocly CLI lint, then this project's own spec rules."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from medux_contract.lint.spec_rules import run_rules
from medux_contract.spec import REPO_ROOT, SPEC_PATH, SpecError, read_spec

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC_PATH)
    parser.add_argument("--no-redocly", action="store_true", help="skip the npm-based Redocly lint")
    args = parser.parse_args(argv)
    failures = 0

    print(f"lint: {args.spec}")
    try:
        spec = read_spec(args.spec)
    except SpecError as exc:
        print(f"  FAIL  parse: {exc}")
        return 1

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
        print(f"  {'ok  ' if not problems else 'FAIL'}  {rule}")
        for problem in problems:
            print(f"        - {problem}")
        failures += bool(problems)

    print(f"lint: {'passed' if not failures else f'{failures} check(s) failed'}")
    return 1 if failures else 0
