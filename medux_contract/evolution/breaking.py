"""`make breaking BASE=<ref>`: list every change to openapi.yaml since BASE and gate the version bump.

Compares the working tree's openapi.yaml with the one committed at BASE (default HEAD~1), or two
files (--old/--new). Each change is one line: BREAKING / NOTICE / ok, its JSON pointer, what changed
and why it is classed so. Exit status: 0 when the bump of info.version fits the changes (or there
is nothing to compare: BASE does not exist or has no openapi.yaml), 1 when it does not, 2 when a
spec cannot be read or compared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from medux_contract.evolution.diff_rules import Change, Severity
from medux_contract.evolution.spec_diff import diff_specs
from medux_contract.evolution.spec_sources import SPEC_NAME, NothingToCompare, SpecSource, from_file, from_git
from medux_contract.evolution.version_gate import Verdict, judge, spec_version
from medux_contract.spec import REPO_ROOT, SpecError

LABELS = {Severity.BREAKING: "BREAKING", Severity.NOTICE: "NOTICE", Severity.NON_BREAKING: "ok"}


def parse_args(argv: list[str] | None, description: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    base = parser.add_mutually_exclusive_group()
    base.add_argument(
        "--base", default="HEAD~1", help="git ref holding the old openapi.yaml (default HEAD~1)"
    )
    base.add_argument("--old", type=Path, help="old spec file (instead of --base)")
    parser.add_argument("--new", type=Path, help="new spec file (default: openapi.yaml in --repo)")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="git work tree (default: this project)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser.parse_args(argv)


def read_sources(args: argparse.Namespace) -> tuple[SpecSource, SpecSource]:
    """The old and the new spec; raises NothingToCompare or SpecError."""
    new = from_file(args.new) if args.new else from_file(args.repo / SPEC_NAME, f"{SPEC_NAME} (working tree)")
    old = from_file(args.old) if args.old else from_git(args.repo, args.base)
    return old, new


def render_text(old: SpecSource, new: SpecSource, changes: list[Change], verdict: Verdict) -> str:
    lines = [f"breaking: {old.label} -> {new.label}"]
    width = max((len(c.pointer) for c in changes), default=0)
    for c in changes:
        lines.append(
            f"  {LABELS[c.severity]:<8}  {c.pointer:<{width}}  {c.detail} ({c.rule.reason}) [{c.rule.id}]"
        )
    counts = {severity: sum(c.severity is severity for c in changes) for severity in Severity}
    lines.append(
        f"breaking: {len(changes)} change(s): {counts[Severity.BREAKING]} breaking, "
        f"{counts[Severity.NOTICE]} notice, {counts[Severity.NON_BREAKING]} ok"
    )
    lines.append(f"breaking: {'passed' if verdict.ok else 'FAILED'}: {verdict.message}")
    return "\n".join(lines)


def _emit_error(fmt: str, message: str) -> int:
    if fmt == "json":
        print(json.dumps({"status": "error", "message": message}, indent=2))
    print(f"breaking: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, __doc__)
    try:
        old, new = read_sources(args)
        labels = (old.label, new.label)
        for source in (old, new):  # a bad version is the plainest error: report it first
            spec_version(source.spec, source.label)
        changes = diff_specs(old.spec, new.spec, labels)
        verdict = judge(old.spec, new.spec, changes, labels)
    except NothingToCompare as exc:
        message = f"nothing to compare: {exc}; the gate passes"
        if args.format == "json":
            print(json.dumps({"status": "nothing-to-compare", "message": message}, indent=2))
        else:
            print(f"breaking: {message}")
        return 0
    except SpecError as exc:
        return _emit_error(args.format, str(exc))
    if args.format == "json":
        report = {
            "status": "passed" if verdict.ok else "failed",
            "old": old.label,
            "new": new.label,
            "version": verdict.as_json(),
            "changes": [c.as_json() for c in changes],
        }
        print(json.dumps(report, indent=2))
    else:
        print(render_text(old, new, changes, verdict))
    return 0 if verdict.ok else 1
