"""site/reference.md renders on a Git host and carries every operation, each with its own code table."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from contract_tests.fixture_operation import FIXTURE_CODES, FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.docs.code_samples import code_samples, request_schema_name
from medux_contract.docs.markdown import CODE_COLUMNS, PARAMETER_COLUMNS, reference_markdown, table
from medux_contract.docs.mcp import tool_descriptors
from medux_contract.docs.recovery import HEADING as RECOVERY_HEADING
from medux_contract.spec import Contract, Operation, Outcome, contract_of, load_contract, load_spec


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


CONTRACT = load_contract()


def op_id(operation: Operation) -> str:
    return operation.operation_id


def sections(markdown: str) -> dict[str, str]:
    """The ``## `` sections of the reference by heading (an operation's is headed by its summary)."""
    parts = markdown.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def section_of(markdown: str, operation: Operation) -> str:
    return sections(markdown)[operation.summary]


def only_table(markdown: str, header: tuple[str, ...]) -> list[list[str]]:
    [found] = [t for t in rendered_tables(markdown) if tuple(t[0]) == header]
    return found[1:]


@pytest.fixture(scope="module")
def reference(site: Path) -> str:
    return (site / "reference.md").read_text(encoding="utf-8")


def test_every_operation_has_its_own_section_in_spec_order(reference: str) -> None:
    headings = list(sections(reference))
    summaries = [operation.summary for operation in CONTRACT.operations]
    assert len(summaries) >= 2
    assert [heading for heading in headings if heading in summaries] == summaries


@pytest.mark.parametrize("operation", CONTRACT.operations, ids=op_id)
def test_each_operation_lists_exactly_the_codes_it_can_answer(reference: str, operation: Operation) -> None:
    rows = only_table(section_of(reference, operation), CODE_COLUMNS)
    assert [row[0] for row in rows] == [str(code) for code in operation.codes]


def _outcome_rows() -> list[tuple[Operation, Outcome]]:
    return [(op, outcome) for op in CONTRACT.operations for outcome in op.outcomes]


@pytest.mark.parametrize(
    ("operation", "outcome"),
    _outcome_rows(),
    ids=lambda value: value.operation_id if isinstance(value, Operation) else value.code.name,
)
def test_each_code_row_shows_name_message_meaning_and_the_operations_flags(
    reference: str, operation: Operation, outcome: Outcome
) -> None:
    rows = {row[0]: row for row in only_table(section_of(reference, operation), CODE_COLUMNS)}
    code, name, message, meaning, retry, billing = rows[str(outcome.value)]
    entry = outcome.code
    assert (code, name, message) == (str(entry.code), entry.name, entry.message)
    assert meaning.startswith(entry.meaning)
    assert meaning.endswith("(inferred)") == (entry.meaning_source == "inferred")
    assert retry == ("safe" if outcome.retry_safe else "no")
    assert billing == ("may bill" if outcome.billable else "no")


def test_the_same_code_has_the_flags_of_each_operation(reference: str) -> None:
    """99 after a billable POST must not be retried; after the free GET it may be."""
    flags = {
        operation.method: {
            row[0]: (row[4], row[5]) for row in only_table(section_of(reference, operation), CODE_COLUMNS)
        }
        for operation in CONTRACT.operations
    }
    assert flags["post"]["99"] == ("no", "may bill")
    assert flags["get"]["99"] == ("safe", "no")
    assert "1401" not in flags["get"]


@pytest.mark.parametrize("operation", CONTRACT.operations, ids=op_id)
def test_each_section_states_its_endpoint_and_its_inputs(reference: str, operation: Operation) -> None:
    section = section_of(reference, operation)
    assert f"`{operation.method.upper()} {load_spec()['servers'][0]['url']}{operation.path}`" in section
    if operation.parameters:
        rows = {row[0]: row for row in only_table(section, PARAMETER_COLUMNS)}
        assert list(rows) == [parameter.name for parameter in operation.parameters]
        for parameter in operation.parameters:
            assert rows[parameter.name][1] == parameter.location
            assert rows[parameter.name][3] == ("yes" if parameter.required else "no")
    else:
        assert "### Parameters" not in section
    assert ("### Request body" in section) == operation.has_body


