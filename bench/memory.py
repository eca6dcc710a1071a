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
class RunGrowth:
    """Resident memory around one operation's second load run on the mock."""

    operation_id: str
    # An idempotent operation changes nothing, so its load must not grow memory. Any other success
    # adds state the mock keeps by design (an avatar it must list), so its growth is not a leak.
    stateless: bool
    before: MemorySample
    after: MemorySample
    requests: int

    @property
    def growth_bytes(self) -> int:
        return self.after.rss_bytes - self.before.rss_bytes

    @property
    def growth_bytes_per_request(self) -> float:
        return self.growth_bytes / self.requests if self.requests else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "operation_id": self.operation_id,
            "stateless": self.stateless,
            "rss_before_mib": round(self.before.rss_bytes / MIB, 2),
            "rss_after_mib": round(self.after.rss_bytes / MIB, 2),
            "growth_mib": round(self.growth_bytes / MIB, 3),
            "requests": self.requests,
            "growth_bytes_per_request": round(self.growth_bytes_per_request, 2),
        }


@dataclass(frozen=True)
class MemoryGrowth:
    """The mock's memory at rest, after a first round of loads (one per operation), and around
    each operation's run in a second, identical round."""

    idle: MemorySample
    after_first_round: MemorySample
    second_round: tuple[RunGrowth, ...]

    @property
    def stateless_growth_bytes(self) -> int | None:
        """Growth over the second runs that keep no state: memory that scales with requests shows
        here. None when no operation is stateless."""
        runs = [run for run in self.second_round if run.stateless]
        return sum(run.growth_bytes for run in runs) if runs else None

    @property
    def after_second_round(self) -> MemorySample:
        return self.second_round[-1].after if self.second_round else self.after_first_round

    def as_dict(self) -> dict[str, object]:
        growth = self.stateless_growth_bytes
        return {
            "idle_rss_mib": round(self.idle.rss_bytes / MIB, 2),
            "rss_after_first_round_mib": round(self.after_first_round.rss_bytes / MIB, 2),
            "rss_after_second_round_mib": round(self.after_second_round.rss_bytes / MIB, 2),
            "peak_rss_mib": round(self.after_second_round.peak_rss_bytes / MIB, 2),
            "stateless_second_run_growth_mib": None if growth is None else round(growth / MIB, 3),
            "second_round": [run.as_dict() for run in self.second_round],
        }


def section(growth: MemoryGrowth, growth_limit_mib: float = GOAL_GROWTH_MIB) -> Section:
    stateless = growth.stateless_growth_bytes
    growth_mib = None if stateless is None else round(stateless / MIB, 3)
    stateless_runs = [run for run in growth.second_round if run.stateless]
    rows = [
        Row(
            "RSS at rest, after load round 1, after round 2",
            f"{growth.idle.rss_bytes / MIB:.1f} / {growth.after_first_round.rss_bytes / MIB:.1f} / "
            f"{growth.after_second_round.rss_bytes / MIB:.1f} MiB",
        ),
        Row("peak RSS (VmHWM) after both rounds", growth.after_second_round.peak_rss_bytes / MIB, "MiB"),
    ]
    for run in growth.second_round:
        if not run.stateless:
            rows.append(
                Row(
                    f"RSS growth during {run.operation_id} load 2 ({run.requests:,} requests; keeps "
                    "what it creates)",
                    f"{run.growth_bytes / MIB:.1f} MiB "
                    f"({run.growth_bytes_per_request:,.0f} bytes per request)",
                )
            )
    rows.append(
        Row(
            "RSS growth during load 2 of "
            + (", ".join(run.operation_id for run in stateless_runs) or "no stateless operation")
            + f" ({sum(run.requests for run in stateless_runs):,} requests)",
            growth_mib,
            "MiB",
            Goal(
                "mock_memory_growth",
                "mock RSS growth over a second load run of the operations that keep no state",
                growth_mib,
                "<=",
                growth_limit_mib,
                "MiB",
            ),
        )
    )
    return Section(
        key="memory",
        title="Mock memory",
        figures=growth.as_dict(),
        rows=rows,
        notes=[
            "Measured on the mock process of the load test (/proc/<pid>/status). Memory that scaled with "
            "requests would show as growth during the second round (one more run of each operation's load "
            "after every server's rounds). The goal "
            "counts the idempotent operations only: a successful create keeps its avatar, since the "
            "list must show it, so that growth is the state the contract asks for (its bytes per "
            "request are shown, not judged)."
        ],
    )
