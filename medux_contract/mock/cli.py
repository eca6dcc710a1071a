"""``python -m medux_contract.mock``: serve the mock with uvicorn (the ``make mock`` target).

Ctrl-C stops it after uvicorn's graceful shutdown, with exit status 0 and no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import sys
from dataclasses import replace
from pathlib import Path

import uvicorn

from medux_contract.mock.app import create_app
from medux_contract.mock.catalog import CatalogError
from medux_contract.mock.server import uvicorn_options
from medux_contract.mock.settings import (
    DEFAULT_CATALOG_PATH,
    STATUS_MODES,
    MockSettings,
    Plan,
)
from medux_contract.spec import SpecError

DEFAULTS = MockSettings()


def _limit(text: str) -> int | None:
    if text.lower() in ("unlimited", "none", "off"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer or 'unlimited', got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer or 'unlimited', got {text!r}")
    return value


def _count(text: str) -> int:
    value = _limit(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _positive(text: str) -> int:
    value = _limit(text)
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _rate(text: str) -> tuple[int, float] | None:
    if text.lower() in ("off", "none", "unlimited"):
        return None
    burst, sep, per_second = text.partition("/")
    try:
        parsed = (int(burst), float(per_second)) if sep else None
    except ValueError:
        parsed = None
    if parsed is None or parsed[0] < 1 or not parsed[1] > 0:
        raise argparse.ArgumentTypeError(f"expected BURST/PER_SECOND (e.g. 20/10) or 'off', got {text!r}")
    return parsed


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m medux_contract.mock",
        description="Serve the embedded Medux mock (spec-driven) with uvicorn. Ctrl-C stops it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=4010, help="port to bind (default: %(default)s)")
    p.add_argument(
        "--status-mode",
        choices=STATUS_MODES,
        default=DEFAULTS.status_mode,
        help="HTTP status of envelopes: all-200, or each code's mock_http_status (default: %(default)s)",
    )
    default_keys = ", ".join(f"{key} ({plan})" for key, plan in DEFAULTS.api_keys.items())
    p.add_argument(
        "--api-key",
        action="append",
        metavar="KEY",
        help=f"accept KEY on the free plan (repeatable; replaces the default keys: {default_keys})",
    )
    p.add_argument(
        "--paid-api-key",
        action="append",
        metavar="KEY",
        help="accept KEY on the paid plan (repeatable; replaces the default keys)",
    )
    p.add_argument(
        "--credits",
        type=_limit,
        default=DEFAULTS.credits,
        help="credits per key, or 'unlimited' (default: %(default)s)",
    )
    p.add_argument(
        "--asset-limit",
        type=_limit,
        default=DEFAULTS.asset_limit,
        help="assets per key, or 'unlimited' (default: %(default)s)",
    )
    p.add_argument(
        "--rate-limit",
        type=_rate,
        default=(DEFAULTS.rate_limit_burst, DEFAULTS.rate_limit_per_second),
        metavar="BURST/PER_SECOND",
        help=(
            "token bucket per key, or 'off' (default: "
            f"{DEFAULTS.rate_limit_burst}/{DEFAULTS.rate_limit_per_second:g})"
        ),
    )
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULTS.max_body_bytes,
        help="largest request body accepted (default: %(default)s)",
    )
    limits = p.add_argument_group("what a peer may hold (each bound answers 408 or 431 and closes)")
    limits.add_argument(
        "--header-timeout",
        type=_seconds,
        default=DEFAULTS.header_timeout,
        metavar="SECONDS",
        help="to receive a request's headers (default: %(default)g)",
    )
    limits.add_argument(
        "--body-timeout",
        type=_seconds,
        default=DEFAULTS.body_timeout,
        metavar="SECONDS",
        help="to receive a request's body once its headers arrived (default: %(default)g)",
    )
    limits.add_argument(
        "--keep-alive-timeout",
        type=_seconds,
        default=DEFAULTS.keep_alive_timeout,
        metavar="SECONDS",
        help="an idle connection is kept (default: %(default)g)",
    )
    limits.add_argument(
        "--max-header-bytes",
        type=_positive,
        default=DEFAULTS.max_header_bytes,
        metavar="N",
        help="request line and headers (default: %(default)s)",
    )
    limits.add_argument(
        "--max-header-count",
        type=_positive,
        default=DEFAULTS.max_header_count,
        metavar="N",
        help="header fields per request (default: %(default)s)",
    )
    limits.add_argument(
        "--max-connections",
        type=_positive,
        default=DEFAULTS.max_connections,
        metavar="N",
        help="open connections, lowered to fit the descriptor limit; one more evicts the oldest "
        "unfinished request (default: %(default)s)",
    )
    p.add_argument(
        "--catalog",
        type=Path,
        default=DEFAULT_CATALOG_PATH,
        help="JSON fixture of known files and models (default: the committed fixtures/catalog.json)",
    )
    p.add_argument(
        "--seed-assets",
        type=_count,
        default=DEFAULTS.seed_assets,
        metavar="N",
        help="avatar assets each key holds at start, for List Avatars (default: %(default)s)",
    )
    p.add_argument(
        "--spec",
        type=Path,
        default=None,
        help="serve the operations of another spec file (default: the project's openapi.yaml)",
    )
    p.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="info",
        help="'warning' silences the per-request lines (default: %(default)s)",
    )
    return p


def settings_from(args: argparse.Namespace) -> MockSettings:
    settings = replace(
        DEFAULTS,
        status_mode=args.status_mode,
        credits=args.credits,
        asset_limit=args.asset_limit,
        rate_limit_burst=None if args.rate_limit is None else args.rate_limit[0],
        rate_limit_per_second=DEFAULTS.rate_limit_per_second
        if args.rate_limit is None
        else args.rate_limit[1],
        max_body_bytes=args.max_body_bytes,
        catalog_path=args.catalog,
        seed_assets=args.seed_assets,
        spec=args.spec,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        keep_alive_timeout=args.keep_alive_timeout,
        max_header_bytes=args.max_header_bytes,
        max_header_count=args.max_header_count,
        max_connections=args.max_connections,
    )
    if args.api_key or args.paid_api_key:
        keys: dict[str, Plan] = {key: "free" for key in args.api_key or ()}
        keys.update({key: "paid" for key in args.paid_api_key or ()})
        settings = replace(settings, api_keys=keys)
    return settings


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        app = create_app(settings_from(args))
    except (ValueError, CatalogError, SpecError) as exc:  # SpecError and CatalogError are ValueErrors too
        p.error(str(exc))
    # What start-up built (the contract, its validators, the catalog) lives as long as the server:
    # frozen out of the collector's generations, no collection walks it again.
    gc.collect()
    gc.freeze()
    # uvicorn re-raises the SIGINT it handled once its shutdown is complete: the stop was clean.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            timeout_graceful_shutdown=5,
            **uvicorn_options(app),
        )
    return 0
