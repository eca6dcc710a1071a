"""The browser of the docs browser test: find, or unpack, a Chromium that starts here.

`make` and `make test` run this as their `browser` step, before pytest; the browser test's fixture
calls :func:`find_chromium` too, so a plain `pytest` finds the same browser. Where it comes from,
the first that applies:

1. ``MEDUX_CHROMIUM``, when set: the user's choice, used as it is and never silently replaced.
2. The pinned npm package ``@sparticuz/chromium`` (``package-lock.json``; ``npm ci`` brings it): a
   Linux x86_64 Chromium headless shell shipped brotli-compressed inside the package, with the NSS
   libraries and a font it needs. It is unpacked once into ``.tools/chromium/<version>/`` and started
   through a wrapper that points it at them, so it needs no root and nothing from the system.
3. Debian's ``/usr/bin/chromium``.

Otherwise it fails with one line that says what to run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from medux_contract.spec import REPO_ROOT

PACKAGE = "@sparticuz/chromium"
# Set by scripts/pipeline.py for the steps after a failed `browser` step: the browser tests then skip
# with one reason, since that step has already failed the run and said what to run.
UNAVAILABLE_FLAG = "MEDUX_BROWSER_UNAVAILABLE"
# The only build the package ships (its bin/ holds no arm64 or other-OS build).
PACKAGE_PLATFORM = "linux-x86_64"
INSTALL_HINT = "run `apt-get install chromium` as root, or set MEDUX_CHROMIUM to a Chromium binary"
START_TIMEOUT_S = 30

# Streams the brotli file argv[1] into argv[2]: Node.js (a prerequisite already) has brotli built in,
# Python's standard library does not.
_INFLATE_JS = """
const fs = require("fs"), zlib = require("zlib"), { pipeline } = require("stream");
const [source, target] = process.argv.slice(1);
pipeline(fs.createReadStream(source), zlib.createBrotliDecompress(), fs.createWriteStream(target),
  (error) => { if (error) { console.error(error.message); process.exit(1); } });
"""
# The system's fonts where it has a font setup, plus the package's Open Sans for a machine with none
# (a fresh Debian has no fonts); the package's own fonts.conf names Lambda's paths. Absolute paths:
# the headless shell's fontconfig takes a relative cachedir from the working directory.
_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{home}/fonts</dir>
  <cachedir>{home}/fontconfig-cache</cachedir>
</fontconfig>
"""
_WRAPPER = """#!/bin/sh
# Written by medux_contract/docs/browser.py: the headless shell of {package} {version}, started with the NSS
# libraries and fonts unpacked beside it (a fresh Debian has neither libnss3 nor fonts).
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
export LD_LIBRARY_PATH="$here/lib${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}"
export FONTCONFIG_FILE="$here/fonts.conf"
exec "$here/headless_shell" "$@"
"""


class BrowserUnavailable(Exception):
    """No Chromium starts here; the message is the one line to show."""


@dataclass(frozen=True)
class Found:
    path: Path
    version: str
    source: str


@dataclass(frozen=True)
class Sources:
    """Where to look, in order (tests point these at temporary directories)."""

    explicit: str | None = field(default_factory=lambda: os.environ.get("MEDUX_CHROMIUM") or None)
    package: Path = REPO_ROOT / "node_modules" / "@sparticuz" / "chromium"
    unpack_root: Path = REPO_ROOT / ".tools" / "chromium"
    system: Path = Path("/usr/bin/chromium")
    platform: str = f"{sys.platform}-{platform.machine()}"


def find_chromium(sources: Sources | None = None) -> Found:
    """The first browser of :class:`Sources` that starts here; :class:`BrowserUnavailable` if none."""
    sources = sources or Sources()
    if sources.explicit is not None:
        explicit = Path(sources.explicit)
        version, problem = _start(explicit)
        if problem:
            raise BrowserUnavailable(
                f"MEDUX_CHROMIUM={explicit} {problem}: point it at a Chromium that starts here, "
                "or unset it to use the pinned browser"
            )
        return Found(explicit, version, "MEDUX_CHROMIUM")
    try:
        return _pinned(sources)
    except BrowserUnavailable as pinned_problem:
        version, problem = _start(sources.system)
        if not problem:
            return Found(sources.system, version, "Debian's chromium")
        raise BrowserUnavailable(
            f"no Chromium for the docs browser test: {pinned_problem}, and {sources.system} {problem}; "
            f"{INSTALL_HINT}"
        ) from None


