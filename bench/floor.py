"""The bare-ASGI floor: the mock's own server stack answering each operation's canned success bytes.

What the mock could reach if its own work cost nothing: the same uvicorn, httptools, uvloop and
bounded protocol class (:func:`medux_contract.mock.server.server_options`, with the mock's default
bounds), serving an ASGI app that answers each (method, path) with fixed bytes without reading the
request. By default those are the operation's success envelope (the spec's success example through
:func:`medux_contract.envelope.build_envelope`); the load test hands it, in an answers file, the
bytes the mock itself answered the load's request with, so both send the same JSON (a list page of
20 assets is 16 times the spec example's one). ``python -m bench.floor --port N [--answers FILE]``
serves it until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
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


def write_answers(path: Path, answers: Mapping[tuple[str, str], bytes]) -> Path:
    """``answers`` as the JSON file ``--answers`` reads: ``{"METHOD path": "<the body, UTF-8>"}``."""
    text = {f"{method} {route}": body.decode("utf-8") for (method, route), body in answers.items()}
    path.write_text(json.dumps(text), encoding="utf-8")
    return path


def read_answers(path: Path) -> dict[tuple[str, str], bytes]:
    """The answers :func:`write_answers` wrote; ValueError for a file of another shape."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not all(
        isinstance(key, str) and " " in key and isinstance(body, str) for key, body in raw.items()
    ):
        raise ValueError(f'{path}: expected {{"METHOD path": "<body>"}}')
    answers: dict[tuple[str, str], bytes] = {}
    for key, body in raw.items():
        method, route = key.split(" ", 1)
        answers[(method, route)] = body.encode("utf-8")
    return answers


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


def command(port: int, spec: Path | None = None, answers: Path | None = None) -> list[str]:
    """The argv that serves the floor on 127.0.0.1:``port`` (for :func:`bench.servers.serve`)."""
    argv = [sys.executable, "-m", "bench.floor", "--port", str(port)]
    argv += [] if spec is None else ["--spec", str(spec)]
    return argv + ([] if answers is None else ["--answers", str(answers)])


def answering(answers: Mapping[tuple[str, str], bytes], workdir: Path) -> Callable[[int], list[str]]:
    """The argv factory of a floor that answers ``answers`` (written into ``workdir`` when started)."""

    def argv(port: int) -> list[str]:
        return command(port, answers=write_answers(workdir / "floor-answers.json", answers))

    return argv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", type=Path, default=None, help="another spec file (default: openapi.yaml)")
    parser.add_argument(
        "--answers",
        type=Path,
        default=None,
        help='a JSON file of answers, {"METHOD path": body}, to send instead of the spec examples',
    )
    args = parser.parse_args(argv)
    contract = load_contract() if args.spec is None else load_contract(args.spec)
    answers = canned_answers(contract)
    if args.answers is not None:
        try:
            answers.update(read_answers(args.answers))
        except (OSError, ValueError) as exc:
            parser.error(f"--answers: {exc}")
    # The protocol class is built for a mock of the same contract, so it has the mock's bounds.
    options = server_options(MockService(MockSettings(spec=contract)))
    uvicorn.run(FloorApp(answers), host="127.0.0.1", port=args.port, log_level="warning", **options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
