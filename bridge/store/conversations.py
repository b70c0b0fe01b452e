"""Conversation writes (one script each) and reads (hash, log)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bridge.domain.events import TimelineItem
from bridge.domain.ids import ConversationId, DepartmentId, EventId, VisitorId
from bridge.domain.model import AgentActor, Conversation
from bridge.domain.states import Action
from bridge.store import replies
from bridge.store.codec import conversation_fields, conversation_from, dumps, event_from
from bridge.store.scripts import EventSpec, Tally, TransitionStore, event_args, raise_for


@dataclass(frozen=True, slots=True)
class AppendResult:
    state: str
    step: str
    department: DepartmentId | None
    ids: tuple[EventId, ...]
    duplicate: bool = False


class ConversationStore(TransitionStore):
    async def create(
        self,
        conversation: Conversation,
        events: Sequence[EventSpec],
        now_ms: int,
        *,
        assignee: AgentActor | None = None,
    ) -> tuple[int, tuple[EventId, ...]]:
        """Returns (number, event ids). Raises ConversationOpen when the visitor has one open."""
        k, c = self._keys, conversation
        visitor = k.visitor(c.visitor_id) if c.visitor_id else self._unused()
        active = k.agent_active(assignee.id) if assignee else self._unused()
        keys = self._head.key_list(
            c.id,
            visitor,
            k.automatic(),
            k.contact_conversations(c.contact_id),
            k.conversation_seq(),
            active,
            k.in_service(),
        )
        fields = conversation_fields(c)
        args = self._head.arg_list(
            c.id,
            now_ms,
            dumps(fields),
            fields["created"],
            assignee.id if assignee else "",
            assignee.max_chats if assignee else 0,
            *event_args(events),
        )
        reply = await self._scripts.run("create", keys, args)
        if reply[0] == "open":
            raise ConversationOpen(ConversationId(reply[1]))
        raise_for(reply, c.id, Action.TRANSFER_TO_AGENT, who=assignee.id if assignee else "")
        return int(reply[1]), tuple(EventId(i) for i in reply[2:])

    async def append(
        self,
        cid: ConversationId,
        action: Action,
        events: Sequence[EventSpec],
        now_ms: int,
        *,
        fields: Mapping[str, str] | None = None,
        dedupe: tuple[str, int] | None = None,
        expect_step: str = "",
        require_empty: str = "",
        customer: bool = False,
        owner: str = "",
        tally: Tally | None = None,
    ) -> AppendResult:
        """Events that keep the state. With `owner`, the conversation must be that visitor's
        (checked in the same script: anyone else's reads as NotFound)."""
        dedupe_key = self._keys.dedupe("msg", f"{cid}:{dedupe[0]}") if dedupe else self._unused()
        stats = self._stats(tally)
        args = self._head.arg_list(
            cid,
            now_ms,
            action.value,
            str(dedupe[1]) if dedupe else "",
            dumps(dict(fields or {})),
            expect_step,
            require_empty,
            "1" if customer else "",
            tally.joined if tally else "",
            owner,
            *event_args(events),
        )
        keys = self._head.key_list(cid, dedupe_key, stats)
        reply = await self._scripts.run("append", keys, args)
        if reply[0] == "dup":
            return AppendResult(reply[2], "", None, (EventId(reply[1]),), duplicate=True)
        if reply[0] in ("step", "done"):
            raise StepMismatch(reply[1])
        raise_for(reply, cid, action)
        dept = DepartmentId(reply[3]) if reply[3] else None
        return AppendResult(reply[1], reply[2], dept, tuple(EventId(i) for i in reply[4:]))

    async def enqueue(
        self,
        cid: ConversationId,
        department: DepartmentId,
        events: Sequence[EventSpec],
        now_ms: int,
        *,
        expect_step: str = "",
        fields: Mapping[str, str] | None = None,
        tally: Tally | None = None,
    ) -> tuple[int, tuple[EventId, ...]]:
        k = self._keys
        keys = self._head.key_list(cid, k.automatic(), k.queue(department), self._stats(tally))
        fields_json = dumps(dict(fields or {}))
        args = self._head.arg_list(
            cid,
            now_ms,
            department,
            expect_step,
            fields_json,
            tally.joined if tally else "",
            *event_args(events),
        )
        reply = await self._scripts.run("enqueue", keys, args)
        if reply[0] == "step":
            raise StepMismatch(reply[1])
        raise_for(reply, cid, Action.ENQUEUE)
        return int(reply[1]), tuple(EventId(i) for i in reply[2:])

    async def close(
        self,
        conversation: Conversation,
        *,
        by: str,
        reason: str,
        events: Sequence[EventSpec],
        now_ms: int,
        retention_seconds: int,
        tally: Tally | None = None,
    ) -> tuple[EventId, ...]:
        k, c = self._keys, conversation
        dept, assignee = c.department_id, c.assignee
        keys = self._head.key_list(
            c.id,
            k.queue(dept) if dept else self._unused(),
            k.agent_active(assignee) if assignee else self._unused(),
            k.automatic(),
            k.in_service(),
            k.history(),
            k.history_department(dept) if dept else self._unused(),
            k.history_agent(assignee) if assignee else self._unused(),
            k.visitor(c.visitor_id) if c.visitor_id else self._unused(),
            k.contact_conversations(c.contact_id),
            self._stats(tally),
        )
        cutoff = now_ms - retention_seconds * 1000
        args = self._head.arg_list(
            c.id,
            now_ms,
            dept or "",
            assignee or "",
            by,
            reason,
            cutoff,
            retention_seconds,
            tally.joined if tally else "",
            *event_args(events),
        )
        reply = await self._scripts.run("close", keys, args)
        raise_for(reply, c.id, Action.CLOSE)
        return tuple(EventId(i) for i in reply[1:])

    # -- reads ------------------------------------------------------------------------------

    async def get(self, cid: ConversationId) -> Conversation | None:
        raw = await self._redis.hgetall(self._keys.conversation(cid))
        body = replies.fields(raw)
        return conversation_from(body) if body else None

    async def get_many(self, cids: Sequence[ConversationId]) -> list[Conversation]:
        if not cids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for cid in cids:
                pipe.hgetall(self._keys.conversation(cid))
            rows = await pipe.execute()
        return [conversation_from(replies.fields(row)) for row in rows if row]

    async def log(
        self, cid: ConversationId, *, after: EventId | None = None, limit: int = 200
    ) -> list[TimelineItem]:
        start = f"({after}" if after else "-"
        raw = await self._redis.xrange(self._keys.log(cid), min=start, count=limit)
        return [event_from(eid, fields["e"]) for eid, fields in replies.rows(raw)]

    async def log_tail(self, cid: ConversationId, limit: int) -> list[TimelineItem]:
        raw = await self._redis.xrevrange(self._keys.log(cid), count=limit)
        return [event_from(eid, fields["e"]) for eid, fields in reversed(replies.rows(raw))]

    async def event(self, cid: ConversationId, eid: EventId) -> TimelineItem | None:
        rows = replies.rows(
            await self._redis.xrange(self._keys.log(cid), min=eid, max=eid, count=1)
        )
        return event_from(rows[0][0], rows[0][1]["e"]) if rows else None

    async def visitor_conversation(self, vid: VisitorId) -> ConversationId | None:
        value = await self._redis.hget(self._keys.visitor(vid), "conv")
        return ConversationId(replies.text(value)) if value else None


class ConversationOpen(Exception):
    def __init__(self, cid: ConversationId) -> None:
        super().__init__(cid)
        self.conversation_id = cid


class StepMismatch(Exception):
    """The automatic flow moved on since the caller read it (a second tab, a double click)."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step
