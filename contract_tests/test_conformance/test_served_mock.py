"""`make conformance MEDUX_BASE_URL=http://127.0.0.1:<port> MEDUX_API_KEY=...` against the mock
served by `make mock` (its real entry point, as a subprocess on a free loopback port)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from medux_contract.conformance.run_config import HAR_FILE, JUNIT_FILE
from medux_contract.loopback import free_port, wait_until_listening
from medux_contract.spec import REPO_ROOT

STARTUP_SECONDS = 15.0
RUN_TIMEOUT_SECONDS = 120


def test_conformance_entry_point_passes_on_the_served_mock_and_never_shows_the_key(tmp_path: Path) -> None:
    canary = "sk_canary_" + secrets.token_hex(12)
    port = free_port()
    clean = {name: value for name, value in os.environ.items() if not name.startswith("MEDUX_")}
    mock = subprocess.Popen(
        [sys.executable, "-m", "medux_contract.mock", "--port", str(port), "--api-key", canary],
        cwd=REPO_ROOT,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_listening(mock, port, STARTUP_SECONDS)
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "scripts.conformance",
                "--max-examples",
                "5",
                "--reports-dir",
                str(tmp_path),
            ],
            cwd=REPO_ROOT,
            env={**clean, "MEDUX_BASE_URL": f"http://127.0.0.1:{port}", "MEDUX_API_KEY": canary},
            capture_output=True,
            text=True,
            check=False,
            timeout=RUN_TIMEOUT_SECONDS,
        )
    finally:
        mock.send_signal(signal.SIGINT)
        mock_log = mock.communicate(timeout=STARTUP_SECONDS)[0]
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert f"conformance: PASSED (http://127.0.0.1:{port})" in output
    assert "(loopback: no billing guard" in output
    assert (tmp_path / "server" / JUNIT_FILE).is_file()
    assert (tmp_path / "server" / HAR_FILE).is_file()
    assert "POST /api/app/v1/clone/avatar/by_image" in mock_log, "the mock logged no request"
    assert canary not in output
    assert canary not in mock_log
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert canary not in path.read_text(encoding="utf-8", errors="replace"), path
