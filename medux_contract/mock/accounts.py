"""Per-key account state: plan, credits, assets created and a token-bucket rate limit.

One lock guards every account. Each operation reads and updates state in one critical section
with no ``await`` inside, so concurrent requests (coroutines or threads) can neither spend the
same credit twice nor go past the asset limit.
"""

from __future__ import annotations

import enum
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass
class Account:
    plan: Plan
    credits: int | None
    asset_limit: int | None
    assets: int
    bucket: TokenBucket | None


class Accounts:
    def __init__(self, settings: MockSettings) -> None:
        self._settings = settings
        self._clock: Callable[[], float] = settings.clock
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self.reset()

    def reset(self) -> None:
        """Every key back to its starting credits, no assets, a full bucket."""
        settings = self._settings
        now = self._clock()
        with self._lock:
            self._accounts = {
                key: Account(
                    plan=plan,
                    credits=settings.credits,
                    asset_limit=settings.asset_limit,
                    assets=0,
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
                for key, plan in settings.api_keys.items()
            }

    def knows(self, key: str) -> bool:
        return key in self._accounts

    def plan(self, key: str) -> Plan:
        return self._accounts[key].plan

    def admit(self, key: str) -> int | None:
        """Take a rate-limit token; None when admitted, else whole seconds to wait (at least 1)."""
        now = self._clock()
        with self._lock:
            bucket = self._accounts[key].bucket
            wait = None if bucket is None else bucket.take(now)
        return None if wait is None else max(1, math.ceil(wait))

    def charge(self, key: str) -> Refusal | None:
        """Spend one credit and one asset slot together, or neither; None when charged."""
        with self._lock:
            account = self._accounts[key]
            if account.credits is not None and account.credits < 1:
                return Refusal.NO_CREDITS
            if account.asset_limit is not None and account.assets >= account.asset_limit:
                return Refusal.ASSET_LIMIT
            if account.credits is not None:
                account.credits -= 1
            account.assets += 1
            return None

    def snapshot(self, key: str) -> Account:
        """A copy of one account's state (for tests and diagnostics)."""
        with self._lock:
            account = self._accounts[key]
            bucket = account.bucket
            return Account(
                plan=account.plan,
                credits=account.credits,
                asset_limit=account.asset_limit,
                assets=account.assets,
                bucket=None if bucket is None else TokenBucket(**vars(bucket)),
            )
