"""The README's errors table is the one rendered from x-medux-codes, never a hand-kept copy."""

from __future__ import annotations

import pytest

from medux_contract.generation.readme_errors_table import END, README, START, ReadmeError, with_current_table
from medux_contract.spec import load_contract


def test_readme_errors_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_current_table(text) == text, "README.md's errors table is stale: run `make generate`"


def test_readme_names_every_code_and_exception_of_the_table() -> None:
    block = README.read_text(encoding="utf-8").split(START)[1].split(END)[0]
    for code in load_contract().codes:
        assert f"| {code.code} | {code.message} |" in block
        if code.exception:
            assert f"`{code.exception}`" in block


def test_readme_errors_table_has_columns_for_every_operation() -> None:
    header = README.read_text(encoding="utf-8").split(START)[1].split(END)[0].strip().splitlines()[0]
    for operation in load_contract().operations:
        assert f"Retried by `{operation.operation_id}`" in header
        assert f"May cost credits (`{operation.operation_id}`)" in header


def test_stale_table_is_rewritten() -> None:
    stale = f"intro\n{START}\n| 0 | ok | old |\n{END}\nrest\n"
    fresh = with_current_table(stale)
    assert "| old |" not in fresh
    assert fresh.startswith("intro\n")
    assert fresh.endswith(f"{END}\nrest\n")
    assert with_current_table(fresh) == fresh


def test_readme_without_markers_is_reported() -> None:
    with pytest.raises(ReadmeError, match="must contain the lines"):
        with_current_table("no markers here")
