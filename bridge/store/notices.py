"""Notices that belong to no conversation: alerts to a department's channels, messages to one
agent. Into the outbox like everything delivered, with a doorbell ring (notice.lua)."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from bridge.store.keys import Keys
from bridge.store.scripts import Scripts


class NoticeStore:
    def __init__(self, redis: Redis, keys: Keys, scripts: Scripts, events_maxlen: int) -> None:
        self._redis, self._keys, self._scripts = redis, keys, scripts
        self._events_maxlen = events_maxlen

    async def send(
        self,
        lane_id: str,
        op: str,
        department: str,
        event: str,
        kinds: Sequence[str],
        dedupe: tuple[str, int] | None = None,
    ) -> bool:
        """False when `dedupe` (key, ttl) was already used: the notice was sent before."""
        outboxes = [self._keys.outbox_for(kind, lane_id) for kind in kinds]
        keys = [self._keys.doorbell(), *outboxes]
        if dedupe:
            keys.append(self._keys.dedupe("notice", dedupe[0]))
        args: list[str | int] = [
            self._events_maxlen,
            lane_id,
            op,
            department,
            event,
            str(dedupe[1]) if dedupe else "",
        ]
        reply = await self._scripts.run("notice", keys, args)
        return bool(reply[0])
