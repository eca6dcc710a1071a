"""``site/index.html``: the self-contained HTML reference, rendered by Redocly CLI ``build-docs``.

Redocly renders a temporary copy of the spec decorated at build time: each operation's code table
(its ``Outcome`` rows from the spec model) and, where it applies, the recovery recipe go into its
description, and its curl and Python samples into ``x-codeSamples``, so none of them is ever typed
into openapi.yaml twice.

The page must open from ``file://`` with no network. ``--inlineBundle`` inlines Redoc's script
(it is otherwise loaded from Redocly's CDN), telemetry is switched off, the page template adds a
Content-Security-Policy that forbids every remote load, and the one remote image Redoc 3 always
shows (its "API docs by" logo) is replaced by an inline SVG. :func:`offline_problems` then checks
the markup for anything that would still be fetched; the browser test proves it with a network log.

Redoc 3 opens on an overview that hides the operations behind "+ Show"; the template sends a visitor
who arrives without a route to the first operation's route (:func:`landing_route`) instead.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from medux_contract.docs.code_samples import code_samples
from medux_contract.docs.markdown import CODE_TABLE_HEADING, code_table_markdown
from medux_contract.docs.recovery import HEADING as RECOVERY_HEADING
from medux_contract.docs.recovery import involving, recipe_markdown
from medux_contract.spec import REPO_ROOT, Contract, Operation
from medux_contract.spec.refs import lookup

REDOCLY = REPO_ROOT / "node_modules" / ".bin" / "redocly"
REDOCLY_CONFIG = REPO_ROOT / "redocly.yaml"
TEMPLATE = Path(__file__).with_name("page.hbs")
# Redocly CLI reports usage to its servers and the page would post traces unless this is off.
REDOCLY_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
REMOTE_LOGO = re.compile(r"https://cdn\.redoc\.ly/redoc/logo-mini(-full)?\.svg")
LOCAL_SCHEMES = frozenset({"", "data", "blob", "about", "file"})
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>)\]]+")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)|@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)")


class DocsBuildError(RuntimeError):
    """Redocly failed, or the page it wrote would load something from the network."""


def decorated_spec(contract: Contract) -> dict[str, Any]:
    """A copy of the spec with, in each operation, its code table and recipe and its code samples."""
    decorated = copy.deepcopy(dict(contract.document))
    for operation in contract.operations:
        node = lookup(decorated, operation.pointer, operation.operation_id)
        sections = [f"#### {CODE_TABLE_HEADING}\n\n{code_table_markdown(operation)}"]
        recipes = involving(contract, operation)
        if recipes:
            sections.append(
                f"#### {RECOVERY_HEADING}\n\n" + "\n".join(recipe_markdown(contract, r) for r in recipes)
            )
        node["description"] = "\n\n".join((operation.description.rstrip(), *sections))
        node["x-codeSamples"] = [sample.as_extension() for sample in code_samples(contract, operation)]
    return decorated


def operation_route(operation: Operation) -> str:
    """Redoc's hash route of an operation: ``#/<tag slug>/<operationId, lower case>``."""
    tag = re.sub(r"\s+", "-", (operation.tags or ("other",))[0].strip().lower())
    # Percent-encoded, so the route is inert inside the template's script string whatever the spec says.
    return f"#/{quote(tag, safe='-')}/{quote(operation.operation_id.lower(), safe='-')}"


def landing_route(contract: Contract) -> str:
    """Where a visitor without a route lands: the first operation (Redoc 3 shows one at a time)."""
    return operation_route(contract.operations[0])


def own_hosts(contract: Contract) -> frozenset[str]:
    """The hosts the API's own URLs live on (servers and external docs): the only ones text may name."""
    document = contract.document
    urls = [str(server.get("url", "")) for server in document.get("servers", []) if isinstance(server, dict)]
    external = document.get("externalDocs", {})
    urls.append(str(external.get("url", "")) if isinstance(external, dict) else "")
    return frozenset(host for url in urls if (host := urlsplit(url).hostname))


def _is_remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme.lower() not in LOCAL_SCHEMES


