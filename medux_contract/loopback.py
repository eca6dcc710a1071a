"""Loopback helpers for tests and benchmarks: a free port, and an ASGI app served over real HTTP.

Everything binds 127.0.0.1 only, and whatever is started is stopped by the caller's ``with`` block.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

STARTUP_DEADLINE_SECONDS = 10.0


@contextmanager
def served(app: ASGIApp, *, log_level: str = "warning", **options: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 in a thread; yields its base URL and stops it on exit.

    ``options`` are further ``uvicorn.Config`` arguments (the mock passes its bounded protocol).
    """
    settings: dict[str, Any] = {"lifespan": "off", **options}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level=log_level, **settings))
    thread = threading.Thread(target=server.run, name="medux-loopback-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the loopback server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_DEADLINE_SECONDS)


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on right now (just released by us): free to serve on, and
    refusing connections until someone does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(process: subprocess.Popen[str], port: int, timeout: float = 15.0) -> None:
    """Return once ``process`` accepts connections on 127.0.0.1:``port``; fail with its output if it
    exits first or does not listen within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the server exited with {process.returncode} before listening: {out}{err}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the server did not listen on 127.0.0.1:{port} within {timeout:g} s")
