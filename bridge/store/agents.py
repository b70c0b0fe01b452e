"""Agent presence and the internal chat between agents."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId
from bridge.domain.model import Presence
from bridge.store import replies
from bridge.store.codec import event_from
from bridge.store.keys import Keys
from bridge.store.scripts import Scripts

INTERNAL_MAXLEN = 1000


class AgentStore:
    def __init__(self, redis: Redis, keys: Keys, scripts: Scripts, events_maxlen: int) -> None:
        self._redis, self._keys, self._scripts = redis, keys, scripts
        self._events_maxlen = events_maxlen

    async def set_presence(self, agent: AgentId, presence: Presence, now_ms: int) -> None:
        key = self._keys.agent_presence(agent)
        await self._redis.hset(key, mapping={"status": presence.value, "since": now_ms})

    async def presences(self, agents: Sequence[AgentId]) -> dict[AgentId, Presence]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for agent in agents:
                pipe.hget(self._keys.agent_presence(agent), "status")
            rows = await pipe.execute()
        return {
            a: Presence(r) if r else Presence.OFFLINE for a, r in zip(agents, rows, strict=True)
        }

    async def snapshot(self, agents: Sequence[AgentId]) -> dict[AgentId, tuple[Presence, int]]:
        """Presence and the time of the last automatic assignment (ms, 0 = never), per agent."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for agent in agents:
                pipe.hmget(self._keys.agent_presence(agent), ["status", "assigned"])
            rows = await pipe.execute()
        out = {}
        for agent, (status, assigned) in zip(agents, rows, strict=True):
            presence = Presence(replies.text(status)) if status else Presence.OFFLINE
            out[agent] = (presence, int(assigned) if assigned else 0)
        return out

    async def send_internal(
        self, sender: AgentId, recipient: AgentId, event: str, kinds: Sequence[str]
    ) -> str:
        lane_id = f"@{recipient}"
        outboxes = [self._keys.outbox_for(kind, lane_id) for kind in kinds]
        keys = [self._keys.internal_chat(sender, recipient), self._keys.doorbell(), *outboxes]
        args: list[str | int] = [INTERNAL_MAXLEN, self._events_maxlen, event, lane_id]
        reply = await self._scripts.run("internal", keys, args)
        return reply[0]

    async def internal_history(self, a: AgentId, b: AgentId, limit: int) -> list[TimelineItem]:
        raw = await self._redis.xrevrange(self._keys.internal_chat(a, b), count=limit)
        return [event_from(eid, fields["e"]) for eid, fields in reversed(replies.rows(raw))]
