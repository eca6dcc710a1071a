"""A canary key never appears in anything a run produces: its printed summary (with failure
reproductions), pytest's and schemathesis's output, logs, JUnit XML or the HAR cassette."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from pathlib import Path

import pytest

from contract_tests.test_conformance.broken_servers import BROKEN_SERVERS, RewriteScope
from medux_contract.conformance import cli as conformance
from medux_contract.conformance import runner
from medux_contract.conformance.runner import InProcessTarget, run_suite
from medux_contract.conformance.targets import embedded_mock_settings
from medux_contract.mock import create_app


def canary() -> str:
    return "sk_canary_" + secrets.token_hex(12)


def assert_absent(key: str, texts: list[str], reports: Path) -> None:
    for text in texts:
        assert key not in text
    files = [path for path in reports.rglob("*") if path.is_file()]
    assert files, "the run wrote no report"
    for path in files:
        assert key not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.parametrize("name", ["wrong-message", "success-without-credentials"])
def test_failing_run_reports_reproductions_without_the_key(
    name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    key = canary()
    caplog.set_level(logging.DEBUG)
    server = next(broken for broken in BROKEN_SERVERS if broken.name == name)
    lines: list[str] = []
    result = run_suite(
        InProcessTarget(name, server.app(key=key), key), reports_dir=tmp_path, say=lines.append
    )
    assert not result.passed
    summary = "\n".join(lines)
    assert "reproduce: curl" in summary
    assert "Authorization: [Filtered]" in summary
    out, err = capfd.readouterr()
    assert_absent(key, [summary, out, err, caplog.text], tmp_path)


def test_passing_run_on_the_embedded_mock_keeps_the_key_out(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    key = canary()
    caplog.set_level(logging.DEBUG)
    lines: list[str] = []
    exit_code = conformance.main(
        ["--reports-dir", str(tmp_path), "--status-mode", "mapped"],
        env={"MEDUX_API_KEY": key},
        say=lines.append,
    )
    assert exit_code == 0, "\n".join(lines)
    out, err = capfd.readouterr()
    assert_absent(key, ["\n".join(lines), out, err, caplog.text], tmp_path)
    har = (tmp_path / "mock-mapped").glob("*.har.json")
    assert any('"Authorization", "value": "[Filtered]"' in path.read_text(encoding="utf-8") for path in har)


def test_schemathesis_sanitizes_the_cassette_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = canary()
    monkeypatch.setattr(runner, "scrub_reports", lambda reports_dir, key: None)
    server = next(broken for broken in BROKEN_SERVERS if broken.name == "wrong-message")
    run_suite(
        InProcessTarget("no scrub", server.app(key=key), key), reports_dir=tmp_path, say=lambda line: None
    )
    assert_absent(key, [], tmp_path)


def test_scrub_removes_a_key_that_reached_a_report(tmp_path: Path) -> None:
    key = canary()
    report = tmp_path / "nested" / "report.json"
    report.parent.mkdir()
    report.write_text(f'{{"Authorization": "Bearer {key}"}}', encoding="utf-8")
    runner.scrub_reports(tmp_path, key)
    assert report.read_text(encoding="utf-8") == '{"Authorization": "Bearer [Filtered]"}'


def test_second_key_stays_out_of_a_run_that_fails_on_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    key, second = canary(), canary()
    caplog.set_level(logging.DEBUG)
    settings = embedded_mock_settings("all-200", key)
    app = create_app(replace(settings, api_keys={key: "free", second: "free"}))
    # The list answers the second key as if it were the first: the rule that keys never share fails.
    shares = RewriteScope(
        app,
        lambda scope: {
            **scope,
            "headers": [
                (k, f"Bearer {key}".encode() if v == f"Bearer {second}".encode() else v)
                for k, v in scope["headers"]
            ],
        },
    )
    lines: list[str] = []
    result = run_suite(
        InProcessTarget("shares assets", shares, key, second),
        reports_dir=tmp_path,
        max_examples=5,
        say=lines.append,
    )
    assert result.tally.failed_checks == ["other_keys_never_see_them"], lines
    out, err = capfd.readouterr()
    for secret in (key, second):
        assert_absent(secret, ["\n".join(lines), out, err, caplog.text, repr(result)], tmp_path)
