"""bench/wrk.py: reading wrk_post.lua's result line, and what the script is told to send and expect."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.errors import BenchError
from bench.mock_load import success_expectation
from bench.wrk import LUA_SCRIPT, Workload, parse_wrk_output, workload_env, wrk_command
from medux_contract.spec import code_table


def wrk_stdout(**overrides: object) -> str:
    """wrk's output as the Lua script's done() prints it after wrk's own summary."""
    result = {
        "requests": 30000,
        "duration_us": 10_000_000,
        "bytes": 4_500_000,
        "errors": {"connect": 0, "read": 1, "write": 0, "status": 7, "timeout": 2},
        "latency_us": {"p50": 4200, "p90": 9000, "p99": 21500, "mean": 5012.5, "max": 80000},
        "checked": 29997,
        "nonconformant": 3,
        "first_nonconformant": '401 {"code":13}',
    }
    result.update(overrides)
    return (
        "Running 10s test @ http://127.0.0.1:4010/\n  2 threads and 32 connections\n"
        "Requests/sec:   3000.00\n"
        f"BENCH_RESULT {json.dumps(result)}\n"
    )


def test_result_line_gives_rate_percentiles_in_ms_and_error_counts() -> None:
    result = parse_wrk_output(wrk_stdout())
    assert result.requests == 30000
    assert result.requests_per_s == 3000.0
    assert (result.p50_ms, result.p90_ms, result.p99_ms, result.max_ms) == (4.2, 9.0, 21.5, 80.0)
    assert result.socket_errors == 3  # read + timeout; non-2xx statuses are counted apart
    assert result.non_2xx == 7
    assert (result.checked, result.nonconformant) == (29997, 3)
    assert result.first_nonconformant == '401 {"code":13}'


def test_rate_uses_the_measured_duration_not_the_requested_one() -> None:
    assert parse_wrk_output(wrk_stdout(requests=1000, duration_us=2_500_000)).requests_per_s == 400.0


@pytest.mark.parametrize(
    "stdout",
    [
        "Running 10s test\nRequests/sec: 10.0\n",
        wrk_stdout() + wrk_stdout(),
        "BENCH_RESULT {not json}\n",
        'BENCH_RESULT {"requests": 5}\n',
        wrk_stdout(duration_us=0),
    ],
    ids=["no-result-line", "two-result-lines", "not-json", "missing-fields", "zero-duration"],
)
def test_unreadable_output_is_a_clear_bench_error(stdout: str) -> None:
    with pytest.raises(BenchError, match=r"BENCH_RESULT|result line"):
        parse_wrk_output(stdout)


def test_the_success_expectation_comes_from_the_code_table() -> None:
    success = next(entry for entry in code_table() if entry.is_success)
    expect = success_expectation()
    assert (expect.code, expect.message, expect.data_members) == (
        success.code,
        success.message,
        success.carries,
    )
    assert expect.status == success.mock_http_status


def test_the_lua_script_is_told_the_body_key_and_expected_answer() -> None:
    workload = Workload(
        url="http://127.0.0.1:1/x",
        body='{"file_id":"F"}',
        authorization="Bearer k",
        expect=success_expectation(),
        extra_headers=(("Prefer", "example=ok"),),
    )
    env = workload_env(workload)
    assert env["BENCH_BODY"] == '{"file_id":"F"}'
    assert env["BENCH_AUTHORIZATION"] == "Bearer k"
    assert env["BENCH_EXTRA_HEADERS"] == "Prefer: example=ok"
    assert env["BENCH_EXPECT_CODE"] == str(workload.expect.code)
    assert env["BENCH_EXPECT_MESSAGE"] == workload.expect.message
    assert env["BENCH_EXPECT_DATA"] == ",".join(workload.expect.data_members)


def test_every_variable_the_lua_script_reads_is_set() -> None:
    script = LUA_SCRIPT.read_text(encoding="utf-8")
    read = set(re.findall(r'os\.getenv\("(BENCH_[A-Z_]+)"\)', script))
    workload = Workload("http://127.0.0.1:1/", "{}", None, success_expectation())
    assert read == set(workload_env(workload))


@pytest.mark.parametrize("url", ["http://10.0.0.1:80/", "https://api.medux.io/x", "http://example.com/"])
def test_wrk_only_ever_targets_loopback(url: str) -> None:
    with pytest.raises(BenchError, match="loopback"):
        wrk_command(Path("/usr/bin/wrk"), url, duration_s=1, connections=1, threads=1)


def test_wrk_command_is_bounded_in_time_and_connections() -> None:
    command = wrk_command(
        Path("/usr/bin/wrk"), "http://127.0.0.1:4010/p", duration_s=10, connections=32, threads=2
    )
    assert "--duration=10s" in command
    assert "--connections=32" in command
    assert "--threads=2" in command
    assert f"--script={LUA_SCRIPT}" in command
    assert command[-1] == "http://127.0.0.1:4010/p"
