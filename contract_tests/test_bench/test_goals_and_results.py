"""bench/report.py: goal verdicts and margins, the results document, its schema and its tables."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bench.errors import BenchError
from bench.report import (
    RESULTS_PATH,
    TIMES,
    Goal,
    Row,
    Section,
    build_results,
    markdown_table,
    ratio,
    read_results,
    schema_problems,
    text_table,
    write_results,
)

MACHINE = {
    "nproc": 2,
    "usable_cores": 2,
    "cpu_model": "AMD EPYC",
    "memory_gib": 23.5,
    "os": "Linux 6.1",
    "python": "3.11.7",
    "node": "v20.20.2",
    "wrk": "wrk debian/4.1.0",
    "prism": "5.16.0",
    "load_average": 0.4,
    "date": "2026-11-24T15:00:00+00:00",
    "git_commit": "abc1234",
}
SETTINGS = {"load_duration_s": 10.0, "connections": 32, "wrk_threads": 2, "quick": False}


@pytest.mark.parametrize(
    ("figure", "comparison", "target", "met", "margin"),
    [
        (4.5, ">=", 3.0, True, 0.5),
        (2.4, ">=", 3.0, False, -0.2),
        (1.0, "<=", 1.25, True, 0.2),
        (1.5, "<=", 1.25, False, -0.2),
        (30.0, "<", 60.0, True, 0.5),
        (60.0, "<", 60.0, False, 0.0),
        (0.0, "==", 0.0, True, 0.0),
        (3.0, "==", 0.0, False, 3.0),
    ],
)
def test_goal_says_whether_it_was_met_and_by_how_much(
    figure: float, comparison: str, target: float, met: bool, margin: float
) -> None:
    goal = Goal("g", "a figure", figure, comparison, target, "x")
    assert goal.met is met
    assert goal.margin == pytest.approx(margin)
    assert goal.verdict.startswith("met" if met else "MISSED")


def test_missed_goal_verdict_names_the_shortfall() -> None:
    assert Goal("g", "d", 2.4, ">=", 3.0, "x").verdict == "MISSED (short by 20%)"
    assert Goal("g", "d", 3.0, "==", 0.0, "count").verdict == "MISSED (off by 3)"


def test_a_figure_that_could_not_be_measured_is_neither_met_nor_missed() -> None:
    goal = Goal("g", "d", None, "<", 60.0, "s")
    assert goal.met is None
    assert goal.margin is None
    assert goal.verdict == "not measured"


def test_an_unknown_comparison_is_refused() -> None:
    with pytest.raises(ValueError, match="comparison"):
        Goal("g", "d", 1.0, "!=", 1.0, "x")


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(9.0, 3.0, 3.0), (1.0, 0.0, None), (None, 2.0, None), (2.0, None, None)],
)
def test_ratio_against_a_missing_or_zero_baseline_is_none(
    numerator: float | None, denominator: float | None, expected: float | None
) -> None:
    assert ratio(numerator, denominator) == expected


def sections() -> list[Section]:
    return [
        Section(
            key="mock_load",
            title="Mock vs Prism",
            figures={"mock": {"requests_per_s": 9000.0}, "prism": {"requests_per_s": 3000.0}},
            rows=[
                Row("mock requests/s", 9000.0, "req/s"),
                Row("mock ÷ Prism", 3.0, "x", Goal("throughput", "mock ÷ Prism", 3.0, ">=", 3.0, "x")),
                Row("p99 ratio", 1.2, "x", Goal("p99", "mock p99 ÷ Prism p99", 1.2, "<", 1.0, "x")),
            ],
            notes=["same load for both"],
        ),
        Section(
            key="pipeline", title="Pipeline", rows=[Row("`make test` (warm)", "failed (exit 2) after 3 s")]
        ),
    ]


def document(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "machine": MACHINE,
        "settings": SETTINGS,
        "sections": sections(),
        "errors": {},
        "skipped": {},
        "wall_seconds": 123.45,
    }
    arguments.update(overrides)
    return build_results(**arguments)


def test_results_document_matches_its_schema_and_counts_goals() -> None:
    results = document()
    assert schema_problems(results) == []
    assert results["goals_met"] == 1
    assert results["goals_missed"] == ["p99"]
    assert [goal["key"] for goal in results["goals"]] == ["throughput", "p99"]
    assert results["sections"]["mock_load"]["rows"][1] == {
        "label": "mock ÷ Prism",
        "value": f"3.00{TIMES}",
        "goal": "throughput",
    }


def test_goal_keys_must_be_unique_across_sections() -> None:
    twice = [*sections(), sections()[0]]
    twice[-1] = Section(key="other", title="Other", rows=sections()[0].rows)
    with pytest.raises(BenchError, match="unique"):
        document(sections=twice)


@pytest.mark.parametrize(
    ("path", "value", "complaint"),
    [
        (("machine",), None, "machine"),
        (("goals", 0, "comparison"), "!=", "comparison"),
        (("settings", "connections"), 0, "connections"),
        (("sections", "mock_load", "rows", 0, "value"), 9000, "value"),
        (("schema_version",), 1, "schema_version"),
    ],
)
def test_schema_rejects_a_broken_results_document(path: tuple[Any, ...], value: Any, complaint: str) -> None:
    broken = copy.deepcopy(document())
    node = broken
    for part in path[:-1]:
        node = node[part]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    problems = schema_problems(broken)
    assert problems
    assert any(complaint in problem for problem in problems), problems


LOAD = {
    "requests": 1000,
    "duration_s": 10.0,
    "requests_per_s": 100.0,
    "p50_ms": 1.0,
    "p99_ms": 2.0,
    "socket_errors": 0,
    "checked": 1000,
    "nonconformant": 0,
}
NAMED_FIGURES: dict[str, dict[str, Any]] = {
    "list_scaling": {
        "operation_id": "listAvatars",
        "page_size": 5,
        "few_assets": 10,
        "many_assets": 100_000,
        "few": LOAD,
        "many": LOAD,
        "ratio": 1.0,
    },
    "client_pagination": {
        "operation_id": "listAvatars",
        "items": 10_000,
        "page_size": 100,
        "raw_httpx_median_ms": 9.0,
        "typed_client_median_ms": 10.0,
        "ratio": 1.11,
        "walks_per_side": 50,
    },
    "mock_load_list_avatars": {
        "operation": {"operation_id": "listAvatars", "method": "GET", "path": "/things"},
        "settings": {},
        **{
            side: {
                **LOAD,
                "sampled": 100,
                "sample_failures": 0,
                "nonconformant_total": 0,
                "answer_without_key": "",
            }
            for side in ("mock", "mock_logging", "prism", "floor")
        },
        "nginx": None,
        "throughput_ratio_vs_prism": 4.2,
        "throughput_ratio_vs_floor": 0.6,
        "p99_ratio": 0.2,
    },
}


@pytest.mark.parametrize("key", sorted(NAMED_FIGURES))
def test_the_named_sections_keep_their_figures(key: str) -> None:
    section = Section(key=key, title=key, figures=copy.deepcopy(NAMED_FIGURES[key]))
    assert schema_problems(document(sections=[section])) == []
    first = next(iter(NAMED_FIGURES[key]))
    del section.figures[first]
    problems = schema_problems(document(sections=[section]))
    assert any(first in problem for problem in problems), problems


def test_a_per_operation_load_section_names_its_operation() -> None:
    figures = copy.deepcopy(NAMED_FIGURES["mock_load_list_avatars"])
    figures["operation"]["method"] = "get"
    section = Section(key="mock_load_list_avatars", title="t", figures=figures)
    assert any("method" in problem for problem in schema_problems(document(sections=[section])))


def test_results_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    write_results(document(), path)
    assert read_results(path) == json.loads(json.dumps(document()))


def test_writing_a_document_that_breaks_the_schema_fails_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    broken = document()
    del broken["machine"]
    with pytest.raises(BenchError, match="schema"):
        write_results(broken, path)
    assert not path.exists()


def test_reading_a_file_that_is_not_results_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(BenchError, match="does not match"):
        read_results(path)
    with pytest.raises(BenchError, match="cannot read"):
        read_results(tmp_path / "missing.json")


def test_tables_show_every_row_with_its_goal_and_verdict() -> None:
    results = document(skipped={"conformance_rate": "not ready"})
    text = text_table(results)
    markdown = markdown_table(results)
    for label in (
        "Mock vs Prism: mock requests/s",
        "Mock vs Prism: p99 ratio",
        "Pipeline: `make test` (warm)",
    ):
        assert label in text
        assert label in markdown
    assert "MISSED (short by 20%)" in markdown
    assert f"≥ 3.00{TIMES}" in markdown
    assert markdown.startswith("Measured on 2 cores (AMD EPYC), 23.5 GiB RAM")
    assert "conformance_rate (not ready)" in markdown
    assert f"| Mock vs Prism: mock ÷ Prism | 3.00{TIMES} | ≥ 3.00{TIMES} | met (headroom 0%) |" in markdown


def test_the_committed_results_match_the_schema_and_their_own_verdicts() -> None:
    committed = read_results(RESULTS_PATH)
    for stored in committed["goals"]:
        goal = Goal(
            stored["key"],
            stored["description"],
            stored["figure"],
            stored["comparison"],
            stored["target"],
            stored["unit"],
        )
        assert (goal.met, goal.verdict) == (stored["met"], stored["verdict"]), stored["key"]
    assert committed["goals_missed"] == [goal["key"] for goal in committed["goals"] if goal["met"] is False]
