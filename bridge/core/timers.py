"""Firing the durable timers. Due times live in Redis; any process may fire a timer, one at a
time (a lease), and a process that dies mid-way lets it fire again: handlers are idempotent
because every change they make is a guarded script. Tests call run_due() with a fake clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager, suppress

from redis.exceptions import RedisError

from bridge.core.scheduler import Scheduler
from bridge.lifecycle import stop_task
from bridge.ports import Clock
from bridge.store import Store
from bridge.store.codec import to_ms

log = logging.getLogger("ponte.timers")

Handler = Callable[[str], Awaitable[None]]
LEASE_MS = 60_000
BATCH = 100
MAX_WAIT = 1.0  # seconds between looks at the timers (another process may add earlier ones)


class TimerRunner:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        handlers: Mapping[str, Handler],
        scheduler: Scheduler | None = None,
    ) -> None:
        self._store, self._clock, self._handlers = store, clock, handlers
        self._scheduler = scheduler
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_due(self) -> int:
        """Fire every timer due now; returns how many fired."""
        fired = 0
        while True:
            taken = await self._store.timers.take(to_ms(self._clock.now()), LEASE_MS, BATCH)
            for name, lease in taken:
                await self._fire(name, lease)
            fired += len(taken)
            if len(taken) < BATCH:
                return fired

    async def _fire(self, name: str, lease: str) -> None:
        kind, _, arg = name.partition("|")
        handler = self._handlers.get(kind)
        try:
            if handler is not None:
                await handler(arg)
        except Exception:  # the boundary of one timer: it fires again when its lease ends
            log.exception("timer.failed", extra={"timer": name})
            return
        await self._store.timers.done(name, lease)

    async def prime(self) -> None:
        """Make sure the per-department timers exist (alerts, distribution)."""
        if self._scheduler is not None:
            await self._scheduler.prime()

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        await self.prime()
        self._task = asyncio.create_task(self._loop(), name="timers")
        try:
            yield
        finally:
            self._stopping.set()
            await stop_task(self._task, grace=2.0)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.run_due()
                wait = await self._wait()
            except (RedisError, OSError) as e:
                log.warning("timers.redis_error", extra={"error": str(e)})
                wait = MAX_WAIT
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._stopping.wait()

    async def _wait(self) -> float:
        due = await self._store.timers.next_due()
        if due is None:
            return MAX_WAIT
        return max(0.0, min(MAX_WAIT, (due - to_ms(self._clock.now())) / 1000))
