"""More commands in flight than the pool has connections: they wait for one, none fails.

redis-py's default asyncio pool raises MaxConnectionsError as soon as one command more than
it has connections is in flight; a crowd of customers arriving at once must not see that.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bridge.settings import Settings
from bridge.store.connect import RedisResource
from tests.settings_factory import make_settings

POOL = 4
CUSTOMERS = 40


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    rate = {"conversations_per_hour": 100, "per_ip_factor": 100}
    return make_settings(
        prefix,
        {
            "redis": {"max_connections": POOL},
            "widget": {"rate": rate, "uploads": {"dir": str(tmp_path / "uploads")}},
        },
    )


async def test_a_crowd_of_customers_shares_a_small_pool(
    widget: Any, settings: Settings, redis: Redis
) -> None:
    async def customer(n: int) -> dict[str, Any]:
        tab = widget()
        await tab.connect()
        await tab.queued(name=f"Cliente {n}", email=f"c{n}@x.com")
        ack: dict[str, Any] = await tab.say(f"olá {n}")
        return ack

    acks = await asyncio.gather(*(customer(n) for n in range(CUSTOMERS)))

    assert [a["t"] for a in acks] == ["ack"] * CUSTOMERS
    queue = f"{settings.redis.prefix}queue:vendas"
    assert await redis.zcard(queue) == CUSTOMERS


async def test_the_pool_never_opens_more_connections_than_configured(
    settings: Settings, redis_url: str, redis: Redis
) -> None:
    resource = RedisResource(settings.redis, url=redis_url)
    await resource.open()
    try:
        key = f"{settings.redis.prefix}counter"
        # a slow script holds each connection a little while, so the commands really overlap
        slow = "for i = 1, 20000 do end return redis.call('INCR', KEYS[1])"
        await asyncio.gather(*(resource.client.eval(slow, 1, key) for _ in range(200)))
        assert int(await redis.get(key) or 0) == 200
        ours = [c for c in await redis.client_list() if c["name"] == resource._name]
        assert 1 <= len(ours) <= POOL
    finally:
        await resource.close()


async def test_the_default_redis_py_pool_would_have_failed(redis_url: str) -> None:
    """Why the bounded blocking pool: the same crowd on redis-py's default pool errors."""
    client = Redis.from_url(redis_url, max_connections=POOL)
    slow = "for i = 1, 20000 do end return 1"
    try:
        with pytest.raises(RedisConnectionError):
            await asyncio.gather(*(client.eval(slow, 0) for _ in range(50)))
    finally:
        await client.aclose()