class _ResourceScanner(HTMLParser):
    """Collects what a browser would fetch from elsewhere, and URLs shown as text off the API's hosts."""

    FETCHING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "xlink:href"})
    FETCHING_HREF_TAGS = frozenset({"link", "script", "use", "image", "img"})

    def __init__(self, allowed_hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_hosts = allowed_hosts
        self.problems: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            fetches = name in self.FETCHING_ATTRIBUTES or (name == "href" and tag in self.FETCHING_HREF_TAGS)
            candidates = (
                [part.split()[0] for part in value.split(",") if part.split()]
                if name == "srcset"
                else [value]
            )
            if fetches and any(_is_remote(url) for url in candidates):
                self.problems.append(f"<{tag} {name}={value!r}> loads a remote resource")
            if name == "style":
                self._check_css(value, f"<{tag} style>")
        if tag in ("script", "style"):
            self._raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "style":
            self._check_css(data, "<style>")
        elif self._raw is None:
            for url in URL_IN_TEXT.findall(data):
                if urlsplit(url).hostname not in self.allowed_hosts:
                    self.problems.append(f"the text shows {url}, which is not one of the API's own URLs")

    def _check_css(self, css: str, where: str) -> None:
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if _is_remote(url):
                self.problems.append(f"{where} loads {url}")


def offline_problems(html: str, allowed_hosts: frozenset[str]) -> list[str]:
    """What in ``html`` would be fetched from the network, or names a URL off the API's own hosts.

    Inline script bodies are code, not markup: the URLs inside Redoc's bundle are judged by the
    browser test's network log, which sees what the code actually requests.
    """
    scanner = _ResourceScanner(allowed_hosts)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def _inline_wordmark(match: re.Match[str]) -> str:
    text = "Redocly" if match.group(1) else "R"
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{9 * len(text)}' height='16'>"
        f"<text x='0' y='12' font-family='sans-serif' font-size='12' fill='#64748b'>{text}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe=" =':/")


def without_remote_logo(html: str) -> str:
    """Redoc 3 always shows an "API docs by" logo from Redocly's CDN: show an inline wordmark instead."""
    return REMOTE_LOGO.sub(_inline_wordmark, html)


def _redocly_output(result: subprocess.CompletedProcess[str]) -> str:
    # Drop Node.js's boxed deprecation banner: it is about the machine, not the docs.
    lines = (result.stdout + result.stderr).splitlines()
    return "\n".join(line for line in lines if line.strip() and not set(line.strip()[:1]) <= set("╔╗╚╝═║"))


def run_redocly(spec_file: Path, output: Path, title: str, landing: str) -> None:
    if not REDOCLY.exists():
        raise DocsBuildError(
            f"Redocly CLI is missing ({REDOCLY}): run `make docs` (it runs `npm ci`) instead"
        )
    command = [
        str(REDOCLY),
        "build-docs",
        str(spec_file),
        "--output",
        str(output),
        "--inlineBundle",
        "--template",
        str(TEMPLATE),
        "--title",
        title,
        "--templateOptions.landing",
        landing,
        "--config",
        str(REDOCLY_CONFIG),
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env={**os.environ, **REDOCLY_ENV},
    )
    if result.returncode != 0 or not output.is_file():
        raise DocsBuildError(f"redocly build-docs failed:\n{_redocly_output(result)}")


def build_html(contract: Contract, output: Path) -> None:
    """Write the offline HTML reference of ``contract`` to ``output``."""
    title = f"{contract.title or 'API'} reference"
    with tempfile.TemporaryDirectory(prefix="medux-docs-") as scratch:
        spec_file = Path(scratch) / "openapi.json"
        spec_file.write_text(json.dumps(decorated_spec(contract), ensure_ascii=False), encoding="utf-8")
        rendered = Path(scratch) / "index.html"
        run_redocly(spec_file, rendered, title, landing_route(contract))
        html = without_remote_logo(rendered.read_text(encoding="utf-8"))
    problems = offline_problems(html, own_hosts(contract))
    if problems:
        raise DocsBuildError(
            "the HTML page would not work offline:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
