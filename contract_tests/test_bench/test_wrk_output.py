"""bench/wrk.py: reading wrk_workload.lua's result line, and what the script is told to send and expect."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.errors import BenchError
from bench.workload import Expectation, Workload, success_expectation
from bench.wrk import LUA_SCRIPT, parse_wrk_output, workload_env, wrk_command
from medux_contract.spec import Operation, load_contract


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


CONTRACT = load_contract()


@pytest.mark.parametrize("op", CONTRACT.operations, ids=lambda op: op.operation_id)
def test_the_success_expectation_comes_from_the_operations_outcome_row(op: Operation) -> None:
    expect = success_expectation(op, CONTRACT)
    assert (expect.code, expect.message) == (op.success.value, op.success.code.message)
    assert expect.members == op.success.carries
    assert expect.status == CONTRACT.mock_http_status[op.success.value]


def test_the_lua_script_is_told_the_method_target_body_headers_and_expected_answer() -> None:
    workload = Workload(
        operation_id="createSomething",
        method="POST",
        base_url="http://127.0.0.1:1",
        target="/x?y=1",
        body='{"file_id":"F"}',
        authorization="Bearer k",
        expect=Expectation(200, 0, "ok", (("asset", "object"), ("items", "array"), ("n", None))),
        extra_headers=(("Prefer", "example=ok"),),
    )
    env = workload_env(workload)
    assert (env["BENCH_METHOD"], env["BENCH_TARGET"]) == ("POST", "/x?y=1")
    assert env["BENCH_BODY"] == '{"file_id":"F"}'
    assert env["BENCH_HEADERS"].splitlines() == [
        "Content-Type: application/json",
        "Prefer: example=ok",
        "Authorization: Bearer k",
    ]
    assert (env["BENCH_EXPECT_STATUS"], env["BENCH_EXPECT_CODE"], env["BENCH_EXPECT_MESSAGE"]) == (
        "200",
        "0",
        "ok",
    )
    # What each carried member's JSON value opens with, so the prefilter can tell an array from an object.
    assert env["BENCH_EXPECT_DATA"] == "asset={,items=[,n="


def test_a_request_without_body_or_key_sends_neither() -> None:
    workload = Workload(
        "listThings", "GET", "http://127.0.0.1:1", "/things", None, None, Expectation(200, 0, "ok")
    )
    env = workload_env(workload)
    assert env["BENCH_BODY"] == ""
    assert env["BENCH_HEADERS"] == ""
    assert env["BENCH_EXPECT_DATA"] == ""


def test_every_variable_the_lua_script_reads_is_set() -> None:
    script = LUA_SCRIPT.read_text(encoding="utf-8")
    read = set(re.findall(r'os\.getenv\("(BENCH_[A-Z_]+)"\)', script))
    workload = Workload("op", "GET", "http://127.0.0.1:1", "/", None, None, Expectation(200, 0, "ok"))
    assert read == set(workload_env(workload))


def test_the_lua_script_holds_no_path_message_or_key() -> None:
    script = LUA_SCRIPT.read_text(encoding="utf-8")
    assert all(op.path not in script for op in CONTRACT.operations)
    assert all(f'"{code.message}"' not in script for code in CONTRACT.codes)
    assert "Bearer" not in script


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


@pytest.mark.parametrize(
    ("seconds", "flag"), [(0.5, "--duration=1s"), (2.5, "--duration=3s"), (3.0, "--duration=3s")]
)
def test_wrk_is_asked_for_whole_seconds_which_is_all_it_accepts(seconds: float, flag: str) -> None:
    command = wrk_command(
        Path("/usr/bin/wrk"), "http://127.0.0.1:1/", duration_s=seconds, connections=1, threads=1
    )
    assert flag in command
