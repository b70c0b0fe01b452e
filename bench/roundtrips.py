"""Counting round trips to Redis: a connection class that counts what it sends. A pipeline or a
script call is one round trip however many commands it carries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.connection import UnixDomainSocketConnection


class Counter:
    def __init__(self) -> None:
        self.sends = 0


def counting_client(socket_path: str, counter: Counter) -> Redis:
    class CountingConnection(UnixDomainSocketConnection):
        async def send_packed_command(
            self, command: bytes | str | Iterable[bytes], check_health: bool = True
        ) -> None:
            counter.sends += 1
            await super().send_packed_command(command, check_health)

    pool: ConnectionPool = ConnectionPool(
        connection_class=CountingConnection, path=socket_path, decode_responses=True
    )
    return Redis.from_pool(pool)  # the client owns the pool: aclose() closes it


async def command_calls(redis: Redis) -> dict[str, int]:
    """Server-side calls per command (INFO commandstats), including those inside scripts."""
    stats: dict[str, Any] = await redis.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}
