"""How much a run may send, decided from the target's address and the MEDUX_* variables.

A successful call to an operation that can bill may cost credits. A base URL whose host is not a
loopback address is treated as the real thing: by default only requests that cannot bill are sent
(no credentials, wrong credentials, requests the spec calls invalid, and any request to an
operation none of whose outcomes bills, such as a read); ``MEDUX_ALLOW_BILLABLE=1`` permits up to
``MEDUX_MAX_BILLABLE`` others. A request-rate cap and a hard cap on the total
number of requests apply too. Loopback targets (your own server) run without those caps.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_MAX_BILLABLE = 3
DEFAULT_MAX_RPS = 2.0
DEFAULT_MAX_REQUESTS = 200
LOCAL_HOSTNAMES = frozenset({"localhost"})

IsLocal = Callable[[str], bool]


class PolicyError(ValueError):
    """A MEDUX_* setting has a value the run cannot use; the message names it."""


def is_loopback_url(base_url: str) -> bool:
    """Whether the URL names this machine without a DNS lookup: ``localhost`` or a loopback IP.

    Any other name counts as remote even if it resolves to 127.0.0.1: a name can change what it
    points at, an address cannot.
    """
    host = (urlsplit(base_url).hostname or "").lower()
    if host in LOCAL_HOSTNAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class LivePolicy:
    remote: bool
    allow_billable: bool = False
    max_billable: int = DEFAULT_MAX_BILLABLE
    max_rps: float | None = None
    max_requests: int | None = None

    @property
    def billable_budget(self) -> int | None:
        """How many requests that may bill can be sent; None when billing is not this run's concern."""
        if not self.remote:
            return None
        return self.max_billable if self.allow_billable else 0

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], base_url: str, is_local: IsLocal = is_loopback_url
    ) -> LivePolicy:
        remote = not is_local(base_url)
        max_rps = _positive_float(env, "MEDUX_MAX_RPS", DEFAULT_MAX_RPS if remote else None)
        if not remote:
            return cls(remote=False, max_rps=max_rps)
        return cls(
            remote=True,
            allow_billable=_flag(env, "MEDUX_ALLOW_BILLABLE"),
            max_billable=_count(env, "MEDUX_MAX_BILLABLE", DEFAULT_MAX_BILLABLE),
            max_rps=max_rps,
            max_requests=_count(env, "MEDUX_MAX_REQUESTS", DEFAULT_MAX_REQUESTS, minimum=1),
        )

    def plan(self, base_url: str, has_key: bool, free_operations: Sequence[str] = ()) -> list[str]:
        """What the run will send and the caps in force, printed before the first request.

        ``free_operations`` names the operations that cannot bill (sent with the key freely)."""
        rate = f"at most {self.max_rps:g} requests/s" if self.max_rps else "no rate cap"
        if not self.remote:
            return [
                f"target: {base_url} (loopback: no billing guard, {rate}; "
                "answers with the rate-limit code pause the run)"
            ]
        lines = [f"target: {base_url} (REMOTE: requests may cost credits)"]
        sends = "requests without credentials, with a wrong key"
        if has_key:
            if free_operations:
                sends += f", with your key to operations that cannot bill ({', '.join(free_operations)})"
            sends += ", and with your key to the others only when the spec calls the request invalid"
        lines.append(f"will send: {sends}")
        if not has_key:
            lines.append("MEDUX_API_KEY is not set: no request carries a valid key, nothing can bill")
        elif self.allow_billable:
            lines.append(
                f"billable: up to {self.max_billable} valid requests with your key (MEDUX_ALLOW_BILLABLE=1, "
                f"MEDUX_MAX_BILLABLE={self.max_billable}); each may cost credits"
            )
        else:
            lines.append(
                "billable: none; valid requests with your key are withheld "
                "(MEDUX_ALLOW_BILLABLE=1 allows some)"
            )
        lines.append(
            f"caps: {rate}, at most {self.max_requests} requests in all; answers with the rate-limit code "
            "pause the run, and it stops if the server keeps sending them"
        )
        return lines


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise PolicyError(f"{name} must be 1 or 0, got {value!r}")


def _count(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise PolicyError(f"{name} must be an integer of at least {minimum}, got {value!r}")
    return int(value)


def _positive_float(env: Mapping[str, str], name: str, default: float | None) -> float | None:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (number > 0 and math.isfinite(number)):
        raise PolicyError(f"{name} must be a positive number, got {value!r}")
    return number
