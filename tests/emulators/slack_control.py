"""Test controls of the Slack emulator: call recording, failure injection, rate limits."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from tests.emulators.slack_records import Call, Reply


class Recorder:
    """Every request, in arrival order. Waiters block on a condition notified per new call."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = asyncio.Condition()

    async def add(self, call: Call) -> None:
        async with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def select(self, method: str | None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method == method]

    def _first(self, method: str, predicate: Callable[[Call], bool] | None) -> Call | None:
        for call in self.select(method):
            if predicate is None or predicate(call):
                return call
        return None

    async def wait_for(self, method: str, predicate: Callable[[Call], bool] | None) -> Call:
        """The first matching call, already recorded or yet to come (bound it by a timeout)."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._first(method, predicate) is not None)
        found = self._first(method, predicate)
        assert found is not None  # the wait above returned only once it matched
        return found

    def seen(self) -> list[str]:
        return [call.method for call in self._calls]


@dataclass(slots=True)
class _Failure:
    error: str
    status: int
    retry_after: int | None
    remaining: int

    def reply(self) -> Reply:
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        return Reply({"ok": False, "error": self.error}, status=self.status, headers=headers)


@dataclass(slots=True)
class _Bucket:
    """Token bucket: `rate` tokens per second, bursts up to `capacity`."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait_needed(self, now: float) -> float:
        """Take a token; 0.0 when one was available, else seconds until one will be."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def ratelimited(retry_after: float) -> Reply:
    seconds = max(1, math.ceil(retry_after))
    body = {"ok": False, "error": "ratelimited"}
    return Reply(body, status=429, headers={"Retry-After": str(seconds)})


class Faults:
    """Injected failures (consumed in the order they were queued), slow answers, rate limits."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._limits: dict[str, float] = {}
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def fail_next(
        self, method: str, *, error: str, status: int, retry_after: int | None, times: int
    ) -> None:
        if retry_after is None and status == 429:
            retry_after = 1
        failure = _Failure(error, status, retry_after, times)
        self._failures.setdefault(method, deque()).append(failure)

    def take_failure(self, method: str) -> Reply | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        return failure.reply()

    def set_delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    def delay(self, method: str) -> float:
        return self._delays.get(method, 0.0)

    def set_rate_limit(self, method: str, per_second: float | None) -> None:
        self._buckets = {key: b for key, b in self._buckets.items() if key[0] != method}
        if per_second is None:
            self._limits.pop(method, None)
        else:
            self._limits[method] = per_second

    def rate_limited(self, method: str, channel: str) -> Reply | None:
        """Per (method, channel) bucket, as Slack limits chat.postMessage per channel."""
        rate = self._limits.get(method)
        if rate is None:
            return None
        now = time.monotonic()
        capacity = max(1.0, rate)
        bucket = self._buckets.setdefault((method, channel), _Bucket(rate, capacity, capacity, now))
        wait = bucket.wait_needed(now)
        return ratelimited(wait) if wait > 0 else None
