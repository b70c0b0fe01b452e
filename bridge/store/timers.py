"""Durable timers shared by every process: due times in one sorted set; each due timer is
taken by exactly one process at a time (timers.lua) and finished or rescheduled after."""

from __future__ import annotations

from redis.asyncio import Redis

from bridge.store import replies
from bridge.store.keys import Keys
from bridge.store.scripts import Scripts


class TimerStore:
    def __init__(self, redis: Redis, keys: Keys, scripts: Scripts) -> None:
        self._redis, self._keys, self._scripts = redis, keys, scripts

    async def schedule(self, name: str, due_ms: int, *, keep_earlier: bool = False) -> None:
        """Set `name` to fire at due_ms (replacing its time; with keep_earlier, only when it is
        not scheduled yet or due later)."""
        if keep_earlier:
            await self._redis.zadd(self._keys.timers(), {name: due_ms}, lt=True)
        else:
            await self._redis.zadd(self._keys.timers(), {name: due_ms})

    async def schedule_missing(self, name: str, due_ms: int) -> None:
        await self._redis.zadd(self._keys.timers(), {name: due_ms}, nx=True)

    async def cancel(self, name: str) -> None:
        await self._redis.zrem(self._keys.timers(), name)

    async def take(self, now_ms: int, lease_ms: int, limit: int) -> list[tuple[str, str]]:
        """The due timers, each leased to this caller: [(name, lease score)]."""
        reply = await self._scripts.run("timers", [self._keys.timers()], [now_ms, lease_ms, limit])
        if reply == [""] or not reply:
            return []
        return list(zip(reply[0::2], reply[1::2], strict=True))

    async def done(self, name: str, lease: str) -> None:
        await self._scripts.run("timer_done", [self._keys.timers()], [name, lease])

    async def next_due(self) -> int | None:
        rows = replies.scored(await self._redis.zrange(self._keys.timers(), 0, 0, withscores=True))
        return int(rows[0][1]) if rows else None

    async def due_at(self, name: str) -> int | None:
        score = await self._redis.zscore(self._keys.timers(), name)
        return None if score is None else int(score)
