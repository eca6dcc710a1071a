"""`make check-generated`: fail when generated/ is not exactly what the current inputs produce."""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

from medux_contract.generation.client_generation import (
    GENERATED,
    SCRATCH,
    SPEC,
    GenerationError,
    render_client,
)

MAX_DIFF_LINES = 200
SCRATCH_PARTS = frozenset(SCRATCH)


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    # Caches left by running or type-checking the client are not output; anything else counts.
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and not SCRATCH_PARTS.intersection(p.relative_to(root).parts)
    }


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return [f"<binary file, {path.stat().st_size} bytes>\n"]


def tree_diff(committed: Path, fresh: Path) -> list[str]:
    """Unified diff lines that turn ``committed`` into ``fresh``; empty when they are identical."""
    old, new = _files(committed), _files(fresh)
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        if name in old and name in new and old[name].read_bytes() == new[name].read_bytes():
            continue
        before = _read_lines(old[name]) if name in old else []
        after = _read_lines(new[name]) if name in new else []
        label_old = f"generated/{name}" if name in old else "/dev/null"
        label_new = f"regenerated/{name}" if name in new else "/dev/null"
        lines.extend(difflib.unified_diff(before, after, label_old, label_new))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=Path, default=GENERATED, help="tree to check")
    parser.add_argument("--spec", type=Path, default=SPEC, help="spec to regenerate from")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="medux-drift-") as scratch:
        fresh = Path(scratch) / "generated"
        try:
            render_client(fresh, args.spec)
        except GenerationError as exc:
            print(f"check-generated: {exc}", file=sys.stderr)
            return 1
        diff = tree_diff(args.generated, fresh)
    if not diff:
        print("check-generated: generated/ matches openapi.yaml, the generator config and templates/.")
        return 0
    print("check-generated: generated/ is out of date or was edited by hand:", file=sys.stderr)
    shown = diff[:MAX_DIFF_LINES]
    sys.stderr.writelines(line if line.endswith("\n") else line + "\n" for line in shown)
    if len(diff) > MAX_DIFF_LINES:
        print(f"... {len(diff) - MAX_DIFF_LINES} more diff lines", file=sys.stderr)
    print("Fix: run `make generate` and commit generated/ (never edit it by hand).", file=sys.stderr)
    return 1
