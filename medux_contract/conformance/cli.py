"""`make conformance`: does a server keep the contract in openapi.yaml?

Without MEDUX_BASE_URL it judges the embedded mock in-process, in both HTTP status modes. With
MEDUX_BASE_URL (and MEDUX_API_KEY) it judges that server; a non-loopback URL is treated as the
real API: only requests that cannot bill are sent (operations that cannot bill, such as List
Avatars, are called with the key freely) unless MEDUX_ALLOW_BILLABLE=1 (then at most
MEDUX_MAX_BILLABLE, default 3), at most MEDUX_MAX_RPS requests per second (default 2) and
MEDUX_MAX_REQUESTS in all (default 200). MEDUX_SECOND_API_KEY (optional), a key of another
account, lets the run check that one key never sees another's assets.

The run goes to its end (within those caps) and prints, per check, how many answers failed with up
to three distinct examples each (curl reproduction, key filtered), then per operation which of its
codes it saw. MEDUX_REQUIRE_CODES=all (or a list such as 0,12,13) makes a code it never saw a
failure. Reports: summary.json (schema: medux_contract/conformance/summary.schema.json), junit.xml
and cassette.har.json under --reports-dir/<target>.

Exit status: 0 the contract is kept; 1 a violation (or the run broke); 2 unusable settings;
3 a safety cap stopped the run before it finished.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from medux_contract.conformance.coverage import RequiredCodes
from medux_contract.conformance.live_policy import IsLocal, PolicyError, is_loopback_url
from medux_contract.conformance.runner import EXIT_PASSED, EXIT_STOPPED, EXIT_VIOLATIONS, run_suite
from medux_contract.conformance.targets import STATUS_MODES, plan_targets
from medux_contract.spec import REPO_ROOT, SpecError

EXIT_SETTINGS = 2
DEFAULT_REPORTS = REPO_ROOT / "reports" / "conformance"
MODE_CHOICES = (*STATUS_MODES, "both")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m scripts.conformance",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--status-mode",
        choices=MODE_CHOICES,
        default=None,
        help="the embedded mock's HTTP status mode (default: MEDUX_MOCK_STATUS_MODE, else both)",
    )
    p.add_argument(
        "--max-examples", type=int, default=None, help="fuzzing examples (default: schemathesis.toml)"
    )
    p.add_argument("--seed", type=int, default=None, help="seed for reproducible generation")
    p.add_argument(
        "--reports-dir", type=Path, default=DEFAULT_REPORTS, help="where JUnit XML and the cassette go"
    )
    return p


def main(
    argv: list[str] | None = None,
    env: Mapping[str, str] | None = None,
    is_local: IsLocal = is_loopback_url,
    say: Callable[[str], None] = print,
) -> int:
    args = parser().parse_args(argv)
    env = os.environ if env is None else env
    mode = args.status_mode or env.get("MEDUX_MOCK_STATUS_MODE", "").strip() or "both"
    if mode not in MODE_CHOICES:
        say(f"conformance: MEDUX_MOCK_STATUS_MODE must be one of {', '.join(MODE_CHOICES)}, got {mode!r}")
        return EXIT_SETTINGS
    if args.max_examples is not None and args.max_examples < 1:
        say("conformance: --max-examples must be at least 1")
        return EXIT_SETTINGS
    modes = STATUS_MODES if mode == "both" else tuple(m for m in STATUS_MODES if m == mode)
    try:
        planned = plan_targets(env, modes, is_local=is_local)
        required = RequiredCodes.from_env(env)
    except (PolicyError, SpecError, ValueError) as exc:
        say(f"conformance: {exc}")
        return EXIT_SETTINGS
    codes = []
    for run in planned:
        result = run_suite(
            run.target,
            reports_dir=args.reports_dir / run.reports_name,
            max_examples=args.max_examples or run.max_examples,
            seed=args.seed,
            say=say,
            required=required,
        )
        codes.append(result.exit_code)
    if any(code == EXIT_VIOLATIONS for code in codes):
        return EXIT_VIOLATIONS
    return EXIT_STOPPED if EXIT_STOPPED in codes else EXIT_PASSED
