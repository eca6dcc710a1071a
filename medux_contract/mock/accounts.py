"""Per-key account state: plan, credits, the avatar assets created and a token-bucket rate limit.

One lock guards every account. Each operation reads and updates state in one critical section
with no ``await`` inside, so concurrent requests (coroutines or threads) can neither spend the
same credit twice nor go past the asset limit.

A key's assets are a list in creation order that only grows at the end, so a position in it is a
stable cursor and a page is a slice: O(limit), whatever the key holds. Only each asset's title is
stored (one pointer per asset; titles are shared when repeated): its id is derived from the
account's ordinal, its position and a tag drawn at every reset, so ids never repeat across keys or
resets and a load test's thousands of assets cost a few bytes each.
"""

from __future__ import annotations

import enum
import math
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from medux_contract.mock.cursors import key_tag
from medux_contract.mock.settings import MockSettings, Plan


class Refusal(enum.Enum):
    """Why an account cannot pay for a clone."""

    NO_CREDITS = "no credits left"
    ASSET_LIMIT = "asset limit reached"


@dataclass
class TokenBucket:
    capacity: int
    per_second: float
    tokens: float
    updated: float

    def take(self, now: float) -> float | None:
        """Take one token; None when taken, else the seconds until one is available."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.capacity), self.tokens + elapsed * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return (1.0 - self.tokens) / self.per_second


def asset_json(avatar_asset_id: str, title: str | None) -> dict[str, str]:
    """An asset as the API sends it (``title`` only when one was given)."""
    if title is None:
        return {"avatar_asset_id": avatar_asset_id}
    return {"avatar_asset_id": avatar_asset_id, "title": title}


class Asset(NamedTuple):
    avatar_asset_id: str
    title: str | None

    def as_json(self) -> dict[str, str]:
        return asset_json(self.avatar_asset_id, self.title)


class Page(NamedTuple):
    """A slice of one key's assets, as the API sends them, and the position after it (None: it
    reaches the end). Items, not :class:`Asset` objects, in a named tuple: a page is built on every
    list request."""

    items: list[dict[str, str]]
    next_position: int | None


@dataclass
class Account:
    plan: Plan
    credits: int | None
    asset_limit: int | None
    titles: list[str | None]
    """One entry per asset, oldest first: its title (its id follows from its position)."""
    bucket: TokenBucket | None
    id_prefix: str = ""
    """What each of its asset ids starts with (the position follows): unique to the key and the reset."""
    tag: bytes = field(default=b"", repr=False)

    @property
    def assets(self) -> int:
        return len(self.titles)


class Accounts:
    def __init__(self, settings: MockSettings) -> None:
        self._settings = settings
        self._clock: Callable[[], float] = settings.clock
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._titles: dict[str, str] = {}
        self.reset()

    def reset(self) -> None:
        """Every key back to its starting credits, its seeded assets only, a full bucket."""
        settings = self._settings
        now = self._clock()
        with self._lock:
            epoch = secrets.token_hex(4)
            self._titles = {}
            self._accounts = {
                key: Account(
                    plan=plan,
                    credits=settings.credits,
                    asset_limit=settings.asset_limit,
                    titles=[None] * settings.seed_assets,
                    id_prefix=f"avatar_mock_{epoch}_{ordinal}_",
                    tag=key_tag(key),
                    bucket=(
                        None
                        if settings.rate_limit_burst is None
                        else TokenBucket(
                            settings.rate_limit_burst,
                            settings.rate_limit_per_second,
                            float(settings.rate_limit_burst),
                            now,
                        )
                    ),
                )
                for ordinal, (key, plan) in enumerate(settings.api_keys.items())
            }

    @property
    def limits_rate(self) -> bool:
        """Whether any key has a token bucket (rate limiting can be off for the whole mock)."""
        return self._settings.rate_limit_burst is not None

    def knows(self, key: str) -> bool:
        return key in self._accounts

    def plan(self, key: str) -> Plan:
        return self._accounts[key].plan

    def tag(self, key: str) -> bytes:
        """What the key's cursors are bound to."""
        return self._accounts[key].tag

    def admit(self, key: str) -> int | None:
        """Take a rate-limit token; None when admitted, else whole seconds to wait (at least 1)."""
        now = self._clock()
        with self._lock:
            bucket = self._accounts[key].bucket
            wait = None if bucket is None else bucket.take(now)
        return None if wait is None else max(1, math.ceil(wait))

    def charge(
        self, key: str, title: str | None, *, credits: bool = True, limit: bool = True
    ) -> Asset | Refusal:
        """Spend one credit and create one asset together, or neither.

        ``credits`` / ``limit`` False skip that check (an operation that cannot answer the code the
        refusal stands for). The asset is listed for ``key`` from now on.
        """
        with self._lock:
            account = self._accounts[key]
            if credits and account.credits is not None and account.credits < 1:
                return Refusal.NO_CREDITS
            if limit and account.asset_limit is not None and len(account.titles) >= account.asset_limit:
                return Refusal.ASSET_LIMIT
            if credits and account.credits is not None:
                account.credits -= 1
            if title is not None:
                title = self._titles.setdefault(title, title)
            account.titles.append(title)
            return Asset(account.id_prefix + str(len(account.titles) - 1), title)

    def page(self, key: str, start: int, limit: int) -> Page | None:
        """Up to ``limit`` of the key's assets from position ``start``; None if it has no such position."""
        with self._lock:
            account = self._accounts[key]
            if start > len(account.titles):
                return None
            titles = account.titles[start : start + limit]
            end = start + len(titles)
            following = end if end < len(account.titles) else None
            prefix = account.id_prefix
        # Built outside the lock: ``titles`` is a copy, and the ids need only the prefix.
        # asset_json inlined: a page builds up to 100 of these per request.
        items = [
            {"avatar_asset_id": prefix + str(at)}
            if title is None
            else {"avatar_asset_id": prefix + str(at), "title": title}
            for at, title in enumerate(titles, start)
        ]
        return Page(items, following)

    def snapshot(self, key: str) -> Account:
        """A copy of one account's state (for tests and diagnostics)."""
        with self._lock:
            account = self._accounts[key]
            bucket = account.bucket
            return Account(
                plan=account.plan,
                credits=account.credits,
                asset_limit=account.asset_limit,
                titles=list(account.titles),
                bucket=None if bucket is None else TokenBucket(**vars(bucket)),
                id_prefix=account.id_prefix,
                tag=account.tag,
            )
