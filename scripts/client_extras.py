"""Modules of the client that openapi-python-client cannot produce, rendered from the spec.

Placeholder for the typed errors and the call style derived from ``x-medux-codes``; today it
writes nothing beyond what the generator wrote.
"""

from __future__ import annotations

from pathlib import Path


def render_extras(client_root: Path, spec: Path) -> None:
    """Add the spec-derived modules to a freshly generated client at ``client_root``."""
    del client_root, spec
