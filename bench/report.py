"""Goals, the results table (plain text and Markdown) and bench/results.json with its schema.

A measurement hands back rows; a row may carry a :class:`Goal`, which knows whether it was met and
by how much, so the table, the JSON and the exit message all say the same thing.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from bench.errors import BenchError

SCHEMA_PATH = Path(__file__).resolve().parent / "results.schema.json"
RESULTS_PATH = Path(__file__).resolve().parent / "results.json"
SCHEMA_VERSION = 2
COMPARISONS = (">=", "<=", "<", "==")


@dataclass(frozen=True)
class Goal:
    """A target for one figure: ``figure <comparison> target``."""

    key: str
    description: str
    figure: float | None
    comparison: str
    target: float
    unit: str

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise ValueError(f"goal {self.key}: comparison must be one of {COMPARISONS}")

    @property
    def met(self) -> bool | None:
        """Whether the figure reaches the target; None when the figure could not be measured."""
        if self.figure is None or math.isnan(self.figure):
            return None
        return {
            ">=": self.figure >= self.target,
            "<=": self.figure <= self.target,
            "<": self.figure < self.target,
            "==": self.figure == self.target,
        }[self.comparison]

    @property
    def margin(self) -> float | None:
        """Headroom (positive) or shortfall (negative) relative to the target; for ``==`` the difference."""
        if self.met is None or self.figure is None:
            return None
        if self.comparison == "==":
            return self.figure - self.target
        if self.target == 0:
            return None
        if self.comparison == ">=":
            return (self.figure - self.target) / abs(self.target)
        return (self.target - self.figure) / abs(self.target)

    @property
    def target_text(self) -> str:
        symbol = {">=": "≥", "<=": "≤", "<": "<", "==": "="}[self.comparison]
        return f"{symbol} {format_value(self.target, self.unit)}"

    @property
    def verdict(self) -> str:
        met, margin = self.met, self.margin
        if met is None:
            return "not measured"
        if self.comparison == "==":
            return "met" if met else f"MISSED (off by {format_value(abs(margin or 0), self.unit)})"
        amount = "" if margin is None else f" {abs(margin):.0%}"
        return f"met (headroom{amount})" if met else f"MISSED (short by{amount})"

    def as_dict(self) -> dict[str, Any]:
        margin = self.margin
        return {
            "key": self.key,
            "description": self.description,
            "figure": self.figure,
            "unit": self.unit,
            "comparison": self.comparison,
            "target": self.target,
            "met": self.met,
            "margin": None if margin is None else round(margin, 4),
            "target_text": self.target_text,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Row:
    label: str
    value: float | str | None
    unit: str = ""
    goal: Goal | None = None

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "n/a"
        return self.value if isinstance(self.value, str) else format_value(self.value, self.unit)


@dataclass
class Section:
    """What one benchmark module measured: its raw figures (for the JSON) and its table rows."""

    key: str
    title: str
    figures: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def goals(self) -> list[Goal]:
        return [row.goal for row in self.rows if row.goal is not None]


TIMES = "\N{MULTIPLICATION SIGN}"
# How each unit is shown; small milliseconds and seconds get more digits than large ones.
_FORMATS: dict[str, tuple[str, str]] = {
    "x": ("{:.2f}" + TIMES, "{:.2f}" + TIMES),
    "req/s": ("{:,.0f} req/s", "{:,.0f} req/s"),
    "ms": ("{:.2f} ms", "{:,.0f} ms"),
    "µs": ("{:.1f} µs", "{:,.0f} µs"),
    "s": ("{:.2f} s", "{:.1f} s"),
    "MiB": ("{:.1f} MiB", "{:,.0f} MiB"),
    "cases/s": ("{:,.1f} cases/s", "{:,.0f} cases/s"),
}
_LARGE = {"ms": 100.0, "µs": 10_000.0, "s": 1.0, "MiB": 10_000.0, "cases/s": 1_000.0}


def format_value(value: float, unit: str) -> str:
    if unit in _FORMATS:
        small, large = _FORMATS[unit]
        return (large if abs(value) >= _LARGE.get(unit, 0.0) else small).format(value)
    if unit in ("count", ""):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{value:g} {unit}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the baseline is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


HEADER = ("Measure", "Result", "Goal", "Verdict")


def build_results(
    *,
    machine: dict[str, Any],
    settings: dict[str, Any],
    sections: list[Section],
    errors: dict[str, str],
    skipped: dict[str, str],
    wall_seconds: float,
) -> dict[str, Any]:
    """The results document (bench/results.json); the tables are rendered from it, never beside it."""
    goals = [goal for section in sections for goal in section.goals]
    keys = [goal.key for goal in goals]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise BenchError(f"goal keys must be unique, repeated: {duplicates}")
    return {
        "schema_version": SCHEMA_VERSION,
        "machine": machine,
        "settings": settings,
        "sections": {
            section.key: {
                "title": section.title,
                "figures": section.figures,
                "notes": section.notes,
                "rows": [
                    {"label": row.label, "value": row.value_text, "goal": row.goal.key if row.goal else None}
                    for row in section.rows
                ],
            }
            for section in sections
        },
        "goals": [goal.as_dict() for goal in goals],
        "goals_met": sum(1 for goal in goals if goal.met),
        "goals_missed": [goal.key for goal in goals if goal.met is False],
        "errors": errors,
        "skipped": skipped,
        "wall_seconds": round(wall_seconds, 1),
    }


def table_cells(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """One (measure, result, goal, verdict) per row of every section, in the order measured."""
    goals = {goal["key"]: goal for goal in document["goals"]}
    cells = []
    for section in document["sections"].values():
        for row in section["rows"]:
            goal = goals.get(row["goal"] or "")
            cells.append(
                (
                    f"{section['title']}: {row['label']}",
                    row["value"],
                    goal["target_text"] if goal else "",
                    goal["verdict"] if goal else "",
                )
            )
    return cells


def text_table(document: dict[str, Any]) -> str:
    cells = [HEADER, *table_cells(document)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(document: dict[str, Any]) -> str:
    """The table as the README shows it, under a line naming the machine."""
    lines = [f"Measured on {machine_line(document['machine'])}.", ""]
    lines += ["| " + " | ".join(HEADER) + " |", "|---|---:|---|---|"]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table_cells(document)
    ]
    skipped = document["skipped"]
    if skipped:
        reasons = "; ".join(f"{name} ({why})" for name, why in skipped.items())
        lines += ["", f"Not measured in this run: {reasons}."]
    return "\n".join(lines)


def machine_line(machine: dict[str, Any]) -> str:
    return (
        f"{machine['usable_cores']} cores ({machine['cpu_model']}), {machine['memory_gib']} GiB RAM, "
        f"{machine['os']}, Python {machine['python']}, Node {machine['node']}, "
        f"{machine['wrk']}, Prism {machine['prism']}; load average {machine['load_average']} at the start; "
        f"{machine['date']}, commit {machine['git_commit']}"
    )


def _load_schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_problems(document: Any) -> list[str]:
    """Every way ``document`` departs from bench/results.schema.json (empty when it conforms)."""
    validator = Draft202012Validator(_load_schema())
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def write_results(document: dict[str, Any], path: Path = RESULTS_PATH) -> None:
    problems = schema_problems(document)
    if problems:
        raise BenchError("the results do not match results.schema.json: " + "; ".join(problems[:5]))
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_results(path: Path = RESULTS_PATH) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"cannot read {path}: {exc}") from None
    problems = schema_problems(document)
    if problems:
        raise BenchError(f"{path} does not match results.schema.json: " + "; ".join(problems[:5]))
    return dict(document)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.report [PATH]``: print the Markdown table of a results file (for the README)."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    try:
        print(markdown_table(read_results(args.path)))
    except BenchError as exc:
        print(f"bench.report: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
