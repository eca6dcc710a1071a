"""The command line: options become settings; bad options end with a usage message, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medux_contract.mock import DEFAULT_PAID_TEST_KEY, DEFAULT_TEST_KEY, MockSettings
from medux_contract.mock.cli import main, parser, settings_from

DEFAULTS = MockSettings()


def settings_for(*argv: str) -> MockSettings:
    return settings_from(parser().parse_args(list(argv)))


def test_no_options_give_the_default_settings() -> None:
    settings = settings_for()
    assert settings.api_keys == DEFAULTS.api_keys
    assert (settings.status_mode, settings.credits, settings.asset_limit) == (
        DEFAULTS.status_mode,
        DEFAULTS.credits,
        DEFAULTS.asset_limit,
    )
    assert (settings.rate_limit_burst, settings.rate_limit_per_second) == (
        DEFAULTS.rate_limit_burst,
        DEFAULTS.rate_limit_per_second,
    )


def test_options_become_settings() -> None:
    settings = settings_for(
        "--status-mode=mapped",
        "--credits=unlimited",
        "--asset-limit=3",
        "--rate-limit=5/2.5",
        "--max-body-bytes=100",
        "--api-key=k_free",
        "--paid-api-key=k_paid",
        "--seed-assets=7",
        "--spec=other.yaml",
    )
    assert settings.status_mode == "mapped"
    assert (settings.credits, settings.asset_limit) == (None, 3)
    assert (settings.rate_limit_burst, settings.rate_limit_per_second) == (5, 2.5)
    assert settings.max_body_bytes == 100
    assert settings.api_keys == {"k_free": "free", "k_paid": "paid"}
    assert (settings.seed_assets, settings.spec) == (7, Path("other.yaml"))


def test_peer_bounds_become_settings() -> None:
    settings = settings_for(
        "--header-timeout=0.5",
        "--body-timeout=2",
        "--keep-alive-timeout=1.5",
        "--max-header-bytes=4096",
        "--max-header-count=20",
        "--max-connections=64",
    )
    assert (settings.header_timeout, settings.body_timeout, settings.keep_alive_timeout) == (0.5, 2, 1.5)
    assert (settings.max_header_bytes, settings.max_header_count, settings.max_connections) == (4096, 20, 64)


def test_rate_limit_off_disables_the_bucket() -> None:
    assert settings_for("--rate-limit", "off").rate_limit_burst is None


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--credits", "-1"], "non-negative integer"),
        (["--rate-limit", "fast"], "BURST/PER_SECOND"),
        (["--rate-limit", "0/1"], "BURST/PER_SECOND"),
        (["--status-mode", "all-500"], "invalid choice"),
        (["--max-body-bytes", "0"], "max_body_bytes"),
        (["--catalog", "/nonexistent/catalog.json"], "cannot be read"),
        (["--api-key", "has space"], r"api_keys\[0\]"),
        (["--seed-assets", "unlimited"], "non-negative integer"),
        (["--seed-assets", "-3"], "non-negative integer"),
        (["--spec", "/nonexistent/openapi.yaml"], "cannot be read"),
        (["--header-timeout", "0"], "positive number of seconds"),
        (["--body-timeout", "soon"], "positive number of seconds"),
        (["--keep-alive-timeout", "inf"], "positive number of seconds"),
        (["--max-header-bytes", "0"], "positive integer"),
        (["--max-connections", "unlimited"], "positive integer"),
    ],
)
def test_bad_option_exits_2_with_a_message(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--port", "0", *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(complaint, err), err


def test_catalog_option_is_used(tmp_path: Path) -> None:
    catalog = tmp_path / "c.json"
    assert settings_for("--catalog", str(catalog)).catalog_path == catalog


def test_help_names_the_default_test_keys() -> None:
    text = " ".join(parser().format_help().split())
    assert f"{DEFAULT_TEST_KEY} (free)" in text
    assert f"{DEFAULT_PAID_TEST_KEY} (paid)" in text
