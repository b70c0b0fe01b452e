"""Reads of the sorted sets and sets that index conversations: queues, in service, history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from bridge.domain.ids import AgentId, ContactId, ConversationId, DepartmentId
from bridge.store import replies
from bridge.store.keys import Keys


@dataclass(frozen=True, slots=True)
class Scored:
    conversation_id: ConversationId
    score_ms: int


def _scored(raw: object) -> list[Scored]:
    return [Scored(ConversationId(member), int(score)) for member, score in replies.scored(raw)]


class IndexStore:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis, self._keys = redis, keys

    async def queue(self, dept: DepartmentId, offset: int = 0, limit: int = 50) -> list[Scored]:
        """Waiting conversations of one department, oldest first."""
        rows = await self._redis.zrange(
            self._keys.queue(dept), offset, offset + limit - 1, withscores=True
        )
        return _scored(rows)

    async def queue_position(self, dept: DepartmentId, cid: ConversationId) -> int | None:
        rank = await self._redis.zrank(self._keys.queue(dept), cid)
        return None if rank is None else int(str(rank)) + 1

    async def queue_counts(
        self, depts: Sequence[DepartmentId]
    ) -> dict[DepartmentId, tuple[int, int | None]]:
        """(waiting, oldest creation ms) per department, in one round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for dept in depts:
                pipe.zcard(self._keys.queue(dept))
                pipe.zrange(self._keys.queue(dept), 0, 0, withscores=True)
            rows = await pipe.execute()
        out: dict[DepartmentId, tuple[int, int | None]] = {}
        for i, dept in enumerate(depts):
            count, oldest = int(rows[2 * i]), replies.scored(rows[2 * i + 1])
            out[dept] = (count, int(oldest[0][1]) if oldest else None)
        return out

    async def queue_windows(
        self, depts: Sequence[DepartmentId], limit: int
    ) -> tuple[dict[DepartmentId, list[Scored]], dict[DepartmentId, int]]:
        """The first `limit` waiting conversations and the count of each department, in one
        round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for dept in depts:
                pipe.zrange(self._keys.queue(dept), 0, limit - 1, withscores=True)
                pipe.zcard(self._keys.queue(dept))
            rows = await pipe.execute()
        windows = {d: _scored(rows[2 * i]) for i, d in enumerate(depts)}
        counts = {d: int(rows[2 * i + 1]) for i, d in enumerate(depts)}
        return windows, counts

    async def automatic(self, offset: int = 0, limit: int = 50) -> list[Scored]:
        rows = await self._redis.zrange(
            self._keys.automatic(), offset, offset + limit - 1, withscores=True
        )
        return _scored(rows)

    async def in_service(self, limit: int = 1000) -> list[Scored]:
        rows = await self._redis.zrevrange(self._keys.in_service(), 0, limit - 1, withscores=True)
        return _scored(rows)

    async def agent_active(self, agent: AgentId) -> set[ConversationId]:
        members = await self._redis.smembers(self._keys.agent_active(agent))
        return {ConversationId(m) for m in replies.texts(members)}

    async def active_counts(self, agents: Sequence[AgentId]) -> dict[AgentId, int]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for agent in agents:
                pipe.scard(self._keys.agent_active(agent))
            rows = await pipe.execute()
        return {agent: int(n) for agent, n in zip(agents, rows, strict=True)}

    async def history(
        self, key: str, *, newest_ms: int, oldest_ms: int, limit: int
    ) -> list[Scored]:
        """Closed conversations in [oldest, newest], newest first."""
        rows = await self._redis.zrevrangebyscore(
            key, newest_ms, oldest_ms, start=0, num=limit, withscores=True
        )
        return _scored(rows)

    def history_key(self, dept: DepartmentId | None, agent: AgentId | None) -> str:
        if agent:
            return self._keys.history_agent(agent)
        if dept:
            return self._keys.history_department(dept)
        return self._keys.history()

    async def contact_conversations(self, contact: ContactId, limit: int = 50) -> list[Scored]:
        rows = await self._redis.zrevrange(
            self._keys.contact_conversations(contact), 0, limit - 1, withscores=True
        )
        return _scored(rows)

    async def counts(self) -> tuple[int, int, int]:
        """(automatic, in service, closed within retention)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(self._keys.automatic())
            pipe.zcard(self._keys.in_service())
            pipe.zcard(self._keys.history())
            a, s, c = await pipe.execute()
        return int(a), int(s), int(c)
