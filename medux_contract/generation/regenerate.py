"""`make generate`: regenerate generated/ from openapi.yaml, the generator config and templates/."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from medux_contract.generation.client_generation import GENERATED, GenerationError, render_client
from medux_contract.generation.readme_errors_table import ReadmeError, refresh


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="medux-generate-") as scratch:
        fresh = Path(scratch) / "generated"
        try:
            render_client(fresh)
        except GenerationError as exc:
            print(f"generate: {exc}", file=sys.stderr)
            print("generate: generated/ was left as it was.", file=sys.stderr)
            return 1
        # Replace the whole tree so files the spec no longer produces do not linger.
        if GENERATED.exists():
            shutil.rmtree(GENERATED)
        shutil.copytree(fresh, GENERATED)
    count = sum(1 for p in GENERATED.rglob("*") if p.is_file())
    print(f"generate: wrote {count} files to {GENERATED.relative_to(GENERATED.parent)}/")
    try:
        if refresh():
            print("generate: refreshed the errors table in README.md")
    except ReadmeError as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 1
    return 0
