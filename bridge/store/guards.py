"""Dedupe keys, leases, rate limits, shared secrets and the live-process registry."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from bridge.store.keys import Keys
from bridge.store.scripts import Scripts


class Guards:
    def __init__(self, redis: Redis, keys: Keys, scripts: Scripts) -> None:
        self._redis, self._keys, self._scripts = redis, keys, scripts

    async def first_time(self, scope: str, key: str, ttl_seconds: int) -> bool:
        """True the first time `key` is seen within the ttl (SET NX EX)."""
        return bool(
            await self._redis.set(self._keys.dedupe(scope, key), "1", nx=True, ex=ttl_seconds)
        )

    async def hold_lease(self, name: str, owner: str, ttl_ms: int) -> bool:
        """Take the lease, or renew it when `owner` already holds it."""
        reply = await self._scripts.run("lease", [self._keys.lease(name)], [owner, ttl_ms])
        return reply[0] == "1"

    async def release_lease(self, name: str, owner: str) -> None:
        await self._scripts.run("release", [self._keys.lease(name)], [owner])

    async def lease_owner(self, name: str) -> str | None:
        value = await self._redis.get(self._keys.lease(name))
        return str(value) if value is not None else None

    async def take_token(self, name: str, rate: float, burst: float, now_ms: int) -> float:
        """Seconds to wait before the call may go; 0 when a token was taken now."""
        args: list[str | int] = [repr(rate), repr(burst), now_ms]
        reply = await self._scripts.run("bucket", [self._keys.rate(name)], args)
        return int(reply[0]) / 1000

    async def hit(self, name: str, limit: int, window_seconds: int) -> bool:
        """Count one use in a fixed window; False when the limit is passed."""
        key = self._keys.rate(name)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=window_seconds, nx=True)  # the window starts (EXPIRE NX is 7.0)
            pipe.incr(key)
            _, count = await pipe.execute()
        return int(count) <= limit

    async def shared_secret(self, name: str) -> str:
        """A random secret shared by every process: made once (SET NX), then read."""
        key = self._keys.secret(name)
        await self._redis.set(key, secrets.token_urlsafe(32), nx=True)
        value = await self._redis.get(key)
        return str(value)

    async def heartbeat(self, node: str, now_ms: int, stale_before_ms: int) -> int:
        """Register this process as alive; returns how many processes are alive."""
        key = self._keys.nodes()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {node: now_ms})
            pipe.zremrangebyscore(key, "-inf", f"({stale_before_ms}")
            pipe.zcard(key)
            _, _, alive = await pipe.execute()
        return int(alive)

    async def leave(self, node: str) -> None:
        await self._redis.zrem(self._keys.nodes(), node)

    async def delete_value(self, name: str) -> None:
        await self._redis.delete(self._keys.kv(name))

    async def get_value(self, name: str) -> str | None:
        value = await self._redis.get(self._keys.kv(name))
        return str(value) if value is not None else None

    async def set_value(self, name: str, value: str, ttl_seconds: int | None = None) -> None:
        await self._redis.set(self._keys.kv(name), value, ex=ttl_seconds)
