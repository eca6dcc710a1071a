"""An operation's query and header parameters, read from the request as their schemas declare them.

A query string only carries text, so each value is first turned into the JSON type its schema names
(``limit=20`` -> 20, ``verbose=true`` -> True), strictly: ``1.5`` is not an integer and ``maybe``
not a boolean. The value is then checked against the whole schema (bounds, lengths, patterns). A
missing parameter takes its schema's ``default``; a required one missing, or one sent twice, is
refused. Parameters the operation does not declare are ignored, as most servers do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from medux_contract.mock.exchange import Incoming
from medux_contract.mock.request_input import InputRejected
from medux_contract.mock.request_schema import RequestSchema
from medux_contract.spec import Parameter, SpecError

READABLE_LOCATIONS = ("query", "header")
_INTEGER = re.compile(r"-?[0-9]{1,30}")


class _NotOfType(ValueError):
    pass


def _integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise _NotOfType("is not an integer")
    return int(text)


def _number(text: str) -> float | int:
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        raise _NotOfType("is not a number") from None
    if not math.isfinite(value) or text.strip() != text:
        raise _NotOfType("is not a finite number")
    return value


def _boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise _NotOfType("is not a boolean (true or false)")
    return text == "true"


_COERCIONS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
}


@dataclass(frozen=True)
class ParameterReader:
    parameter: Parameter
    coerce: Callable[[str], Any]
    schema: RequestSchema
    label: str

    @classmethod
    def of(cls, document: Mapping[str, Any], parameter: Parameter) -> ParameterReader:
        kind = parameter.schema.get("type")
        if parameter.location not in READABLE_LOCATIONS or kind not in _COERCIONS:
            raise SpecError(
                f"{parameter.pointer}: the mock reads {', '.join(READABLE_LOCATIONS)} parameters of "
                f"type {', '.join(_COERCIONS)}; {parameter.name!r} is a {parameter.location} "
                f"parameter of type {kind!r}"
            )
        return cls(
            parameter,
            _COERCIONS[kind],
            RequestSchema(document, parameter.schema),
            f"{parameter.location} parameter {parameter.name}",
        )

    def read(self, values: list[str]) -> tuple[bool, Any]:
        """(present, value): the parameter's value, its default when absent, or InputRejected."""
        name = self.parameter.name
        if not values:
            if self.parameter.required:
                raise InputRejected(f"{self.label} is required")
            if "default" in self.parameter.schema:
                return True, self.parameter.schema["default"]
            return False, None
        if len(values) > 1:
            raise InputRejected(f"{self.label} is given {len(values)} times; send it once")
        try:
            value = self.coerce(values[0])
        except _NotOfType as exc:
            raise InputRejected(f"{self.label}: {values[0]!r} {exc}") from None
        problem = self.schema.check(value, name)
        if problem is not None:
            raise InputRejected(f"{self.parameter.location} parameter {problem}")
        return True, value


class Parameters:
    """Every parameter of one operation, read in the spec's order."""

    def __init__(self, document: Mapping[str, Any], parameters: tuple[Parameter, ...]) -> None:
        self.readers = tuple(ParameterReader.of(document, parameter) for parameter in parameters)
        # (reader, name, the header it is read from or None for a query parameter), worked out once.
        sources = []
        for reader in self.readers:
            name = reader.parameter.name
            header = None if reader.parameter.location == "query" else name.lower().encode("latin-1")
            sources.append((reader, name, header))
        self._sources = tuple(sources)

    def __bool__(self) -> bool:
        return bool(self.readers)

    def read(self, request: Incoming) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for reader, name, header in self._sources:
            present, value = reader.read(request.query(name) if header is None else request.headers(header))
            if present:
                found[name] = value
        return found
