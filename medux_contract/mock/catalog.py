"""Known files and models: the mock's stand-in for what users uploaded and what the vendor offers.

Seeded from a committed JSON fixture (``fixtures/catalog.json``) and overridable through
:class:`~medux_contract.mock.settings.MockSettings`, so tests and users can add files
without editing the fixture.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from medux_contract.mock.settings import PLANS, MockSettings, Plan

IMAGE_CATEGORY = "image"


class CatalogError(ValueError):
    """The catalog fixture cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class Catalog:
    files: Mapping[str, str]
    """file id -> category (``image``, ``audio``, ``video``, ...)."""
    models: Mapping[str, Plan]
    """model id -> the plan it needs (``free`` models are open to every plan)."""


def _string_map(document: dict[str, Any], member: str, path: Path) -> dict[str, str]:
    value = document.get(member, {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()
    ):
        raise CatalogError(f"{path}: {member!r} must map non-empty strings to non-empty strings")
    return cast(dict[str, str], value)


def read_catalog(path: Path) -> Catalog:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot be read as JSON: {exc}") from None
    if not isinstance(document, dict):
        raise CatalogError(f"{path}: the top level must be an object with 'files' and 'models'")
    files = _string_map(document, "files", path)
    models = _string_map(document, "models", path)
    wrong = sorted(model for model, plan in models.items() if plan not in PLANS)
    if wrong:
        raise CatalogError(f"{path}: models {wrong} need a plan out of {PLANS}")
    return Catalog(files=files, models=cast(dict[str, Plan], models))


def load_catalog(settings: MockSettings) -> Catalog:
    seed = read_catalog(settings.catalog_path)
    return Catalog(
        files={**seed.files, **settings.extra_files},
        models={**seed.models, **settings.extra_models},
    )
