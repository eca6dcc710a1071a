"""A client library for accessing Medux Clone API"""

from .client import AuthenticatedClient, Client
from .configuration import MissingApiKeyError
from .exceptions import *  # noqa: F403  (the typed errors, generated from the spec's code table)
from .exceptions import __all__ as _error_names
from .facade import AsyncMedux, Medux
from .paging import Page, RepeatedCursorError
from .raw_response import RawResponse
from .retries import RetryPolicy

__version__ = "2.0.0"

__all__ = (
    "AsyncMedux",
    "AuthenticatedClient",
    "Client",
    "Medux",
    "MissingApiKeyError",
    "Page",
    "RawResponse",
    "RepeatedCursorError",
    "RetryPolicy",
    "__version__",
    *_error_names,
)
