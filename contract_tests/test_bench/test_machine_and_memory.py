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


def test_growth_is_measured_over_the_second_run_only() -> None:
    mib = memory.MIB
    growth = memory.MemoryGrowth(
        idle=memory.MemorySample(30 * mib, 30 * mib),
        after_first_run=memory.MemorySample(40 * mib, 42 * mib),
        after_second_run=memory.MemorySample(41 * mib, 42 * mib),
        second_run_requests=1024,
    )
    assert growth.growth_bytes == mib
    assert growth.growth_bytes_per_request == 1024.0
    figures = growth.as_dict()
    assert figures["peak_rss_mib"] == 42.0
    assert figures["second_run_growth_mib"] == 1.0


def test_memory_growth_goal_is_missed_when_rss_grows_past_the_limit() -> None:
    mib = memory.MIB
    leaking = memory.MemoryGrowth(
        memory.MemorySample(30 * mib, 30 * mib),
        memory.MemorySample(40 * mib, 40 * mib),
        memory.MemorySample(60 * mib, 60 * mib),
        30000,
    )
    (goal,) = memory.section(leaking).goals
    assert goal.met is False
    assert goal.figure == 20.0
