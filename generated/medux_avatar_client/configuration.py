"""What ``Medux`` / ``AsyncMedux`` read from the environment: the key, the base URL and the log level.

``MEDUX_API_KEY`` and ``MEDUX_BASE_URL`` stand in for the constructor arguments a caller leaves out;
``MEDUX_LOG=info|debug`` switches the client's logging on (to stderr), with every key a client was
given replaced by ``[redacted]`` in whatever passes through that handler, httpx's records included.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

API_KEY_ENV = "MEDUX_API_KEY"
BASE_URL_ENV = "MEDUX_BASE_URL"
LOG_ENV = "MEDUX_LOG"
LOG_LEVELS: Mapping[str, int] = {"info": logging.INFO, "debug": logging.DEBUG}
REDACTED = "[redacted]"
PACKAGE_LOGGER = "medux_avatar_client"
# httpx logs each request line at INFO; with MEDUX_LOG it goes through the same redacting handler.
LOGGERS = (PACKAGE_LOGGER, "httpx")
# Loggers that may quote what a server sent (httpx's status line with its reason phrase, httpcore's
# response headers at DEBUG): the redacting filter sits on each of them, so that every handler,
# the application's own included, gets their records with the key replaced. A logger's filters run
# only for records it emits at an enabled level: nothing is spent while logging is off.
QUOTING_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class MissingApiKeyError(ValueError):
    """No API key: neither the ``api_key`` argument nor ``MEDUX_API_KEY`` gives one."""


def api_key_from(argument: str | None, environ: Mapping[str, str] = os.environ) -> str:
    key = argument if argument is not None else environ.get(API_KEY_ENV)
    if not key:
        raise MissingApiKeyError(f"no Medux API key: pass api_key=... or set the {API_KEY_ENV} environment variable")
    return key


def base_url_from(argument: str | None, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return argument or environ.get(BASE_URL_ENV) or default


class RedactingFilter(logging.Filter):
    """Replaces every registered secret in a record's final message (arguments already merged)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, REDACTED)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the ``sys.stderr`` of the moment (a test or an app may swap it after set-up)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


_REDACTION = RedactingFilter()


def redact(secret: str) -> None:
    """Never let ``secret`` through the client's log handler, nor out of httpx's and httpcore's loggers."""
    if secret and secret not in _REDACTION.secrets:
        _REDACTION.secrets.add(secret)
        for name in QUOTING_LOGGERS:
            logger = logging.getLogger(name)
            if _REDACTION not in logger.filters:
                logger.addFilter(_REDACTION)


def setup_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Switch logging on as ``MEDUX_LOG`` says (``info`` or ``debug``); nothing when it is unset or other."""
    level = LOG_LEVELS.get(environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
            handler = _StderrHandler()
            handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
            handler.addFilter(_REDACTION)
            logger.addHandler(handler)
        logger.setLevel(level)


__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "LOG_ENV",
    "MissingApiKeyError",
    "api_key_from",
    "base_url_from",
    "redact",
    "setup_logging",
]
