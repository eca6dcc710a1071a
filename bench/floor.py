"""The bare-ASGI floor: the mock's own server stack answering each operation's canned success bytes.

What the mock could reach if its own work cost nothing: the same uvicorn, httptools, uvloop and
bounded protocol class (:func:`medux_contract.mock.server.server_options`, with the mock's default
bounds), serving an ASGI app that answers each operation's success envelope (the spec's success
example through :func:`medux_contract.envelope.build_envelope`, serialised once at start-up) without
reading the request. ``python -m bench.floor --port N`` serves it until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import uvicorn
from starlette.types import Receive, Scope, Send

from medux_contract.envelope import build_envelope
from medux_contract.mock import MockService, MockSettings
from medux_contract.mock.server import server_options
from medux_contract.spec import Contract, load_contract

JSON_HEADERS = [(b"content-type", b"application/json")]


def canned_answers(contract: Contract) -> dict[tuple[str, str], bytes]:
    """(METHOD, path) -> the compact JSON of the operation's success envelope, for every operation."""
    return {
        (op.method.upper(), op.path): json.dumps(
            build_envelope(op, op.success.value), separators=(",", ":")
        ).encode()
        for op in contract.operations
    }


class FloorApp:
    """Answers a known (method, path) with its canned bytes and anything else with an empty 404."""

    def __init__(self, answers: Mapping[tuple[str, str], bytes]) -> None:
        self._starts = {
            route: {
                "type": "http.response.start",
                "status": 200,
                "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode())],
            }
            for route, body in answers.items()
        }
        self._bodies = {
            route: {"type": "http.response.body", "body": body} for route, body in answers.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        route = (scope["method"], scope["path"])
        start = self._starts.get(route)
        if start is None:
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send(self._bodies[route])


def command(port: int, spec: Path | None = None) -> list[str]:
    """The argv that serves the floor on 127.0.0.1:``port`` (for :func:`bench.servers.serve`)."""
    argv = [sys.executable, "-m", "bench.floor", "--port", str(port)]
    return argv + ([] if spec is None else ["--spec", str(spec)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", type=Path, default=None, help="another spec file (default: openapi.yaml)")
    args = parser.parse_args(argv)
    contract = load_contract() if args.spec is None else load_contract(args.spec)
    # The protocol class is built for a mock of the same contract, so it has the mock's bounds.
    options = server_options(MockService(MockSettings(spec=contract)))
    uvicorn.run(
        FloorApp(canned_answers(contract)), host="127.0.0.1", port=args.port, log_level="warning", **options
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
