"""Who serves a conversation: claim, automatic assignment, agents' messages (which may claim),
transfer and reopening. One script each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bridge.domain.ids import AgentId, ConversationId, DepartmentId, EventId
from bridge.domain.model import AgentActor, Conversation
from bridge.domain.refs import ExternalRef
from bridge.domain.states import Action
from bridge.store.conversations import ConversationOpen
from bridge.store.scripts import EventSpec, Tally, TransitionStore, event_args, raise_for


@dataclass(frozen=True, slots=True)
class AgentMessageResult:
    outcome: str  # reply | claim_reply | note | dup
    ids: tuple[EventId, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    agent: AgentActor
    claimed_event: EventSpec


class NotHolder(Exception):
    def __init__(self, state: str, assignee: str) -> None:
        super().__init__(state, assignee)
        self.state, self.assignee = state, assignee


class SameTarget(Exception):
    pass


class AssignmentStore(TransitionStore):
    async def claim(
        self,
        conversation: Conversation,
        agent: AgentActor,
        access: bool,
        events: Sequence[EventSpec],
        now_ms: int,
        tally: Tally | None = None,
    ) -> tuple[EventId, ...]:
        """Raises AlreadyClaimed, Reserved, Forbidden, CapacityReached, IllegalTransition."""
        k, c = self._keys, conversation
        dept = c.department_id or DepartmentId("")
        keys = self._head.key_list(
            c.id, k.queue(dept), k.agent_active(agent.id), k.in_service(), self._stats(tally)
        )
        args = self._head.arg_list(
            c.id,
            now_ms,
            agent.id,
            agent.max_chats,
            dept,
            "1" if access else "",
            tally.joined if tally else "",
            *event_args(events),
        )
        reply = await self._scripts.run("claim", keys, args)
        raise_for(reply, c.id, Action.CLAIM, who=agent.id)
        return tuple(EventId(i) for i in reply[1:])

    async def assign(
        self,
        conversation: Conversation,
        candidates: Sequence[Candidate],
        now_ms: int,
        tally: Tally | None = None,
    ) -> AgentId | None:
        """Give the conversation to the first candidate with room; None when nobody has room."""
        k, c = self._keys, conversation
        dept = c.department_id or DepartmentId("")
        keys = self._head.key_list(c.id, k.queue(dept), k.in_service(), self._stats(tally))
        args = self._head.arg_list(
            c.id, now_ms, dept, tally.joined if tally else "", len(candidates)
        )
        for candidate in candidates:
            keys += [k.agent_active(candidate.agent.id), k.agent_presence(candidate.agent.id)]
            args += [candidate.agent.id, candidate.agent.max_chats, candidate.claimed_event.json]
        reply = await self._scripts.run("assign", keys, args)
        if reply[0] == "none":
            return None
        raise_for(reply, c.id, Action.CLAIM)
        return AgentId(reply[1])

    async def agent_message(
        self,
        conversation: Conversation,
        agent: AgentActor,
        *,
        mode: str,
        auto_claim: bool,
        access: bool,
        events: tuple[EventSpec, EventSpec, EventSpec],
        routing: str,
        dedupe: tuple[str, int] | None,
        now_ms: int,
        source: ExternalRef | None = None,
        tallies: tuple[Tally, Tally] | None = None,
    ) -> AgentMessageResult:
        """events: (reply, note, claimed) — the script picks which happen. `source` (the vendor
        message it came from) is mapped both ways so edits and deletes find their target.
        tallies: (if it claims, if it is the first response), both of today's department."""
        k, c = self._keys, conversation
        dept = c.department_id or DepartmentId("")
        dedupe_key = k.dedupe("agent", dedupe[0]) if dedupe else self._unused()
        ext = k.external_message(source.kind.value, source.key) if source else self._unused()
        keys = self._head.key_list(
            c.id,
            dedupe_key,
            k.queue(dept),
            k.agent_active(agent.id),
            k.in_service(),
            ext,
            k.message_refs(c.id),
            self._stats(tallies[0] if tallies else None),
        )
        reply_ev, note_ev, claimed_ev = events
        args = self._head.arg_list(
            c.id,
            now_ms,
            agent.id,
            mode,
            "1" if auto_claim else "",
            "1" if access else "",
            agent.max_chats,
            dept,
            str(dedupe[1]) if dedupe else "",
            reply_ev.json,
            note_ev.json,
            claimed_ev.json,
            routing,
            source.kind.value if source else "",
            source.encode() if source else "",
            self._ref_ttl,
            tallies[0].joined if tallies else "",
            tallies[1].joined if tallies else "",
        )
        reply = await self._scripts.run("reply", keys, args)
        if reply[0] == "dup":
            return AgentMessageResult("dup", (EventId(reply[1]),))
        if reply[0] == "not_holder":
            raise NotHolder(reply[1], reply[2])
        raise_for(reply, c.id, Action.NOTE, who=agent.id)
        return AgentMessageResult(reply[0], tuple(EventId(i) for i in reply[1:]))

    async def transfer(
        self,
        conversation: Conversation,
        *,
        department: DepartmentId,
        agent: AgentActor | None,
        allowed: bool,
        events: Sequence[EventSpec],
        now_ms: int,
    ) -> str:
        k, c = self._keys, conversation
        current = c.department_id or DepartmentId("")
        old_active = k.agent_active(c.assignee) if c.assignee else self._unused()
        new_active = k.agent_active(agent.id) if agent else self._unused()
        keys = self._head.key_list(
            c.id,
            k.queue(current),
            k.queue(department),
            old_active,
            new_active,
            k.in_service(),
            k.automatic(),
        )
        args = self._head.arg_list(
            c.id,
            now_ms,
            current,
            c.assignee or "",
            department,
            agent.id if agent else "",
            agent.max_chats if agent else 0,
            "1" if allowed else "",
            *event_args(events),
        )
        reply = await self._scripts.run("transfer", keys, args)
        if reply[0] == "same":
            raise SameTarget(c.id)
        action = Action.TRANSFER_TO_AGENT if agent else Action.TRANSFER_TO_DEPARTMENT
        raise_for(reply, c.id, action, who=agent.id if agent else "")
        return reply[1]

    async def reopen(
        self,
        conversation: Conversation,
        *,
        agent: AgentActor | None,
        events: Sequence[EventSpec],
        now_ms: int,
    ) -> str:
        """Back in the queue, or with `agent` when given and with room. Returns the state."""
        k, c = self._keys, conversation
        dept = c.department_id or DepartmentId("")
        keys = self._head.key_list(
            c.id,
            k.queue(dept),
            k.agent_active(agent.id) if agent else self._unused(),
            k.in_service(),
            k.visitor(c.visitor_id) if c.visitor_id else self._unused(),
            k.history(),
            k.history_department(dept),
            k.history_agent(c.assignee) if c.assignee else self._unused(),
        )
        args = self._head.arg_list(
            c.id,
            now_ms,
            dept,
            agent.id if agent else "",
            agent.max_chats if agent else 0,
            *event_args(events),
        )
        reply = await self._scripts.run("reopen", keys, args)
        if reply[0] == "open":
            raise ConversationOpen(ConversationId(reply[1]))
        raise_for(reply, c.id, Action.REOPEN)
        return reply[1]
