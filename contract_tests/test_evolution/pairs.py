"""The spec fixture pairs: ``fixtures/<rule-id>/old.yaml`` and ``new.yaml``, one pair per rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from medux_contract.spec import read_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pair_paths(rule_id: str) -> tuple[Path, Path]:
    return FIXTURES / rule_id / "old.yaml", FIXTURES / rule_id / "new.yaml"


def load_pair(rule_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = pair_paths(rule_id)
    return read_spec(old), read_spec(new)


def with_version(spec: dict[str, Any], version: str) -> dict[str, Any]:
    bumped = copy.deepcopy(spec)
    bumped["info"]["version"] = version
    return bumped
