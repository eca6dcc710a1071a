"""Which server a run judges, from the MEDUX_* environment: the embedded mock by default, any URL
when ``MEDUX_BASE_URL`` is set. ``MEDUX_SECOND_API_KEY`` (optional) is a second key of another
account, for the rule that one key never sees another's assets; the embedded mock gets one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from medux_contract.conformance.live_policy import IsLocal, LivePolicy, PolicyError, is_loopback_url
from medux_contract.conformance.runner import InProcessTarget, Target, UrlTarget
from medux_contract.mock import DEFAULT_TEST_KEY, MockSettings, Plan, StatusMode, create_app
from medux_contract.spec import Contract

STATUS_MODES: tuple[StatusMode, ...] = ("all-200", "mapped")
SECOND_TEST_KEY = "sk_test_conformance_second_account"
"""The embedded mock's second account, for the rule that keys never see each other's assets."""
SEEDED_ASSETS = 5
"""Assets each of the mock's keys holds from the start, so paging spans several pages at once."""
REMOTE_MAX_EXAMPLES = 10
"""Fuzzing examples against a remote server: each one is a real request (the default is in
schemathesis.toml)."""


@dataclass(frozen=True)
class Planned:
    target: Target
    reports_name: str
    max_examples: int | None


def embedded_mock_settings(
    status_mode: StatusMode, key: str | None = None, spec: Path | Contract | None = None
) -> MockSettings:
    """The mock as the suite judges it: its account limits lifted, a second account, a few assets
    held from the start, serving ``spec`` (``openapi.yaml`` by default).

    Credits, asset limits and its rate limit are the mock's own behaviour (its tests prove them);
    left on, they would answer most of a long run with 1401/1406/16 and leave the contract's other
    paths unexercised.
    """
    settings = MockSettings(
        status_mode=status_mode,
        credits=None,
        asset_limit=None,
        rate_limit_burst=None,
        spec=spec,
        seed_assets=SEEDED_ASSETS,
    )
    keys: dict[str, Plan] = {**({key: "free"} if key else settings.api_keys), SECOND_TEST_KEY: "free"}
    return replace(settings, api_keys=keys)


def embedded_mock(
    status_mode: StatusMode, key: str | None = None, spec: Path | Contract | None = None
) -> InProcessTarget:
    app = create_app(embedded_mock_settings(status_mode, key, spec))
    label = f"embedded mock, status mode {status_mode}"
    return InProcessTarget(label, app, key or DEFAULT_TEST_KEY, SECOND_TEST_KEY, chooses_outcomes=True)


def plan_targets(
    env: Mapping[str, str],
    status_modes: tuple[StatusMode, ...] = STATUS_MODES,
    is_local: IsLocal = is_loopback_url,
) -> list[Planned]:
    """The runs to make; :class:`PolicyError` (a clear message) for unusable settings."""
    key = env.get("MEDUX_API_KEY", "").strip() or None
    base_url = env.get("MEDUX_BASE_URL", "").strip()
    if not base_url:
        return [Planned(embedded_mock(mode, key), f"mock-{mode}", None) for mode in status_modes]
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PolicyError(f"MEDUX_BASE_URL must be an http(s) URL with a host, got {base_url!r}")
    policy = LivePolicy.from_env(env, base_url, is_local=is_local)
    return [
        Planned(
            UrlTarget(base_url.rstrip("/"), key, policy, env.get("MEDUX_SECOND_API_KEY", "").strip() or None),
            "server",
            REMOTE_MAX_EXAMPLES if policy.remote else None,
        )
    ]
