"""Resident memory of a process from /proc/<pid>/status, and whether it grew across two load runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.errors import BenchError
from bench.report import Goal, Row, Section

KIB = 1024
MIB = 1024 * 1024
# Allocator noise stays well under this; a leak of ~200 bytes per request over ~30k requests does not.
GOAL_GROWTH_MIB = 5.0


@dataclass(frozen=True)
class MemorySample:
    rss_bytes: int
    peak_rss_bytes: int


def parse_status(text: str) -> MemorySample:
    """VmRSS (resident now) and VmHWM (the peak resident size) from a /proc status file's text."""
    fields: dict[str, int] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            number, _, unit = value.strip().partition(" ")
            if unit.strip() != "kB" or not number.isdigit():
                raise BenchError(f"unexpected {name} line in /proc status: {line!r}")
            fields[name] = int(number) * KIB
    if set(fields) != {"VmRSS", "VmHWM"}:
        raise BenchError("the /proc status text has no VmRSS/VmHWM lines (is it a live process?)")
    return MemorySample(rss_bytes=fields["VmRSS"], peak_rss_bytes=fields["VmHWM"])


def sample(pid: int) -> MemorySample:
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError as exc:
        raise BenchError(f"cannot read the memory of process {pid}: {exc}") from None
    return parse_status(text)


@dataclass(frozen=True)
class MemoryGrowth:
    """The mock's memory at rest, after a first load run and after a second one of the same size."""

    idle: MemorySample
    after_first_run: MemorySample
    after_second_run: MemorySample
    second_run_requests: int

    @property
    def growth_bytes(self) -> int:
        """Resident growth caused by the second run: memory that scales with requests shows here."""
        return self.after_second_run.rss_bytes - self.after_first_run.rss_bytes

    @property
    def growth_bytes_per_request(self) -> float:
        return self.growth_bytes / self.second_run_requests if self.second_run_requests else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "idle_rss_mib": round(self.idle.rss_bytes / MIB, 2),
            "rss_after_first_run_mib": round(self.after_first_run.rss_bytes / MIB, 2),
            "rss_after_second_run_mib": round(self.after_second_run.rss_bytes / MIB, 2),
            "peak_rss_mib": round(self.after_second_run.peak_rss_bytes / MIB, 2),
            "peak_rss_after_first_run_mib": round(self.after_first_run.peak_rss_bytes / MIB, 2),
            "second_run_growth_mib": round(self.growth_bytes / MIB, 3),
            "second_run_requests": self.second_run_requests,
            "growth_bytes_per_request": round(self.growth_bytes_per_request, 2),
        }


def section(growth: MemoryGrowth, growth_limit_mib: float = GOAL_GROWTH_MIB) -> Section:
    figures = growth.as_dict()
    growth_mib = figures["second_run_growth_mib"]
    return Section(
        key="memory",
        title="Mock memory",
        figures=figures,
        rows=[
            Row(
                "RSS at rest, after load 1, after load 2",
                f"{figures['idle_rss_mib']:.1f} / {figures['rss_after_first_run_mib']:.1f} / "
                f"{figures['rss_after_second_run_mib']:.1f} MiB",
            ),
            Row("peak RSS (VmHWM) after both loads", figures["peak_rss_mib"], "MiB"),
            Row(
                f"RSS growth during load 2 ({growth.second_run_requests:,} requests)",
                growth_mib,
                "MiB",
                Goal(
                    "mock_memory_growth",
                    "mock RSS growth over a second load run",
                    growth_mib,
                    "<=",
                    growth_limit_mib,
                    "MiB",
                ),
            ),
        ],
        notes=[
            "Measured on the mock process of the load test (/proc/<pid>/status). Memory that scaled with "
            "requests would show as growth during the second run, which repeats the first; "
            f"{figures['growth_bytes_per_request']} bytes per request."
        ],
    )
