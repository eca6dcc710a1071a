"""uvicorn's HTTP protocol with one change: a request too malformed to reach the app (bad framing,
an unreadable ``Content-Length``, a broken request line) still gets a JSON envelope, not uvicorn's
``text/plain`` "Invalid HTTP request received."."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from medux_contract.mock.request_input import shorten
from medux_contract.mock.service import MEDIA_TYPE, REASON_HEADER


def envelope_protocol(envelope: bytes) -> type[HttpToolsProtocol]:
    """A protocol class that answers unparseable requests with ``envelope`` and HTTP 400."""

    class EnvelopeOnBadRequest(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            head = [b"HTTP/1.1 400 Bad Request\r\n"]
            for name, value in self.server_state.default_headers:
                head += [name, b": ", value, b"\r\n"]
            head += [
                b"content-type: " + MEDIA_TYPE.encode() + b"\r\n",
                b"content-length: " + str(len(envelope)).encode() + b"\r\n",
                REASON_HEADER.lower().encode() + b": " + shorten(msg).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
                envelope,
            ]
            self.transport.write(b"".join(head))
            self.transport.close()

    return EnvelopeOnBadRequest
