"""The one error type of the benchmarks: a measurement that cannot run, with a message a person can act on."""

from __future__ import annotations


class BenchError(RuntimeError):
    """A benchmark could not run (a tool is missing, a server did not start, a command failed)."""
