"""The embedded mock server: a spec-driven reference implementation of openapi.yaml.

``create_app(MockSettings(...))`` gives an ASGI app for in-process tests (``httpx.ASGITransport``);
``python -m medux_contract.mock --port N`` (``make mock``) serves it with uvicorn. Every operation
of the spec gets a route; every code an operation can answer can be selected with a magic value
(:func:`magic_file_id`, :func:`magic_cursor`) or a ``Prefer`` header built by :func:`prefer_example`.
"""

from medux_contract.mock.app import create_app
from medux_contract.mock.guard import LOGGER_NAME
from medux_contract.mock.selection import (
    MAGIC_FILE_PREFIX,
    MAGIC_MARK,
    PREFER_HEADER,
    magic_cursor,
    magic_file_id,
    prefer_example,
)
from medux_contract.mock.service import REASON_HEADER, MockService
from medux_contract.mock.settings import (
    DEFAULT_CATALOG_PATH,
    DEFAULT_PAID_TEST_KEY,
    DEFAULT_TEST_KEY,
    MockSettings,
    Plan,
    StatusMode,
)

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "DEFAULT_PAID_TEST_KEY",
    "DEFAULT_TEST_KEY",
    "LOGGER_NAME",
    "MAGIC_FILE_PREFIX",
    "MAGIC_MARK",
    "PREFER_HEADER",
    "REASON_HEADER",
    "MockService",
    "MockSettings",
    "Plan",
    "StatusMode",
    "create_app",
    "magic_cursor",
    "magic_file_id",
    "prefer_example",
]
