"""Durable inbound work: what an adapter acknowledged to a vendor but has not done yet.

An adapter acks Slack or Telegram at once and puts the request here; a JobRunner in some
process does the work. A process that dies mid-job leaves it pending; another claims it after
`reclaim_ms` (XAUTOCLAIM), so an acknowledged request is never lost.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bridge.store import replies
from bridge.store.keys import Keys
from bridge.store.scripts import Scripts

GROUP = "workers"
INBOX_MAXLEN = 100_000
DEAD_MAXLEN = 10_000


class Inbox:
    def __init__(self, redis: Redis, blocking: Redis, keys: Keys, scripts: Scripts) -> None:
        self._redis, self._blocking, self._keys, self._scripts = redis, blocking, keys, scripts

    async def put(
        self, name: str, payload: str, *, dedupe: str | None = None, ttl_seconds: int = 24 * 3600
    ) -> bool:
        """Store a job; False (and nothing stored) when `dedupe` was seen within the ttl."""
        dedupe_key = self._keys.dedupe(f"inbox:{name}", dedupe) if dedupe else self._keys.kv("none")
        args: list[str | int] = [INBOX_MAXLEN, payload, str(ttl_seconds) if dedupe else ""]
        reply = await self._scripts.run("inbox", [self._keys.inbox(name), dedupe_key], args)
        return bool(reply[0])

    async def ensure_group(self, name: str) -> None:
        try:
            await self._redis.xgroup_create(self._keys.inbox(name), GROUP, id="0", mkstream=True)
        except ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    async def pending(self, name: str, consumer: str, count: int) -> list[tuple[str, str]]:
        """This consumer's jobs read but not done (after a failure)."""
        reply = await self._redis.xreadgroup(
            GROUP, consumer, {self._keys.inbox(name): "0"}, count=count
        )
        return _jobs(reply)

    async def wait(
        self, name: str, consumer: str, count: int, block_ms: int
    ) -> list[tuple[str, str]]:
        """New jobs, waiting up to block_ms for one (a blocking read on its own connection)."""
        key = self._keys.inbox(name)
        reply = await self._blocking.xreadgroup(
            GROUP, consumer, {key: ">"}, count=count, block=block_ms
        )
        return _jobs(reply)

    async def reclaim(self, name: str, consumer: str, min_idle_ms: int) -> int:
        """Take over jobs another consumer has held longer than min_idle_ms (it probably died)."""
        reply = await self._redis.xautoclaim(
            self._keys.inbox(name), GROUP, consumer, min_idle_ms, start_id="0-0", count=100
        )
        return len(reply[1])

    async def done(self, name: str, job_id: str) -> None:
        key = self._keys.inbox(name)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(key, GROUP, job_id)
            pipe.xdel(key, job_id)
            await pipe.execute()

    async def dead(self, name: str, job_id: str, payload: str, reason: str) -> None:
        """A job that failed every attempt: kept aside with the reason, out of the queue."""
        key = self._keys.inbox(name)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(
                self._keys.inbox_dead(name),
                {"p": payload, "reason": reason[:500]},
                maxlen=DEAD_MAXLEN,
                approximate=True,
            )
            pipe.xack(key, GROUP, job_id)
            pipe.xdel(key, job_id)
            await pipe.execute()

    async def size(self, name: str) -> int:
        return int(await self._redis.xlen(self._keys.inbox(name)))


def _jobs(reply: object) -> list[tuple[str, str]]:
    if not reply:
        return []
    rows = replies.rows(reply[0][1])  # type: ignore[index]
    return [(job_id, body["p"]) for job_id, body in rows if "p" in body]
