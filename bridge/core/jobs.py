"""Durable inbound jobs for adapters: ack the vendor at once, do the work from Redis.

`Jobs.put` stores a request (deduplicated by the vendor's id); a `JobRunner` in every process
takes jobs one at a time, in arrival order, retries a failing one a few times with back-off and
sets it aside (dead-lettered, logged) when it keeps failing. Work is never done in a task
nobody holds: the runner is a lifespan of the daemon.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from redis.exceptions import RedisError

from bridge.lifecycle import stop_task
from bridge.store import Store

log = logging.getLogger("ponte.jobs")

Handler = Callable[[dict[str, Any]], Awaitable[None]]
DeadHandler = Callable[[dict[str, Any], str], Awaitable[None]]


class Jobs:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def put(
        self, queue: str, payload: Mapping[str, Any], *, dedupe: str | None = None
    ) -> bool:
        """Store a job. False when `dedupe` (a vendor event id) was already accepted."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return await self._store.inbox.put(queue, body, dedupe=dedupe)

    async def size(self, queue: str) -> int:
        return await self._store.inbox.size(queue)

    def runner(self, queue: str, handler: Handler, **options: Any) -> JobRunner:
        """A runner for `queue`; the adapter registers its lifespan with the daemon."""
        return JobRunner(self._store, queue, handler, **options)


class JobRunner:
    """Runs one queue's jobs in this process. Several processes may run the same queue."""

    def __init__(
        self,
        store: Store,
        queue: str,
        handler: Handler,
        *,
        attempts: int = 4,
        reclaim_ms: int = 30_000,
        block_ms: int = 2_000,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_dead: DeadHandler | None = None,
    ) -> None:
        self._store, self._queue, self._handler = store, queue, handler
        self._attempts, self._reclaim_ms, self._block_ms = attempts, reclaim_ms, block_ms
        self._sleep, self._on_dead = sleep, on_dead
        self.consumer = f"{queue}-{secrets.token_hex(4)}"
        self._task: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        await self._store.inbox.ensure_group(self._queue)
        self._task = asyncio.create_task(self._run(), name=f"jobs-{self._queue}")
        try:
            yield
        finally:
            await stop_task(self._task)

    async def _run(self) -> None:
        inbox = self._store.inbox
        while True:
            try:
                await inbox.reclaim(self._queue, self.consumer, self._reclaim_ms)
                jobs = await inbox.pending(self._queue, self.consumer, 50)
                if not jobs:
                    jobs = await inbox.wait(self._queue, self.consumer, 50, self._block_ms)
            except (RedisError, OSError) as e:
                log.warning("jobs.read_failed", extra={"queue": self._queue, "error": str(e)})
                await asyncio.sleep(1.0)
                continue
            for job_id, payload in jobs:
                await self.run_one(job_id, payload)

    async def run_one(self, job_id: str, payload: str) -> None:
        """Do one job: retried with back-off, then dead-lettered; always taken off the queue."""
        for attempt in range(1, self._attempts + 1):
            try:
                await self._handler(json.loads(payload))
                await self._store.inbox.done(self._queue, job_id)
                return
            except asyncio.CancelledError:
                raise
            except Exception as e:  # the boundary of one job: logged, retried, then set aside
                log.warning(
                    "jobs.failed", exc_info=True, extra={"queue": self._queue, "attempt": attempt}
                )
                if attempt == self._attempts:
                    await self._store.inbox.dead(self._queue, job_id, payload, repr(e))
                    await self._report(payload, repr(e))
                    return
                await self._sleep(0.2 * 2**attempt)

    async def _report(self, payload: str, reason: str) -> None:
        """Tell someone (the adapter's on_dead: e.g. the agent who acted) a job was given up."""
        if self._on_dead is None:
            return
        try:
            await self._on_dead(json.loads(payload), reason)
        except Exception:  # the job is set aside and logged already; the report is best effort
            log.exception("jobs.report_failed", extra={"queue": self._queue})

    async def run_until_idle(self) -> int:
        """For tests: do every job waiting now, in this task, and return how many."""
        await self._store.inbox.ensure_group(self._queue)
        done = 0
        while True:
            jobs = await self._store.inbox.pending(self._queue, self.consumer, 100)
            jobs = jobs or await self._store.inbox.wait(self._queue, self.consumer, 100, 1)
            if not jobs:
                return done
            for job_id, payload in jobs:
                await self.run_one(job_id, payload)
                done += 1
