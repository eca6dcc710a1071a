"""A client library for accessing Medux Create Avatar by Image API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
