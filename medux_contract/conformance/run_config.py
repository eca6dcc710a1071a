"""The schemathesis configuration of one run: the committed ``schemathesis.toml`` plus the few
values that depend on the run (its key, where reports go, example counts).

Keeping the file as the base is what makes ``make conformance`` and the schemathesis CLI judge
alike; everything layered here is listed in :func:`build_config`.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemathesis.config import SchemathesisConfig

from medux_contract.spec import REPO_ROOT, SpecError, load_spec

CONFIG_PATH = REPO_ROOT / "schemathesis.toml"
JUNIT_FILE = "junit.xml"
HAR_FILE = "cassette.har.json"


@dataclass(frozen=True)
class RunOptions:
    key: str | None
    reports_dir: Path
    base_url: str | None = None
    max_examples: int | None = None
    remote: bool = False
    seed: int | None = None


def bearer_scheme_name() -> str:
    """The spec's HTTP bearer security scheme: where schemathesis puts the run's key."""
    schemes = load_spec().get("components", {}).get("securitySchemes", {})
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and scheme.get("type") == "http" and scheme.get("scheme") == "bearer":
            return str(name)
    raise SpecError("the spec declares no HTTP bearer security scheme")


def load_base(path: Path = CONFIG_PATH) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def build_config(options: RunOptions, base: dict[str, Any] | None = None) -> SchemathesisConfig:
    data = copy.deepcopy(base if base is not None else load_base())
    # The key replaces the `${MEDUX_API_KEY}` placeholder; without a key, no credentials are configured.
    auth = data.setdefault("auth", {}).setdefault("openapi", {})
    if options.key:
        auth[bearer_scheme_name()] = {"bearer": options.key}
    else:
        auth.pop(bearer_scheme_name(), None)
        if not auth:
            data["auth"].pop("openapi")
    reports = data.setdefault("reports", {})
    reports["directory"] = str(options.reports_dir)
    # JUnit is written by the runner (medux_contract/conformance/reports.py), one case per check and
    # operation: the run records failures instead of failing tests, so schemathesis's would read green.
    reports.setdefault("junit", {})["enabled"] = False
    reports.setdefault("har", {})["path"] = str(options.reports_dir / HAR_FILE)
    generation = data.setdefault("generation", {})
    if options.max_examples is not None:
        generation["max-examples"] = options.max_examples
    if options.remote:
        # Against a real server: every request counts, so no shrinking (it re-sends failing requests)
        # and no probing of HTTP methods the contract does not define.
        generation["no-shrink"] = True
        data.setdefault("phases", {}).setdefault("coverage", {})["unexpected-methods"] = []
    if options.base_url is not None:
        data["base-url"] = options.base_url
    if options.seed is not None:
        data["seed"] = options.seed
    return SchemathesisConfig.from_dict(data, base_dir=str(REPO_ROOT))
