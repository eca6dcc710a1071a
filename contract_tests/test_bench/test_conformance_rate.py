"""bench/conformance_rate.py: counting the suite's test cases from what `scripts.conformance` prints."""

from __future__ import annotations

import pytest

from bench.conformance_rate import SuiteRun, parse_suite_output, section
from bench.errors import BenchError

ONE_RUN = """conformance: embedded mock, status mode all-200
.
1 passed in 0.56s
conformance: embedded mock, status mode all-200: 71 responses judged
  pass  envelope_has_known_code        64 responses
conformance: PASSED (embedded mock, status mode all-200); reports in /tmp/r/mock-all-200
"""


def test_cases_are_the_responses_the_suite_judged() -> None:
    assert parse_suite_output(ONE_RUN) == (71, 0.56)


def test_cases_and_times_of_several_runs_add_up() -> None:
    second = ONE_RUN.replace("71 responses", "29 responses").replace("0.56s", "0.44s")
    cases, seconds = parse_suite_output(ONE_RUN + second)
    assert cases == 100
    assert seconds == pytest.approx(1.0)


def test_output_without_a_verdict_line_is_a_clear_error() -> None:
    with pytest.raises(BenchError, match="responses judged"):
        parse_suite_output("Traceback (most recent call last):\n")


def test_rates_are_cases_over_wall_time_and_over_suite_time() -> None:
    run = SuiteRun("in-process mock", cases=100, wall_s=4.0, suite_s=0.5, exit_code=0)
    assert run.cases_per_s == 25.0
    assert run.suite_cases_per_s == 200.0
    (row,) = section((run, SuiteRun("loopback", 50, 5.0, None, 0))).rows[:1]
    assert row.value_text == "25.0 cases/s (100 cases in 4.0 s; 200/s inside pytest)"
