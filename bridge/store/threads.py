"""Where each conversation lives in each agent channel, both ways, and posted-message refs."""

from __future__ import annotations

from redis.asyncio import Redis

from bridge.domain.ids import ConversationId, DepartmentId, EventId
from bridge.domain.refs import ExternalRef, thread_key
from bridge.store import replies
from bridge.store.keys import Keys


class ThreadStore:
    def __init__(self, redis: Redis, keys: Keys, ttl_seconds: int) -> None:
        self._redis, self._keys, self._ttl = redis, keys, ttl_seconds

    async def get(self, kind: str, cid: ConversationId, dept: DepartmentId) -> str | None:
        value = await self._redis.hget(self._keys.thread(kind, cid), dept)
        return replies.text(value) if value is not None else None

    async def all(self, kind: str, cid: ConversationId) -> dict[str, str]:
        return replies.fields(await self._redis.hgetall(self._keys.thread(kind, cid)))

    async def set(
        self,
        kind: str,
        cid: ConversationId,
        dept: DepartmentId,
        ref: str,
        previous: str | None = None,
    ) -> None:
        """Map conversation -> thread (per department) and thread -> conversation, atomically."""
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(k.thread(kind, cid), dept, ref)
            pipe.expire(k.thread(kind, cid), self._ttl)
            pipe.set(k.thread_reverse(kind, thread_key(ref)), cid, ex=self._ttl)
            if previous and thread_key(previous) != thread_key(ref):
                pipe.delete(k.thread_reverse(kind, thread_key(previous)))
            await pipe.execute()

    async def set_reverse(self, kind: str, cid: ConversationId, ref: str) -> None:
        """Only thread -> conversation (see core.links.map_thread)."""
        await self._redis.set(self._keys.thread_reverse(kind, thread_key(ref)), cid, ex=self._ttl)

    async def find(self, kind: str, ref: str) -> ConversationId | None:
        """The conversation of a thread, by "space/thread" (or a full encoded ThreadRef)."""
        value = await self._redis.get(self._keys.thread_reverse(kind, thread_key(ref)))
        return ConversationId(replies.text(value)) if value else None

    async def remember_message(self, cid: ConversationId, eid: EventId, ref: ExternalRef) -> None:
        """A timeline item posted as external message `ref`, both ways."""
        k, kind = self._keys, ref.kind.value
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(k.message_refs(cid), f"{eid}:{kind}", ref.encode())
            pipe.expire(k.message_refs(cid), self._ttl)
            pipe.set(k.external_message(kind, ref.key), f"{cid} {eid}", ex=self._ttl)
            await pipe.execute()

    async def message_ref(self, kind: str, cid: ConversationId, eid: EventId) -> str | None:
        field = f"{eid}:{kind}"
        value = await self._redis.hget(self._keys.message_refs(cid), field)
        return replies.text(value) if value is not None else None

    async def find_message(self, kind: str, ref: str) -> tuple[ConversationId, EventId] | None:
        value = await self._redis.get(self._keys.external_message(kind, ref))
        if not value:
            return None
        cid, _, eid = replies.text(value).partition(" ")
        return ConversationId(cid), EventId(eid)
