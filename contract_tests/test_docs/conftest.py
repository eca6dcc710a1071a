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
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from medux_contract.docs import build as build_docs
from medux_contract.envelope import build_envelope
from medux_contract.spec import Contract, load_contract, load_spec


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


@dataclass
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingServer:
    """A loopback HTTP server that records each request and answers with an envelope.

    The answer is the next of ``queued`` while any is left, else ``answer`` when a test sets one,
    else the spec's success example of the operation the request is for (a path the spec does not
    serve gets a 404).
    """

    base_url: str
    contract: Contract
    answer: dict[str, Any] | None = None
    queued: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def answer_for(self, method: str, path: str) -> tuple[int, dict[str, Any]]:
        if self.queued:
            return 200, self.queued.pop(0)
        if self.answer is not None:
            return 200, self.answer
        operation = self.contract.find(method, path)
        if operation is None:
            return 404, {"error": f"no operation {method} {path}"}
        return 200, build_envelope(operation, operation.success.value)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    recorder = RecordingServer(base_url="", contract=load_contract())

    class Handler(BaseHTTPRequestHandler):
        def _record_and_answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            url = urlsplit(self.path)
            recorder.requests.append(
                Recorded(
                    self.command,
                    url.path,
                    parse_qsl(url.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            status, answer = recorder.answer_for(self.command, url.path)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _record_and_answer

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
