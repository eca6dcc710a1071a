"""The `browser` step (medux_contract/docs/browser.py): which Chromium the docs test gets, one line when none.

The pinned npm package is stood in for by a tiny fake with the same layout (brotli files in bin/),
whose "browser" is a shell script; Debian's chromium by a path in a temporary directory. So these
tests never depend on what this machine has installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from medux_contract.docs.browser import PACKAGE_PLATFORM, BrowserUnavailable, Sources, find_chromium
from medux_contract.pipeline import PY, STEPS, Step, run
from medux_contract.spec import REPO_ROOT

FAKE_VERSION = "0.0.0-fake"
FAKE_BROWSER = """#!/bin/sh
if [ "$1" = --env ]; then echo "$LD_LIBRARY_PATH|$FONTCONFIG_FILE"; else echo "Chromium 1.2.3 (fake)"; fi
"""
BROKEN_BROWSER = """#!/bin/sh
echo "headless_shell: error while loading shared libraries: libnss3.so" >&2
exit 127
"""


def brotli(source: bytes, target: Path) -> None:
    """Compress as the package does; Node.js (a prerequisite) has brotli built in."""
    script = (
        "const fs = require('fs');"
        "fs.writeFileSync(process.argv[1], require('zlib').brotliCompressSync(fs.readFileSync(0)))"
    )
    subprocess.run(["node", "-e", script, str(target)], input=source, check=True)


def tar_of(directory: Path, files: dict[str, bytes]) -> bytes:
    for name, data in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
    archive = directory.with_suffix(".tar")
    with tarfile.open(archive, "w") as contents:
        for name in files:
            contents.add(directory / name, arcname=name)
    return archive.read_bytes()


def fake_package(root: Path, browser: str = FAKE_BROWSER) -> Path:
    package = root / "node_modules" / "@sparticuz" / "chromium"
    (package / "bin").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": FAKE_VERSION}), encoding="utf-8")
    brotli(browser.encode(), package / "bin" / "chromium.br")
    libs = tar_of(root / "al2023", {"lib/libnss3.so": b""})
    brotli(libs, package / "bin" / "al2023.tar.br")
    fonts = tar_of(
        root / "fonts", {"fonts.conf": b"<fontconfig/>", "fonts/Open_Sans/OpenSans-Regular.ttf": b""}
    )
    brotli(fonts, package / "bin" / "fonts.tar.br")
    return package


def system_chromium(directory: Path) -> Path:
    path = directory / "usr-bin-chromium"
    path.write_text('#!/bin/sh\necho "Chromium 9.9.9 built on Debian"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def sources(tmp_path: Path, **changes: Any) -> Sources:
    """Nothing to find unless a test says otherwise: no package, no system chromium, no MEDUX_CHROMIUM."""
    nothing = Sources(
        explicit=None,
        package=tmp_path / "no-package",
        unpack_root=tmp_path / ".tools" / "chromium",
        system=tmp_path / "no-system-chromium",
        platform=PACKAGE_PLATFORM,
    )
    return replace(nothing, **changes)


def test_the_pinned_browser_is_unpacked_once_and_started_with_its_own_libraries_and_fonts(
    tmp_path: Path,
) -> None:
    package = fake_package(tmp_path)
    where = sources(tmp_path, package=package, system=system_chromium(tmp_path))

    found = find_chromium(where)

    unpacked = tmp_path / ".tools" / "chromium" / FAKE_VERSION
    assert (found.path, found.version) == (unpacked / "chromium", "Chromium 1.2.3 (fake)")
    assert found.source == f"the pinned @sparticuz/chromium {FAKE_VERSION}"
    seen = subprocess.run([found.path, "--env"], capture_output=True, text=True, check=True).stdout
    assert seen.strip() == f"{unpacked / 'lib'}|{unpacked / 'fonts.conf'}"
    assert (unpacked / "lib" / "libnss3.so").is_file()
    assert (unpacked / "fonts" / "Open_Sans" / "OpenSans-Regular.ttf").is_file()
    fonts_conf = (unpacked / "fonts.conf").read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in fonts_conf
    assert f"<dir>{unpacked / 'fonts'}</dir>" in fonts_conf
    # Unpacked once: the next run takes the unpacked copy without reading the archives again.
    shutil.rmtree(package / "bin")
    assert find_chromium(where) == found


def test_a_pinned_build_for_another_platform_falls_back_to_debians_chromium(tmp_path: Path) -> None:
    system = system_chromium(tmp_path)
    found = find_chromium(
        sources(tmp_path, package=fake_package(tmp_path), system=system, platform="linux-aarch64")
    )
    assert (found.path, found.version, found.source) == (
        system,
        "Chromium 9.9.9 built on Debian",
        "Debian's chromium",
    )
    assert not (tmp_path / ".tools").exists()


def test_without_any_browser_one_line_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable) as raised:
        find_chromium(sources(tmp_path))
    message = str(raised.value)
    assert "\n" not in message
    assert "@sparticuz/chromium is not in node_modules (`npm ci` installs it)" in message
    assert f"{tmp_path / 'no-system-chromium'} is missing" in message
    assert "run `apt-get install chromium` as root, or set MEDUX_CHROMIUM" in message


def test_a_pinned_browser_that_fails_to_start_says_why(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable) as raised:
        find_chromium(sources(tmp_path, package=fake_package(tmp_path, BROKEN_BROWSER)))
    message = str(raised.value)
    assert "\n" not in message
    assert f"@sparticuz/chromium {FAKE_VERSION} fails to start" in message
    assert "libnss3.so" in message
    assert "apt-get install chromium" in message


def test_an_explicit_medux_chromium_is_never_replaced_by_another_browser(tmp_path: Path) -> None:
    chosen = tmp_path / "my-chromium"
    where = sources(
        tmp_path, explicit=str(chosen), package=fake_package(tmp_path), system=system_chromium(tmp_path)
    )
    with pytest.raises(BrowserUnavailable, match=re.escape(f"MEDUX_CHROMIUM={chosen} is missing")):
        find_chromium(where)
    system = system_chromium(tmp_path)
    assert find_chromium(sources(tmp_path, explicit=str(system))).source == "MEDUX_CHROMIUM"


def test_the_browser_step_with_no_browser_prints_one_line_and_fails() -> None:
    env = {"PATH": "/usr/bin:/bin", "MEDUX_CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run(
        [sys.executable, "-m", "scripts.browser"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "browser: MEDUX_CHROMIUM=/nonexistent/chromium is missing: point it at a Chromium that starts "
        "here, or unset it to use the pinned browser"
    ]


def test_without_a_browser_the_pipeline_fails_one_step_and_skips_the_browser_tests(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEDUX_CHROMIUM", "/nonexistent/chromium")
    tests = (
        "contract_tests/test_docs/test_browser.py",
        "contract_tests/test_generation/test_pipeline.py::test_all_steps_passing_exits_zero",
    )
    pytest_step = Step("pytest", (PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests))

    assert run("test", [STEPS["browser"], pytest_step]) == 1

    out, err = capfd.readouterr()
    assert "browser: MEDUX_CHROMIUM=/nonexistent/chromium is missing" in err
    assert "FAIL  browser" in out
    assert "PASS  pytest" in out
    assert "test: FAILED: browser" in out
    # One line for the browser tests, not one error and traceback each; the other tests still run.
    skipped = r"^SKIPPED \[1\] contract_tests/test_docs/test_browser.py:\d+: no browser: the `browser` step"
    assert re.search(skipped, out, re.MULTILINE)
    assert re.search(r"^1 passed, 1 skipped in ", out, re.MULTILINE)
    assert "Traceback" not in out + err
