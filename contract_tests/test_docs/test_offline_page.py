"""site/index.html is self-contained: Redoc inlined, nothing fetched from elsewhere, the API's URLs only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medux_contract.docs.code_samples import code_samples
from medux_contract.docs.redoc import (
    CODE_TABLE_HEADING,
    decorated_spec,
    landing_route,
    offline_problems,
    own_hosts,
    without_remote_logo,
)
from medux_contract.spec import code_table, load_spec, operation

HOSTS = own_hosts(load_spec())


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


def test_decorated_copy_carries_the_code_table_and_samples_and_leaves_the_spec_alone() -> None:
    decorated = operation(decorated_spec(load_spec(), code_table()))
    description = decorated["description"]
    assert f"#### {CODE_TABLE_HEADING}" in description
    for entry in code_table():
        assert f"| {entry.code} | `{entry.name}` | {entry.message} |" in description
    assert [sample["label"] for sample in decorated["x-codeSamples"]] == ["curl", "Python"]
    assert [sample["source"] for sample in decorated["x-codeSamples"]] == [
        sample.source for sample in code_samples(load_spec())
    ]
    assert "x-codeSamples" not in operation(load_spec())
    assert CODE_TABLE_HEADING not in operation(load_spec())["description"]


def test_landing_route_stays_inert_whatever_the_tag_is_called(spec: dict[str, Any]) -> None:
    operation(spec)["tags"] = ['Clone "avatars"\\</script>']
    route = landing_route(spec)
    assert route.startswith("#/")
    assert not set(route) & set("\"'<>\\ ")
