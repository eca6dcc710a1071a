"""The test kit's tests; the wheel-installing ones carry a marker so a quick run can leave them out."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "installs_wheels: builds both wheels into a fresh virtualenv (about 10 s; -m 'not installs_wheels')",
    )
