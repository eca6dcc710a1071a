"""`make docs`: build the reference docs of openapi.yaml into site/.

- site/index.html     the HTML reference of every operation (Redocly build-docs; opens from file://
                      with no network)
- site/reference.md   the same reference as Markdown, for a Git host
- site/mcp-tool.json  the MCP tool descriptor of the one operation the vendor offers as a tool,
                      checked against the MCP wire types

The spec is linted first (the checks of `make lint` except the npm-based Redocly lint): a spec
error stops the build with the lint report and nothing in site/ changes. Every file is built in a
scratch directory and copied into site/ only when all three are good.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

from mcp_types.version import LATEST_HANDSHAKE_VERSION

from medux_contract.docs.markdown import reference_markdown
from medux_contract.docs.mcp import DescriptorError, published_tool, tool_descriptors, validate_descriptor
from medux_contract.docs.redoc import DocsBuildError, build_html
from medux_contract.lint import runner as lint_spec
from medux_contract.spec import REPO_ROOT, SPEC_PATH, SpecError, contract_of, read_spec

SITE = REPO_ROOT / "site"
OUTPUTS = {
    "index.html": "HTML reference: open it in a browser (works offline, from file://)",
    "reference.md": "Markdown reference (renders on a Git host)",
    "mcp-tool.json": f"MCP tool descriptor (checked against the MCP {LATEST_HANDSHAKE_VERSION} Tool shape)",
}


class SpecLintError(SpecError):
    """`make lint`'s checks failed; the message is their report."""


def lint(spec: Path) -> None:
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        status = lint_spec.main([str(spec), "--no-redocly", "--no-typescript"])
    if status != 0:
        raise SpecLintError(report.getvalue().rstrip())


def build(spec_path: Path, stage: Path) -> None:
    """Write every output file for ``spec_path`` into ``stage``."""
    contract = contract_of(read_spec(spec_path))
    tools = tool_descriptors(contract)
    tool = published_tool(tools)
    validate_descriptor(tool)
    build_html(contract, stage / "index.html")
    (stage / "reference.md").write_text(reference_markdown(contract, tools), encoding="utf-8")
    descriptor = json.dumps(tool, indent=2, ensure_ascii=False) + "\n"
    (stage / "mcp-tool.json").write_text(descriptor, encoding="utf-8")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the reference docs of openapi.yaml into site/.")
    parser.add_argument(
        "--spec", type=Path, default=SPEC_PATH, help="spec to document (default: openapi.yaml)"
    )
    parser.add_argument("--out", type=Path, default=SITE, help="output directory (default: site/)")
    args = parser.parse_args(argv)
    spec_path: Path = args.spec.resolve()
    out: Path = args.out.resolve()

    try:
        lint(spec_path)
        with tempfile.TemporaryDirectory(prefix="medux-site-") as scratch:
            build(spec_path, Path(scratch))
            out.mkdir(parents=True, exist_ok=True)
            for name in OUTPUTS:
                shutil.copyfile(Path(scratch) / name, out / name)
    except SpecLintError as exc:
        print(f"docs: FAILED: {_shown(spec_path)} has errors; nothing was built.\n{exc}", file=sys.stderr)
        return 1
    except (SpecError, DescriptorError, DocsBuildError, OSError) as exc:
        print(f"docs: FAILED: {exc}", file=sys.stderr)
        return 1

    version = contract_of(read_spec(spec_path)).version
    print(f"docs: built {_shown(out)}/ from {_shown(spec_path)} (contract version {version})")
    for name, what in OUTPUTS.items():
        print(f"  {_shown(out / name):<22} {what}")
    print(f"  open: {(out / 'index.html').as_uri()}")
    return 0
