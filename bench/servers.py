"""Start a server process on a free loopback port, wait until it answers, and always stop it.

Each server runs in its own process group (``start_new_session``) so that stopping it also stops
whatever it forked (npm shims, Prism's workers), and the stop happens in ``finally`` whatever went
wrong in between.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.errors import BenchError
from bench.processes import signal_group, wait_group_gone
from medux_contract.loopback import free_port

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class RunningServer:
    name: str
    pid: int
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


def _accepts_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((LOOPBACK, port)) == 0


def _stop(process: subprocess.Popen[bytes], grace_s: float = 5) -> None:
    """SIGTERM the server's whole process group, SIGKILL what is left after ``grace_s``.

    Waiting for the leader is not enough: its children (Prism behind npm's shim, a shell's child)
    may still be exiting, and the next server must not share the machine with them.
    """
    pgid = process.pid
    signal_group(pgid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
    if process.poll() is None or not wait_group_gone(pgid, grace_s):
        signal_group(pgid, signal.SIGKILL)
        process.wait(timeout=grace_s)
        wait_group_gone(pgid, grace_s)


@contextlib.contextmanager
def serve(
    name: str,
    command: Callable[[int], Sequence[str]],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    ready: Callable[[RunningServer], bool] | None = None,
    start_timeout_s: float = 60,
) -> Iterator[RunningServer]:
    """Run ``command(port)`` until the block ends; ready when the port accepts and ``ready`` holds.

    The server's output goes to /dev/null: its per-request log lines are part of the work it does
    under load, but reading them here would slow the benchmark process.
    """
    port = free_port()
    argv = list(command(port))
    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise BenchError(f"cannot start {name} ({argv[0]}): {exc}") from None
    try:
        server = RunningServer(name=name, pid=process.pid, port=port)
        deadline = time.monotonic() + start_timeout_s
        while not (_accepts_connections(port) and (ready is None or ready(server))):
            if process.poll() is not None:
                raise BenchError(
                    f"{name} exited with {process.returncode} before it served; try: {' '.join(argv)}"
                )
            if time.monotonic() > deadline:
                raise BenchError(f"{name} did not answer on port {port} within {start_timeout_s:g} s")
            time.sleep(0.2)
        yield server
    finally:
        _stop(process)
