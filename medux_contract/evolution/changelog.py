"""`make changelog`: write CHANGELOG.md's entry for the current info.version from the spec diff.

The entry lists the changes since BASE (default HEAD~1; or --old PATH) under Breaking / Added /
Changed / Fixed, the section each rule of :mod:`.diff_rules` names. Rerunning rewrites the
entry of that version in place (keeping its date), so it never appears twice. It refuses, like
`make breaking`, when info.version is not bumped enough for the changes. When BASE has no spec (the
first commit), the entry describes the initial contract.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path
from typing import Any

from medux_contract.evolution.diff_rules import Change, Section, Severity
from medux_contract.evolution.spec_diff import diff_specs
from medux_contract.evolution.spec_sources import SPEC_NAME, NothingToCompare, from_file, from_git
from medux_contract.evolution.version_gate import judge, spec_version
from medux_contract.spec import CODE_TABLE_KEY, REPO_ROOT, SpecError, contract_of

CHANGELOG_NAME = "CHANGELOG.md"
PREAMBLE = """# Changelog

Every version of the Medux contract (`openapi.yaml`), and so of the generated client
`medux-avatar-client`, which carries the same version. `make changelog` writes the entry of the
current `info.version` from the spec diff against the previous commit (`BASE=<ref>` to choose);
rerunning it rewrites that entry rather than adding another. Breaking changes need a major bump,
Added and Changed a minor one, Fixed (descriptions and examples) a patch.
"""
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\].*$", re.MULTILINE)


def bullets_by_section(changes: list[Change]) -> dict[Section, list[str]]:
    sections: dict[Section, list[str]] = {}
    for c in changes:
        line = f"- {c.detail} (`{c.pointer}`)"
        if c.severity is Severity.NOTICE:
            line += f"; notice: {c.rule.reason}"
        if line not in sections.setdefault(c.rule.section, []):
            sections[c.rule.section].append(line)
    return sections


def initial_bullets(spec: dict[str, Any]) -> dict[Section, list[str]]:
    """The first entry: what the initial contract offers, read from the spec itself."""
    contract = contract_of(spec)
    lines = ["- Initial contract."]
    for operation in contract.operations:
        summary = f": {operation.summary}" if operation.summary else ""
        lines.append(f"- `{operation.label}` (`{operation.operation_id}`){summary}.")
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    if schemes:
        lines.append(f"- Security schemes: {', '.join(f'`{name}`' for name in schemes)}.")
    codes = ", ".join(f"{entry.code} {entry.message}" for entry in contract.codes)
    lines.append(f"- {len(contract.codes)} application codes in `{CODE_TABLE_KEY}`: {codes}.")
    return {Section.ADDED: lines}


def render_entry(heading: str, sections: dict[Section, list[str]]) -> str:
    parts = [heading, ""]
    for section in Section:
        if sections.get(section):
            parts += [f"### {section.value}", "", *sections[section], ""]
    return "\n".join(parts)


def upsert_entry(text: str, version: str, sections: dict[Section, list[str]], today: str) -> str:
    """``text`` with the entry of ``version`` replaced (keeping its heading) or added on top."""
    headings = list(HEADING.finditer(text))
    for index, match in enumerate(headings):
        if match.group("version") == version:
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            entry = render_entry(match.group(0), sections)
            return text[: match.start()] + entry + ("\n" if end < len(text) else "") + text[end:]
    entry = render_entry(f"## [{version}] - {today}", sections)
    if headings:
        first = headings[0].start()
        return text[:first] + entry + "\n" + text[first:]
    return text.rstrip("\n") + "\n\n" + entry


def has_entry(text: str, version: str) -> bool:
    return any(match.group("version") == version for match in HEADING.finditer(text))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    base = parser.add_mutually_exclusive_group()
    base.add_argument(
        "--base", default="HEAD~1", help="git ref holding the old openapi.yaml (default HEAD~1)"
    )
    base.add_argument("--old", type=Path, help="old spec file (instead of --base)")
    parser.add_argument("--new", type=Path, help="new spec file (default: openapi.yaml in --repo)")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="git work tree (default: this project)")
    parser.add_argument("--changelog", type=Path, help="file to update (default: CHANGELOG.md in --repo)")
    return parser.parse_args(argv)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8") if path.exists() else PREAMBLE
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot be read: {exc}") from None


def run(args: argparse.Namespace) -> int:
    new = from_file(args.new) if args.new else from_file(args.repo / SPEC_NAME)
    version = str(spec_version(new.spec, new.label))
    path: Path = args.changelog or args.repo / CHANGELOG_NAME
    text = _read(path)
    try:
        old = from_file(args.old) if args.old else from_git(args.repo, args.base)
    except NothingToCompare as exc:
        if has_entry(text, version):
            print(f"changelog: nothing to compare ({exc}); the entry for {version} stays as it is")
            return 0
        path.write_text(upsert_entry(text, version, initial_bullets(new.spec), _today()), encoding="utf-8")
        print(f"changelog: nothing to compare ({exc}); wrote the initial entry for {version} to {path}")
        return 0
    spec_version(old.spec, old.label)
    changes = diff_specs(old.spec, new.spec, (old.label, new.label))
    if not changes:
        print(f"changelog: no contract change since {old.label}; {path.name} left as it is")
        return 0
    verdict = judge(old.spec, new.spec, changes, (old.label, new.label))
    if not verdict.ok:
        print(f"changelog: not written: {verdict.message} (see `make breaking`)", file=sys.stderr)
        return 1
    updated = upsert_entry(text, version, bullets_by_section(changes), _today())
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    print(f"changelog: entry for {version} ({len(changes)} change(s) since {old.label}) is in {path}")
    return 0


def _today() -> str:
    return datetime.date.today().isoformat()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except SpecError as exc:
        print(f"changelog: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"changelog: error: cannot write the changelog: {exc}", file=sys.stderr)
        return 2
