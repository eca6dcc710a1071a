"""Settings are checked when made, with a message that says which one is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from medux_contract.mock import MockSettings


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"api_keys": {}}, "at least one key"),
        ({"status_mode": "all-500"}, "status_mode"),
        ({"credits": -1}, "credits"),
        ({"credits": True}, "credits"),
        ({"asset_limit": 1.5}, "asset_limit"),
        ({"rate_limit_burst": 0}, "rate_limit_burst"),
        ({"rate_limit_per_second": 0}, "rate_limit_per_second"),
        ({"max_body_bytes": 0}, "max_body_bytes"),
        ({"extra_models": {"m": "gold"}}, "extra_models"),
        ({"seed_assets": -1}, "seed_assets"),
        ({"seed_assets": True}, "seed_assets"),
        ({"header_timeout": 0}, "header_timeout"),
        ({"body_timeout": -1.0}, "body_timeout"),
        ({"keep_alive_timeout": float("nan")}, "keep_alive_timeout"),
        ({"max_header_bytes": 0}, "max_header_bytes"),
        ({"max_header_count": True}, "max_header_count"),
        ({"max_connections": 0}, "max_connections"),
    ],
)
def test_invalid_setting_is_refused_by_name(overrides: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        MockSettings(**overrides)


def test_unlimited_is_spelled_none() -> None:
    settings = MockSettings(credits=None, asset_limit=None, rate_limit_burst=None)
    assert (settings.credits, settings.asset_limit, settings.rate_limit_burst) == (None, None, None)
