#!/usr/bin/env bash
# Make sure Debian's `chromium` is installed: the docs browser test (contract_tests/test_docs) opens
# site/index.html in it. Quiet when chromium is already there; installs it with apt-get otherwise.
# Usage: bash scripts/ensure_chromium.sh   (root, or sudo without a password, for the install)
set -euo pipefail

CHROMIUM="${MEDUX_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available; install Chromium" \
        "with your package manager and set MEDUX_CHROMIUM to its path" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "ensure_chromium: $CHROMIUM is missing; run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

echo "ensure_chromium: installing Debian's chromium with apt-get (one time)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure_chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
