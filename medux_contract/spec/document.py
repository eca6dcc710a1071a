"""Read a spec file into a raw document; :mod:`medux_contract.spec.model` turns it into a model."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

# The library is installed editable from the repository it reads (see README "Layout").
REPO_ROOT = Path(__file__).resolve().parents[2]
# The spec beside this module is a symlink to the repository's openapi.yaml, the one source of truth:
# resolved, it is that file in a checkout (editable install), and the wheel, which stores the link's
# target under this name, carries its own copy of it (the test kit installs the mock without the repo).
SPEC_PATH = (Path(__file__).parent / "openapi.yaml").resolve()


class SpecError(ValueError):
    """The spec cannot be read or does not have the shape this project relies on."""


def parse_yaml(text: str, source: str) -> dict[str, Any]:
    """Parse a spec's text, turning YAML errors into a :class:`SpecError` that names the source."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise SpecError(f"{source}: the top level must be a mapping, got {type(document).__name__}")
    return cast(dict[str, Any], document)


def read_spec(path: Path) -> dict[str, Any]:
    """Read and parse any spec file (uncached: scripts use it on copies and old revisions)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot be read: {exc}") from None
    return parse_yaml(text, str(path))


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The parsed spec. Cached: callers must not mutate it (use ``copy.deepcopy``)."""
    return read_spec(path)
