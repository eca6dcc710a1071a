"""bench/servers.py: servers start on a free loopback port and are always stopped, with their children."""

from __future__ import annotations

import os
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

from bench.errors import BenchError
from bench.servers import LOOPBACK, RunningServer, serve
from medux_contract.loopback import free_port


def http_server(port: int) -> list[str]:
    return [sys.executable, "-m", "http.server", str(port), "--bind", LOOPBACK]


def shell_wrapped_http_server(port: int) -> list[str]:
    """A server started through a shell, as npm's bin shims start Prism: the shell's child must stop too."""
    return ["sh", "-c", f"{sys.executable} -m http.server {port} --bind {LOOPBACK} & wait"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_free_port_is_on_loopback_and_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind((LOOPBACK, port))


def test_server_answers_inside_the_block_and_is_stopped_after(tmp_path: Path) -> None:
    with serve("http.server", http_server, cwd=tmp_path) as server:
        assert server.base_url == f"http://{LOOPBACK}:{server.port}"
        with urllib.request.urlopen(server.base_url + "/", timeout=5) as response:
            assert response.status == 200
    assert not alive(server.pid)


def test_server_is_stopped_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), serve("http.server", http_server, cwd=tmp_path) as server:
        raise RuntimeError("boom")
    assert not alive(server.pid)


def test_the_whole_process_group_is_stopped(tmp_path: Path) -> None:
    with serve("wrapped", shell_wrapped_http_server, cwd=tmp_path) as server:
        children = children_of(server.pid)
        assert children
    assert not alive(server.pid)
    assert not any(alive(child) for child in children)


def test_a_server_that_exits_at_once_is_a_clear_error(tmp_path: Path) -> None:
    def exits(port: int) -> list[str]:
        return [sys.executable, "-c", "raise SystemExit(3)"]

    with (
        pytest.raises(BenchError, match="exited with 3 before it served"),
        serve("broken", exits, cwd=tmp_path),
    ):
        pass


def test_a_missing_program_is_a_clear_error(tmp_path: Path) -> None:
    def missing(port: int) -> list[str]:
        return [str(tmp_path / "no-such-server")]

    with pytest.raises(BenchError, match="cannot start missing"), serve("missing", missing, cwd=tmp_path):
        pass


def test_a_server_that_never_becomes_ready_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    seen: list[int] = []

    def never(server: RunningServer) -> bool:
        seen.append(server.pid)
        return False

    never_ready = serve("never ready", http_server, cwd=tmp_path, ready=never, start_timeout_s=0.5)
    with pytest.raises(BenchError, match="did not answer"), never_ready:
        pass
    assert seen
    assert not alive(seen[0])
