"""bench/machine.py and bench/memory.py: reading /proc, and the memory-growth figures."""

from __future__ import annotations

import os

import pytest

from bench import machine, memory
from bench.errors import BenchError

X86_CPUINFO = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\n"
ARM_CPUINFO = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n\nHardware\t: Graviton\n"


def test_cpu_model_is_read_from_cpuinfo() -> None:
    assert machine.cpu_model(X86_CPUINFO) == "AMD EPYC 7B13"
    assert machine.cpu_model(ARM_CPUINFO) == "Graviton"
    assert machine.cpu_model("") == "unknown"


def test_total_memory_comes_from_meminfo_in_bytes() -> None:
    assert machine.total_memory_bytes("MemTotal:       24684544 kB\nMemFree: 1 kB\n") == 24684544 * 1024
    assert machine.total_memory_bytes("nothing here\n") is None


def test_load_average_is_the_one_minute_figure() -> None:
    assert machine.load_average("0.52 0.40 0.31 1/123 4567\n") == 0.52
    assert machine.load_average("") is None


def test_describing_this_machine_names_cores_python_and_date() -> None:
    described = machine.describe()
    assert described["usable_cores"] == len(os.sched_getaffinity(0))
    assert described["python"].count(".") == 2
    assert described["date"][:2] == "20"


def test_this_process_memory_is_read_from_proc() -> None:
    sample = memory.sample(os.getpid())
    assert sample.rss_bytes > 0
    assert sample.peak_rss_bytes >= sample.rss_bytes


def test_a_process_that_is_gone_is_a_clear_error() -> None:
    with pytest.raises(BenchError, match="cannot read the memory of process"):
        memory.sample(2**22 + 1)  # above the kernel's largest pid


@pytest.mark.parametrize(
    "text", ["Name:\tpython\n", "VmRSS:\t 12 MB\nVmHWM:\t 13 kB\n", "VmRSS:\tmany kB\nVmHWM:\t1 kB\n"]
)
def test_status_text_without_kilobyte_rss_lines_is_refused(text: str) -> None:
    with pytest.raises(BenchError):
        memory.parse_status(text)


MIB = memory.MIB


def sample(mib: float, peak: float | None = None) -> memory.MemorySample:
    return memory.MemorySample(int(mib * MIB), int((peak or mib) * MIB))


def run(operation_id: str, stateless: bool, before: float, after: float, requests: int) -> memory.RunGrowth:
    return memory.RunGrowth(operation_id, stateless, sample(before), sample(after, after + 1), requests)


def growth(*runs: memory.RunGrowth) -> memory.MemoryGrowth:
    return memory.MemoryGrowth(idle=sample(30), after_first_round=sample(40, 42), second_round=runs)


def test_growth_is_measured_around_each_operations_second_run() -> None:
    measured = run("listThings", True, 40, 41, 1024)
    assert measured.growth_bytes == MIB
    assert measured.growth_bytes_per_request == 1024.0
    figures = growth(measured).as_dict()
    assert figures["stateless_second_run_growth_mib"] == 1.0
    assert figures["peak_rss_mib"] == 42.0


def test_the_goal_counts_stateless_operations_only() -> None:
    created = run("createThing", False, 40, 70, 30000)  # keeps what it creates: not judged
    listed = run("listThings", True, 70, 71, 30000)
    (goal,) = memory.section(growth(created, listed)).goals
    assert goal.figure == 1.0
    assert goal.met is True
    labels = [row.label for row in memory.section(growth(created, listed)).rows]
    assert any("createThing" in label and "keeps what it creates" in label for label in labels)


def test_memory_growth_goal_is_missed_when_a_stateless_load_grows_past_the_limit() -> None:
    leaking = growth(run("createThing", False, 40, 41, 30000), run("listThings", True, 41, 61, 30000))
    (goal,) = memory.section(leaking).goals
    assert goal.met is False
    assert goal.figure == 20.0


def test_without_a_stateless_operation_the_goal_is_not_measured() -> None:
    (goal,) = memory.section(growth(run("createThing", False, 40, 41, 30000))).goals
    assert goal.figure is None
    assert goal.verdict == "not measured"
