"""site/reference.md renders on a Git host and carries the whole reference, code table included."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from medux_contract.docs.code_samples import code_samples, request_schema_name
from medux_contract.docs.markdown import CODE_COLUMNS, table
from medux_contract.spec import OPERATION_METHOD, OPERATION_PATH, CodeEntry, code_table, load_spec, schemas


class _Tables(HTMLParser):
    """The tables of rendered HTML as lists of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rendered_tables(markdown: str) -> list[list[list[str]]]:
    """Render as a Git host does (CommonMark plus GFM tables) and read the tables back."""
    parser = _Tables()
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser.tables


@pytest.fixture(scope="module")
def reference(site: Path) -> str:
    return (site / "reference.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def code_rows(reference: str) -> dict[str, list[str]]:
    [codes] = [t for t in rendered_tables(reference) if tuple(t[0]) == CODE_COLUMNS]
    return {row[0]: row for row in codes[1:]}


def test_code_table_has_exactly_the_spec_codes_in_order(code_rows: dict[str, list[str]]) -> None:
    assert list(code_rows) == [str(entry.code) for entry in code_table()]


@pytest.mark.parametrize("entry", code_table(), ids=lambda entry: entry.name)
def test_each_code_row_shows_name_message_meaning_and_flags(
    code_rows: dict[str, list[str]], entry: CodeEntry
) -> None:
    code, name, message, meaning, retry, billing = code_rows[str(entry.code)]
    assert (code, name, message) == (str(entry.code), entry.name, entry.message)
    assert meaning.startswith(entry.meaning)
    assert meaning.endswith("(inferred)") == (entry.meaning_source == "inferred")
    assert retry == ("safe" if entry.retryable else "no")
    assert billing == ("may bill" if entry.billable else "no")


def test_reference_states_endpoint_auth_and_every_body_field(reference: str) -> None:
    spec = load_spec()
    assert f"`{OPERATION_METHOD.upper()} {spec['servers'][0]['url']}{OPERATION_PATH}`" in reference
    assert "## Authentication" in reference
    assert "Bearer" in reference.split("## Authentication", 1)[1].split("##", 1)[0]
    request = schemas(spec)[request_schema_name(spec)]
    body_table = next(t for t in rendered_tables(reference) if t[0][0] == "field")
    rows = {row[0]: row for row in body_table[1:]}
    assert list(rows) == list(request["properties"])
    for field, row in rows.items():
        assert row[2] == ("yes" if field in request["required"] else "no")


def test_reference_shows_one_response_example_per_code(reference: str) -> None:
    examples = next(t for t in rendered_tables(reference) if t[0] == ["code", "example", "body"])
    assert [row[1] for row in examples[1:]] == [entry.example_name for entry in code_table()]
    for row, entry in zip(examples[1:], code_table(), strict=True):
        assert f'"message": "{entry.message}"' in row[2]


def test_reference_embeds_the_generated_code_samples(reference: str) -> None:
    for sample in code_samples(load_spec()):
        assert sample.source in reference


def test_a_pipe_or_line_break_in_a_value_cannot_break_a_table() -> None:
    markdown = table(("a", "b"), [("x | y", "line\nbreak")])
    [[_header, row]] = rendered_tables(markdown)
    assert row == ["x | y", "line break"]
