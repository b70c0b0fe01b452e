"""Durable outbox lanes: streams read through a consumer group, acked and deleted when done.

Each (kind, lane) stream is read by one process at a time (the delivery worker holds a lease on
it), so entries of one conversation are delivered in order. Entries left pending by a process
that died are taken over with XAUTOCLAIM by the lane's next owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bridge.domain.events import TimelineItem
from bridge.domain.ids import ConversationId, DepartmentId
from bridge.store import replies
from bridge.store.codec import event_from
from bridge.store.keys import Keys

GROUP = "delivery"
DEAD_MAXLEN = 10_000
RECEIPT_TTL = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: str
    kind: str
    lane: int
    conversation_id: ConversationId
    department_id: DepartmentId
    op: str  # post | open | moved | close
    event: TimelineItem

    @property
    def key(self) -> str:
        """Idempotency key of this delivery (AgentChannel calls receive it). Stream ids are
        unique per stream only, so the lane is part of it."""
        return f"{self.kind}:{self.lane}:{self.id}"


def _entry(kind: str, lane: int, entry_id: str, fields: Mapping[str, str]) -> OutboxEntry | None:
    if not fields or "v" not in fields:
        return None  # deleted after being read: already delivered
    return OutboxEntry(
        id=entry_id,
        kind=kind,
        lane=lane,
        conversation_id=ConversationId(fields["c"]),
        department_id=DepartmentId(fields.get("d", "")),
        op=fields.get("o", "post"),
        event=event_from(fields.get("e", entry_id), fields["v"]),
    )


class Outbox:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis, self._keys = redis, keys

    async def ensure_group(self, kind: str, lane: int) -> None:
        try:
            await self._redis.xgroup_create(
                self._keys.outbox(kind, lane), GROUP, id="0", mkstream=True
            )
        except ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    async def take_over(self, kind: str, lane: int, consumer: str) -> int:
        """Claim every entry another consumer left pending on this lane (XAUTOCLAIM)."""
        key, start, moved = self._keys.outbox(kind, lane), "0-0", 0
        while True:
            reply = await self._redis.xautoclaim(key, GROUP, consumer, 0, start_id=start, count=100)
            start, claimed = reply[0], reply[1]
            moved += len(claimed)
            if start in ("0-0", b"0-0"):
                return moved

    async def read(self, kind: str, lane: int, consumer: str, count: int = 20) -> list[OutboxEntry]:
        """This consumer's pending entries first (a retry after a failure), then new ones."""
        key = self._keys.outbox(kind, lane)
        for start in ("0", ">"):
            reply = await self._redis.xreadgroup(GROUP, consumer, {key: start}, count=count)
            rows = replies.rows(reply[0][1]) if reply else []  # type: ignore[index]
            if start == "0":
                stale = [entry_id for entry_id, fields in rows if not fields]
                if stale:
                    await self._redis.xack(key, GROUP, *stale)
            entries = [e for eid, f in rows if (e := _entry(kind, lane, eid, f)) is not None]
            if entries:
                return entries
        return []

    async def done(self, entry: OutboxEntry) -> None:
        key = self._keys.outbox(entry.kind, entry.lane)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(key, GROUP, entry.id)
            pipe.xdel(key, entry.id)
            await pipe.execute()

    async def dead_letter(self, entry: OutboxEntry, reason: str) -> None:
        """Move an entry that cannot be delivered aside, with the reason; it stays inspectable."""
        key = self._keys.outbox(entry.kind, entry.lane)
        fields: dict[Any, Any] = {
            "c": entry.conversation_id,
            "e": entry.event.id,
            "o": entry.op,
            "entry": entry.id,
            "reason": reason[:500],
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self._keys.dead(entry.kind), fields, maxlen=DEAD_MAXLEN, approximate=True)
            pipe.xack(key, GROUP, entry.id)
            pipe.xdel(key, entry.id)
            await pipe.execute()

    async def receipt(self, kind: str, key: str) -> str | None:
        value = await self._redis.get(self._keys.receipt(kind, key))
        return str(value) if value is not None else None

    async def save_receipt(self, kind: str, key: str, value: str) -> None:
        await self._redis.set(self._keys.receipt(kind, key), value, ex=RECEIPT_TTL)

    async def backlog(self, kind: str, lanes: int) -> int:
        """Entries not yet delivered across all lanes of a kind."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for lane in range(lanes):
                pipe.xlen(self._keys.outbox(kind, lane))
            rows = await pipe.execute()
        return sum(int(n) for n in rows)

    async def dead_count(self, kind: str) -> int:
        return int(await self._redis.xlen(self._keys.dead(kind)))

    async def has_entries(self, kind: str, lane: int) -> bool:
        return bool(await self._redis.xlen(self._keys.outbox(kind, lane)))
