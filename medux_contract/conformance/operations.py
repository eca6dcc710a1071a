"""Which operation of the spec a request went to, read from the request as it was sent.

The checks judge what went over the wire, not what the generator meant: the coverage phase also
sends methods and paths the spec does not define, and those belong to no operation ("not
applicable" for every check). The contract is the one the run's schema was loaded from, so a run
over another spec file (a fixture with a made-up operation) is judged by that spec's operations.
"""

from __future__ import annotations

from threading import Lock
from typing import Any
from urllib.parse import urlsplit

from schemathesis.schemas import BaseSchema

from medux_contract.spec import Contract, Operation, contract_of

_CACHE_SIZE = 8
_contracts: dict[int, tuple[Any, Contract]] = {}
_lock = Lock()


def contract_for(schema: BaseSchema) -> Contract:
    """The spec model of the document ``schema`` was loaded from, built once per document."""
    raw = schema.raw_schema
    with _lock:
        cached = _contracts.get(id(raw))
        # The document itself is kept with its model: an id is only unique while its object lives.
        if cached is not None and cached[0] is raw:
            return cached[1]
        contract = contract_of(raw)
        if len(_contracts) >= _CACHE_SIZE:
            _contracts.pop(next(iter(_contracts)))
        _contracts[id(raw)] = (raw, contract)
        return contract


def relative_path(url: str, base_url: str | None) -> str | None:
    """The path of ``url`` below ``base_url``'s path; None when it is not below it."""
    path = urlsplit(url).path or "/"
    base_path = urlsplit(base_url or "").path.rstrip("/")
    if not base_path:
        return path
    if path == base_path or not path.startswith(base_path + "/"):
        return None
    return path[len(base_path) :]


def operation_at(
    contract: Contract, method: str | None, url: str | None, base_url: str | None
) -> Operation | None:
    """The operation a request with ``method`` to ``url`` reaches, or None (no such operation)."""
    path = relative_path(url or "", base_url)
    if method is None or path is None:
        return None
    return contract.find(method, path)
