"""Keep the README's errors table (code -> exception) equal to the one rendered from the code table.

`make generate` refreshes it, and a test fails when it is stale, so a code added to openapi.yaml
reaches the README with no hand edit.
"""

from __future__ import annotations

from pathlib import Path

from medux_contract.generation.client_extras import errors_table
from medux_contract.spec import REPO_ROOT, load_contract

README = REPO_ROOT / "README.md"
START = "<!-- errors-table:start (written by `make generate` from x-medux-codes) -->"
END = "<!-- errors-table:end -->"


class ReadmeError(ValueError):
    """The README lacks the markers the table lives between."""


def with_current_table(text: str) -> str:
    """``text`` with the block between the markers replaced by the current errors table."""
    head, start, rest = text.partition(START)
    middle, end, tail = rest.partition(END)
    if not start or not end:
        raise ReadmeError(f"README.md must contain the lines {START!r} and {END!r}")
    del middle
    return f"{head}{START}\n{errors_table(load_contract()).strip()}\n{END}{tail}"


def refresh(readme: Path = README) -> bool:
    """Rewrite the table in place; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    updated = with_current_table(text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return updated != text
