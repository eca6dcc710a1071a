"""The runner's own failure modes end with a clear message and a non-zero status, not a traceback."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from medux_contract.conformance import cli as conformance
from medux_contract.conformance.live_policy import LivePolicy
from medux_contract.conformance.runner import EXIT_VIOLATIONS, SUITE_MODULE, UrlTarget, run_suite
from medux_contract.loopback import free_port
from medux_contract.mock import DEFAULT_TEST_KEY


def test_unreachable_server_fails_the_run_with_a_clear_reason(tmp_path: Path) -> None:
    lines: list[str] = []
    url = f"http://127.0.0.1:{free_port()}"
    result = run_suite(
        UrlTarget(url, DEFAULT_TEST_KEY, LivePolicy(remote=False)), reports_dir=tmp_path, say=lines.append
    )
    output = "\n".join(lines)
    assert result.exit_code == EXIT_VIOLATIONS
    assert "cannot reach the server (ConnectionError); is it running at that URL?" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("url", ["ftp://example.com", "example.com", "http://", "localhost:4010"])
def test_unusable_base_url_is_a_settings_error(url: str, tmp_path: Path) -> None:
    lines: list[str] = []
    exit_code = conformance.main(
        ["--reports-dir", str(tmp_path)], env={"MEDUX_BASE_URL": url}, say=lines.append
    )
    assert exit_code == conformance.EXIT_SETTINGS
    assert lines == [f"conformance: MEDUX_BASE_URL must be an http(s) URL with a host, got {url!r}"]


def test_unusable_live_setting_is_a_settings_error(tmp_path: Path) -> None:
    lines: list[str] = []
    env = {"MEDUX_BASE_URL": "https://api.medux.io", "MEDUX_MAX_RPS": "fast"}
    exit_code = conformance.main(["--reports-dir", str(tmp_path)], env=env, say=lines.append)
    assert exit_code == conformance.EXIT_SETTINGS
    assert lines == ["conformance: MEDUX_MAX_RPS must be a positive number, got 'fast'"]


def test_suite_module_without_a_run_says_how_to_run_it() -> None:
    sys.modules.pop(SUITE_MODULE, None)
    with pytest.raises(RuntimeError, match=r"make conformance"):
        importlib.import_module(SUITE_MODULE)
