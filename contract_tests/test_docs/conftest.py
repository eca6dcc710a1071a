"""Shared fixtures of the docs tests: the real site/ build, spec copies, a recording loopback server."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from medux_contract.docs import build as build_docs
from medux_contract.spec import code_table, load_spec, operation


@pytest.fixture(scope="session")
def site() -> Path:
    """site/ as `make docs` builds it (the real entry point, the real Redocly CLI)."""
    assert build_docs.main([]) == 0
    return build_docs.SITE


@pytest.fixture
def spec() -> dict[str, Any]:
    """A private copy of the committed spec, free to change."""
    return copy.deepcopy(load_spec())


def write_spec(directory: Path, spec: dict[str, Any]) -> Path:
    path = directory / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def success_example(spec: dict[str, Any]) -> dict[str, Any]:
    """The 200 example of the success code, as the vendor would answer a good call."""
    name = next(entry.example_name for entry in code_table() if entry.is_success)
    media = operation(spec)["responses"]["200"]["content"]["application/json"]
    return dict(media["examples"][name]["value"])


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingServer:
    """A loopback HTTP server that records each request and answers with the success example."""

    base_url: str
    answer: dict[str, Any]
    requests: list[Recorded] = field(default_factory=list)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    recorder = RecordingServer(base_url="", answer=success_example(load_spec()))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorder.requests.append(
                Recorded(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            payload = json.dumps(recorder.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
