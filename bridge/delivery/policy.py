"""How long to wait before retrying a delivery, and when to give up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base: float = 1.0  # seconds before the first retry
    factor: float = 2.0
    max_delay: float = 60.0
    max_attempts: int = 8  # then the entry is dead-lettered and reported
    max_retry_after: float = 300.0  # a vendor asking for longer is still honoured, capped here

    def delay(self, attempt: int) -> float:
        """Back-off after `attempt` failures (1-based)."""
        return min(self.max_delay, self.base * self.factor ** max(0, attempt - 1))

    def retry_after(self, seconds: float) -> float:
        return max(0.0, min(seconds, self.max_retry_after))


@dataclass(frozen=True, slots=True)
class LaneSettings:
    lease_ms: int = 10_000  # a dead process's lanes are taken over after at most this
    renew_every: float = 3.0
    heartbeat_ms: int = 10_000
    batch: int = 20
    idle_wait: float = 5.0  # a lane with no wake-up re-reads after this (a missed doorbell)
