"""site/index.html is self-contained: Redoc inlined, nothing fetched from elsewhere, the API's URLs only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contract_tests.fixture_operation import FIXTURE_OPERATION_ID, with_fixture_operation
from medux_contract.docs.code_samples import code_samples
from medux_contract.docs.markdown import CODE_TABLE_HEADING
from medux_contract.docs.paging import paging
from medux_contract.docs.recovery import HEADING as RECOVERY_HEADING
from medux_contract.docs.redoc import (
    build_html,
    decorated_spec,
    landing_route,
    offline_problems,
    own_hosts,
    without_remote_logo,
)
from medux_contract.spec import contract_of, load_contract, load_spec
from medux_contract.spec.refs import lookup

CONTRACT = load_contract()
HOSTS = own_hosts(CONTRACT)
REDOC_DEFINITION = "const __redoc_definition = "


def redoc_state(page: str) -> dict[str, Any]:
    """The spec Redoc renders, as the built page embeds it for its script."""
    start = page.index(REDOC_DEFINITION) + len(REDOC_DEFINITION)
    state, _ = json.JSONDecoder().raw_decode(page, start)
    assert isinstance(state, dict)
    return state


@pytest.fixture(scope="module")
def page(site: Path) -> str:
    return (site / "index.html").read_text(encoding="utf-8")


def test_built_page_loads_nothing_from_elsewhere(page: str) -> None:
    assert offline_problems(page, HOSTS) == []


def test_built_page_inlines_redoc_instead_of_loading_it_from_a_cdn(page: str) -> None:
    assert "cdn.redocly.com/redoc/" not in page
    assert "cdn.redoc.ly" not in page
    assert "import { hydrate }" not in page  # the CDN variant imports hydrate from a URL
    assert "hydrate(__redoc_definition" in page
    assert "Content-Security-Policy" in page


def test_built_page_documents_every_operation_with_its_samples(page: str) -> None:
    paths = redoc_state(page)["paths"]
    for operation in CONTRACT.operations:
        node = paths[operation.path][operation.method]
        assert node["summary"] == operation.summary
        assert [s["source"] for s in node["x-codeSamples"]] == [
            s.source for s in code_samples(CONTRACT, operation)
        ]


@pytest.mark.parametrize(
    "markup",
    [
        '<script src="https://cdn.example.com/redoc.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.com/css">',
        '<img src="http://example.com/logo.svg">',
        '<img srcset="/local.png 1x, https://example.com/big.png 2x">',
        "<style>@import url(https://fonts.example.com/x.css);</style>",
        '<div style="background: url(https://example.com/bg.png)"></div>',
        "<p>see https://example.com/elsewhere for more</p>",
    ],
)
def test_remote_loads_and_foreign_urls_in_text_are_caught(markup: str) -> None:
    assert offline_problems(f"<html><body>{markup}</body></html>", HOSTS) != []


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="data:image/svg+xml,%3Csvg%3E">',
        '<a href="https://redocly.com/redoc/">a link is not a load</a>',
        "<p>POST https://api.medux.io/api/app/v1/clone/avatar/by_image</p>",
        "<script>const docs = 'https://example.com/in-code';</script>",
        '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>',
    ],
)
def test_local_resources_links_and_the_apis_urls_pass(markup: str) -> None:
    assert offline_problems(f"<html><body>{markup}</body></html>", HOSTS) == []


def test_redocs_remote_logo_becomes_an_inline_image() -> None:
    bundle = (
        "src:e?`https://cdn.redoc.ly/redoc/logo-mini-full.svg`:`https://cdn.redoc.ly/redoc/logo-mini.svg`"
    )
    patched = without_remote_logo(bundle)
    assert "cdn.redoc.ly" not in patched
    assert patched.count("data:image/svg+xml,") == 2


def test_decorated_copy_gives_each_operation_its_code_table_and_samples_and_leaves_the_spec_alone() -> None:
    decorated = decorated_spec(CONTRACT)
    for operation in CONTRACT.operations:
        node = lookup(decorated, operation.pointer, operation.operation_id)
        description = node["description"]
        assert f"#### {CODE_TABLE_HEADING}" in description
        table = description.split(f"#### {CODE_TABLE_HEADING}", 1)[1]
        for entry in CONTRACT.codes:
            row = f"| {entry.code} | `{entry.name}` | {entry.message} |"
            assert (row in table) == operation.answers(entry.code), (operation.operation_id, entry.code)
        labels = [sample["label"] for sample in node["x-codeSamples"]]
        assert labels[:2] == ["curl", "Python"]
        assert ("Python (every page)" in labels) == (paging(CONTRACT, operation) is not None)
        assert [sample["source"] for sample in node["x-codeSamples"]] == [
            sample.source for sample in code_samples(CONTRACT, operation)
        ]
        original = lookup(dict(CONTRACT.document), operation.pointer, operation.operation_id)
        assert "x-codeSamples" not in original
        assert CODE_TABLE_HEADING not in original["description"]


def test_the_recovery_recipe_is_in_the_html_of_the_create_and_of_the_list() -> None:
    decorated = decorated_spec(CONTRACT)
    with_recipe = [
        operation.operation_id
        for operation in CONTRACT.operations
        if f"#### {RECOVERY_HEADING}" in lookup(decorated, operation.pointer, "op")["description"]
    ]
    assert with_recipe == [operation.operation_id for operation in CONTRACT.operations]


def test_landing_route_names_the_first_operation() -> None:
    first = CONTRACT.operations[0]
    assert landing_route(CONTRACT) == f"#/{first.tags[0].lower()}/{first.operation_id.lower()}"


def test_landing_route_stays_inert_whatever_the_tag_is_called(spec: dict[str, Any]) -> None:
    for path_item in spec["paths"].values():
        for node in path_item.values():
            node["tags"] = ['Clone "avatars"\\</script>']
    route = landing_route(contract_of(spec))
    assert route.startswith("#/")
    assert not set(route) & set("\"'<>\\ ")


def test_the_fixture_operation_reaches_the_html_page_with_no_code_change(tmp_path: Path) -> None:
    contract = contract_of(with_fixture_operation(load_spec()))
    output = tmp_path / "index.html"
    build_html(contract, output)
    page = output.read_text(encoding="utf-8")
    assert offline_problems(page, own_hosts(contract)) == []
    fixture = contract.operation(FIXTURE_OPERATION_ID)
    state = redoc_state(page)
    rendered = {
        (method, path): node for path, item in state["paths"].items() for method, node in item.items()
    }
    for operation in contract.operations:
        node = rendered[(operation.method, operation.path)]
        assert node["operationId"] == operation.operation_id
        assert node["summary"] == operation.summary
        assert [s["source"] for s in node["x-codeSamples"]] == [
            s.source for s in code_samples(contract, operation)
        ]
    fixture_node = rendered[(fixture.method, fixture.path)]
    assert [p["name"] for p in fixture_node["parameters"]] == ["widget_id", "verbose"]
    assert "| 13 | `UNAUTHENTICATED` | unauthenticated |" in fixture_node["description"]
    assert "| 99 |" not in fixture_node["description"]
