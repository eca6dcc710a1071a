"""``python -m bench`` (``make bench``): run every benchmark, print the table, write bench/results.json.

``--quick`` (or ``BENCH_SKIP_PIPELINE=1``) skips the pipeline timings, the slow part that clones
the repository and runs `make` in it. A benchmark that cannot run is reported with its reason and
makes the exit status 1; a missed goal is a result, printed and recorded, not a failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import (
    client_facade,
    client_overhead,
    client_pagination,
    conformance_rate,
    list_scaling,
    machine,
    memory,
    mock_load,
    mock_profile,
    pipeline_times,
    soak,
)
from bench.errors import BenchError
from bench.report import (
    RESULTS_PATH,
    Goal,
    Row,
    Section,
    build_results,
    markdown_table,
    text_table,
    write_results,
)
from bench.tools import ensure_prism, ensure_wrk
from medux_contract.spec import load_contract

GOAL_TOTAL_S = 600.0
WRAP_UP_S = 15.0


@dataclass(frozen=True)
class Options:
    quick: bool
    only: frozenset[str]  # the steps to run (every step when empty)
    load: mock_load.LoadSettings
    out: Path
    markdown: bool
    deadline: float  # time.monotonic() by which every benchmark must be done

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()


def _client(options: Options) -> list[Section]:
    result = client_overhead.measure_overhead()
    # A missed goal comes with where the time goes.
    profile = client_overhead.profile_overhead() if result.ratio > client_overhead.GOAL_RATIO else None
    return [client_overhead.section(result, profile), client_facade.section(client_facade.measure())]


def _pagination(options: Options) -> list[Section]:
    result = client_pagination.measure()
    # A missed goal comes with where the time goes.
    profile = client_pagination.profile_pagination() if result.ratio > client_pagination.GOAL_RATIO else None
    return [client_pagination.section(result, profile)]


def _load(options: Options) -> list[Section]:
    wrk = ensure_wrk()
    ensure_prism()
    comparison = mock_load.measure(wrk, options.load)
    sections = mock_load.sections(comparison, options.load)
    missed = {
        measured.operation.operation_id: section
        for measured, section in zip(comparison.operations, sections, strict=True)
        if mock_load.missed(section)
    }
    if missed:
        # A missed throughput goal comes with where a mock request's time goes.
        contract = load_contract()
        for profile in mock_profile.profile_operations([contract.operation(op) for op in missed], contract):
            missed[profile.operation_id].figures["profile"] = profile.as_dict()
            missed[profile.operation_id].notes.extend(profile.lines())
    return [*sections, memory.section(comparison.growth)]


def _list_scaling(options: Options) -> list[Section]:
    return [list_scaling.section(list_scaling.measure(ensure_wrk(), options.load))]


def _conformance(options: Options) -> list[Section]:
    return [conformance_rate.section(conformance_rate.measure())]


def _soak(options: Options) -> list[Section]:
    return [soak.section(soak.measure())]


def _pipeline(options: Options) -> list[Section]:
    return [pipeline_times.section(pipeline_times.measure_pipeline(budget_s=options.seconds_left()))]


STEPS: tuple[tuple[str, Callable[[Options], list[Section]]], ...] = (
    ("client_overhead", _client),
    ("client_pagination", _pagination),
    ("mock_load", _load),
    ("list_scaling", _list_scaling),
    ("conformance_rate", _conformance),
    ("soak", _soak),
    ("pipeline", _pipeline),
)


def parse_args(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_SKIP_PIPELINE", "") not in ("", "0"),
        help="skip the pipeline timings (also BENCH_SKIP_PIPELINE=1)",
    )
    parser.add_argument(
        "--only",
        default="",
        metavar="STEP[,STEP]",
        help=f"run only these steps, comma-separated (of {', '.join(key for key, _ in STEPS)})",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=mock_load.LoadSettings.duration_s,
        help="measured seconds per server and operation in the load comparison, over its rounds "
        f"(default: {mock_load.LoadSettings.duration_s:g})",
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default: 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument(
        "--out", type=Path, default=RESULTS_PATH, help="results file (default: bench/results.json)"
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 60:
        parser.error("--duration must be between 0 and 60 seconds")
    if not 1 <= args.connections <= 1024 or not 1 <= args.threads <= args.connections:
        parser.error("--connections must be 1..1024 and --threads 1..connections")
    only = frozenset(step.strip() for step in args.only.split(",") if step.strip())
    unknown = only - {key for key, _ in STEPS}
    if unknown:
        parser.error(f"--only: no step named {', '.join(sorted(unknown))}")
    load = mock_load.LoadSettings(
        duration_s=args.duration, connections=args.connections, threads=args.threads
    )
    # The time left for writing the results after the last benchmark.
    deadline = time.monotonic() + GOAL_TOTAL_S - WRAP_UP_S
    return Options(
        quick=args.quick, only=only, load=load, out=args.out, markdown=args.markdown, deadline=deadline
    )


def _wall_section(seconds: float, quick: bool, only: frozenset[str] = frozenset()) -> Section:
    if only:
        label = f"`make bench` wall time (--only {','.join(sorted(only))})"
    else:
        label = "`make bench` wall time" + (" (--quick: pipeline skipped)" if quick else "")
    goal = Goal("bench_wall_time", "`make bench` wall time", round(seconds, 1), "<", GOAL_TOTAL_S, "s")
    return Section(
        key="bench",
        title="Bench",
        figures={"wall_seconds": round(seconds, 1)},
        rows=[Row(label, round(seconds, 1), "s", None if quick or only else goal)],
    )


def run(options: Options) -> int:
    started = time.monotonic()
    sections: list[Section] = []
    errors: dict[str, str] = {}
    skipped: dict[str, str] = {}
    machine_info = machine.describe()
    load = machine_info["load_average"]
    if load is not None and load > machine_info["usable_cores"] / 2:
        print(
            f"bench: warning: the machine is busy (load average {load} on {machine_info['usable_cores']} "
            "cores); the figures will be noisy, and results.json records the load",
            flush=True,
        )
    for key, step in STEPS:
        if options.only and key not in options.only:
            skipped[key] = "--only " + ",".join(sorted(options.only))
            continue
        if key == "pipeline" and options.quick:
            skipped[key] = "--quick / BENCH_SKIP_PIPELINE=1"
            continue
        print(f"bench: {key} ...", flush=True)
        step_started = time.monotonic()
        try:
            sections += step(options)
        except BenchError as exc:
            errors[key] = str(exc)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            errors[key] = f"unexpected {exc.__class__.__name__}: {exc}"
        status = "FAILED: " + errors[key] if key in errors else "done"
        print(f"bench: {key} {status} ({time.monotonic() - step_started:.1f} s)", flush=True)
    wall = time.monotonic() - started
    sections.append(_wall_section(wall, options.quick, options.only))
    document = build_results(
        machine=machine_info,
        settings={
            "load_duration_s": options.load.duration_s,
            "connections": options.load.connections,
            "wrk_threads": options.load.threads,
            "quick": options.quick,
            "only": sorted(options.only),
            "load_rounds": options.load.rounds,
        },
        sections=sections,
        errors=errors,
        skipped=skipped,
        wall_seconds=wall,
    )
    write_results(document, options.out)
    print()
    print(text_table(document))
    for section in sections:
        for note in section.notes:
            print(f"note ({section.title}): {note}")
    if options.markdown:
        print("\n" + markdown_table(document))
    missed = document["goals_missed"]
    print(
        f"\nbench: {document['goals_met']} of {len(document['goals'])} goals met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + f"; results in {options.out}"
    )
    for key, message in errors.items():
        print(f"bench: {key} could not run: {message}", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run(options)
    except KeyboardInterrupt:
        print("\nbench: interrupted (servers stopped)", file=sys.stderr)
        return 130
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