def _pinned(sources: Sources) -> Found:
    manifest = sources.package / "package.json"
    if not manifest.is_file():
        raise BrowserUnavailable(f"{PACKAGE} is not in node_modules (`npm ci` installs it)")
    if sources.platform != PACKAGE_PLATFORM:
        raise BrowserUnavailable(
            f"{PACKAGE} ships a {PACKAGE_PLATFORM} build only, this is {sources.platform}"
        )
    release = str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    target = sources.unpack_root / release
    wrapper = target / "chromium"
    if not wrapper.is_file():
        try:
            _unpack(sources.package / "bin", target, release)
        except (OSError, tarfile.TarError) as error:
            raise BrowserUnavailable(f"{PACKAGE} {release} could not be unpacked ({error})") from None
    version, problem = _start(wrapper)
    if problem:
        raise BrowserUnavailable(f"{PACKAGE} {release} {problem}")
    return Found(wrapper, version, f"the pinned {PACKAGE} {release}")


def _unpack(package_bin: Path, target: Path, release: str) -> None:
    """Unpack into a scratch directory beside ``target``, then rename it: an interrupted unpack
    never leaves a half browser where the next run would take it for a whole one."""
    node = shutil.which("node")
    if node is None:
        raise BrowserUnavailable(f"unpacking {PACKAGE} needs Node.js, and `node` is not on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{release}-", dir=target.parent))
    stage.chmod(0o755)  # mkdtemp's 0700 would hide the browser from other users of the checkout
    try:
        _inflate(node, package_bin / "chromium.br", stage / "headless_shell")
        (stage / "headless_shell").chmod(0o755)
        for archive in ("al2023.tar.br", "fonts.tar.br"):  # lib/ (NSS); fonts/ (and a fonts.conf)
            tar = stage / "archive.tar"
            _inflate(node, package_bin / archive, tar)
            with tarfile.open(tar) as contents:
                _extract(contents, stage)
            tar.unlink()
        (stage / "fonts.conf").write_text(
            _FONTS_CONF.format(home=escape(str(target.resolve()))), encoding="utf-8"
        )
        (stage / "chromium").write_text(_WRAPPER.format(package=PACKAGE, version=release), encoding="utf-8")
        (stage / "chromium").chmod(0o755)
        try:
            stage.rename(target)
        except OSError:
            if not (target / "chromium").is_file():  # another run did not just unpack the same
                raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _inflate(node: str, source: Path, target: Path) -> None:
    result = subprocess.run(
        [node, "-e", _INFLATE_JS, str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
        raise BrowserUnavailable(f"{PACKAGE}: could not unpack {source.name} ({detail[0]})")


def _extract(contents: tarfile.TarFile, into: Path) -> None:
    # The "data" filter (refuses absolute paths, links out of the tree) exists from Python 3.11.4.
    if hasattr(tarfile, "data_filter"):
        contents.extractall(into, filter="data")
    else:  # Python 3.11.0 to 3.11.3
        contents.extractall(into)


def _start(path: Path) -> tuple[str, str]:
    """(version, "") when ``path --version`` runs; ("", why not) otherwise. It proves the binary and
    every library it links load here; Playwright's launch in the test proves the rest."""
    if not path.is_file():
        return "", "is missing"
    if not os.access(path, os.X_OK):
        return "", "is not executable"
    try:
        result = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return "", f"did not answer --version within {START_TIMEOUT_S} s"
    except OSError as error:
        return "", f"fails to start ({error.strerror or error})"
    output = (result.stdout + result.stderr).strip().splitlines()
    if result.returncode != 0:
        return "", f"fails to start ({output[-1] if output else f'exit {result.returncode}'})"
    return (output[0] if output else "unknown version"), ""


def main() -> int:
    try:
        found = find_chromium()
    except BrowserUnavailable as error:
        print(f"browser: {error}", file=sys.stderr)
        return 1
    shown = found.path.relative_to(REPO_ROOT) if found.path.is_relative_to(REPO_ROOT) else found.path
    print(f"browser: {found.version} ({found.source}, {shown})")
    return 0