def test_the_list_section_shows_its_query_parameters_with_bounds_and_default(reference: str) -> None:
    [listing] = [op for op in CONTRACT.operations if op.method == "get"]
    rows = {row[0]: row for row in only_table(section_of(reference, listing), PARAMETER_COLUMNS)}
    assert rows["limit"][1:5] == ["query", "integer (int32), minimum 1, maximum 100", "no", "20"]
    assert rows["cursor"][1:5] == ["query", "string, minLength 1", "no", ""]


def test_reference_states_auth_and_every_body_field(reference: str) -> None:
    assert "## Authentication" in reference
    assert "Bearer" in sections(reference)["Authentication"]
    [post] = [op for op in CONTRACT.operations if op.has_body]
    request = CONTRACT.schemas[request_schema_name(post)]
    body_table = next(t for t in rendered_tables(section_of(reference, post)) if t[0][0] == "field")
    rows = {row[0]: row for row in body_table[1:]}
    assert list(rows) == list(request["properties"])
    for field, row in rows.items():
        assert row[2] == ("yes" if field in request["required"] else "no")


@pytest.mark.parametrize("operation", CONTRACT.operations, ids=op_id)
def test_each_section_shows_one_response_example_per_code_it_answers(
    reference: str, operation: Operation
) -> None:
    examples = only_table(section_of(reference, operation), ("code", "example", "body"))
    assert [row[1] for row in examples] == [outcome.example_name for outcome in operation.outcomes]
    for row, outcome in zip(examples, operation.outcomes, strict=True):
        assert f'"message": "{outcome.code.message}"' in row[2]


@pytest.mark.parametrize("operation", CONTRACT.operations, ids=op_id)
def test_each_section_embeds_its_own_code_samples(reference: str, operation: Operation) -> None:
    section = section_of(reference, operation)
    for sample in code_samples(CONTRACT, operation):
        assert sample.source in section


def test_the_recovery_recipe_sends_an_unknown_create_to_the_list(reference: str) -> None:
    [create] = [op for op in CONTRACT.operations if op.can_bill]
    [listing] = [op for op in CONTRACT.operations if op.method == "get"]
    for operation in (create, listing):
        recipe = section_of(reference, operation).split(f"### {RECOVERY_HEADING}\n", 1)[1]
        assert "`1405` (`PROVIDER_TIMEOUT`) and `99` (`SERVER_ERROR`)" in recipe
        assert f"{listing.summary} (`{listing.label}`)" in recipe
        assert "next_cursor" in recipe


def test_only_the_operation_the_vendor_offers_as_a_tool_has_an_mcp_section(reference: str) -> None:
    for operation in CONTRACT.operations:
        assert ("### MCP tool" in section_of(reference, operation)) == (operation.mcp_tool is not None)


def fixture_reference() -> tuple[Contract, str]:
    contract = contract_of(with_fixture_operation(load_spec()))
    return contract, reference_markdown(contract, tool_descriptors(contract))


def test_the_fixture_operation_gets_its_own_section_with_no_code_change() -> None:
    contract, markdown = fixture_reference()
    fixture = contract.operation(FIXTURE_OPERATION_ID)
    section = section_of(markdown, fixture)
    assert f"`GET {load_spec()['servers'][0]['url']}{fixture.path}`" in section
    assert [row[0] for row in only_table(section, CODE_COLUMNS)] == [str(code) for code in FIXTURE_CODES]
    assert [row[0] for row in only_table(section, PARAMETER_COLUMNS)] == ["widget_id", "verbose"]
    assert "--data-urlencode widget_id=widget_1" in section
    assert "### Request body" not in section
    assert "### MCP tool" not in section
    for operation in CONTRACT.operations:
        assert operation.summary in sections(markdown)


def test_a_pipe_or_line_break_in_a_value_cannot_break_a_table() -> None:
    markdown = table(("a", "b"), [("x | y", "line\nbreak")])
    [[_header, row]] = rendered_tables(markdown)
    assert row == ["x | y", "line break"]


def test_reference_is_the_same_text_for_the_same_spec(reference: str) -> None:
    contract = contract_of(load_spec())
    again: dict[str, Any] = tool_descriptors(contract)
    assert reference_markdown(contract, again) == reference
