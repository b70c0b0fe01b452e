"""What agents do to conversations: claim, peek, reply, note, transfer, close, edit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from bridge.core.timeline import CLOSE_THREAD, LOG_ONLY, TO_THREAD, event, moved
from bridge.domain.access import ThreadMessage, can_access, require_access
from bridge.domain.errors import Forbidden, InvalidInput, NotFound, Unavailable
from bridge.domain.events import EventKind
from bridge.domain.ids import AgentId, ConversationId, DepartmentId
from bridge.domain.model import (
    SYSTEM,
    ActorRef,
    AgentActor,
    Attachment,
    Author,
    Conversation,
    ConversationState,
    Role,
)
from bridge.domain.refs import ExternalRef
from bridge.domain.states import Action
from bridge.domain.text import clean_message
from bridge.domain.views import Peek
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import to_ms
from bridge.store.conversations import NotHolder, SameTarget
from bridge.store.scripts import Stale

T = TypeVar("T")
STALE_RETRIES = 5
VENDOR_EVENT_TTL = 24 * 3600


@dataclass(frozen=True, slots=True)
class Written:
    """What an agent's message became."""

    conversation_id: ConversationId
    outcome: ThreadMessage | None  # None: a duplicate delivery of an event already handled
    event_ids: tuple[str, ...] = ()


class Conversations:
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock

    async def get(self, cid: ConversationId) -> Conversation:
        found = await self._store.conversations.get(cid)
        if found is None:
            raise NotFound("conversation", cid)
        return found

    async def _retrying(
        self, cid: ConversationId, step: Callable[[Conversation], Awaitable[T]]
    ) -> T:
        """Run a write that re-checks what it read; when the conversation moved meanwhile
        (another process transferred it), read again and retry, a bounded number of times."""
        for _ in range(STALE_RETRIES):
            try:
                return await step(await self.get(cid))
            except Stale:
                continue
        raise Unavailable(f"conversation {cid} keeps changing; try again")

    def _text(self, text: str, attachments: tuple[Attachment, ...] = ()) -> str:
        body = clean_message(text, limit=self._directory.settings.limits.message_chars)
        if not body and not attachments:
            raise InvalidInput("text", "a message needs text or an attachment")
        return body

    # -- claim and peek ---------------------------------------------------------------------

    async def claim(self, cid: ConversationId, by: AgentActor) -> Conversation:
        """Atomic: of many agents claiming at once exactly one wins. Raises AlreadyClaimed
        (naming the winner), Forbidden, CapacityReached or IllegalTransition."""

        async def step(c: Conversation) -> Conversation:
            now = self._clock.now()
            spec = event(
                EventKind.CLAIMED,
                now,
                ActorRef.agent(by),
                TO_THREAD,
                data={"agent": by.id, "agent_name": by.name},
            )
            access = can_access(by, c.department_id)
            await self._store.conversations.claim(c, by, access, [spec], to_ms(now))
            # what claim.lua wrote, without reading it back
            return replace(c, state=ConversationState.IN_SERVICE, assignee=by.id, claimed_at=now)

        return await self._retrying(cid, step)

    async def peek(self, cid: ConversationId, by: AgentActor, limit: int = 20) -> Peek:
        """Read the live conversation without taking it; only a timeline entry changes."""
        c = await self.get(cid)
        require_access(by, c, "peek")
        now = self._clock.now()
        spec = event(EventKind.PEEKED, now, ActorRef.agent(by), LOG_ONLY, data={"agent": by.id})
        await self._store.conversations.append(cid, Action.PEEK, [spec], to_ms(now))
        items = await self._store.conversations.log_tail(cid, limit + 1)
        return Peek(c, [i for i in items if i.kind is not EventKind.PEEKED][-limit:])

    # -- messages -----------------------------------------------------------------------------

    async def thread_message(
        self,
        cid: ConversationId,
        by: AgentActor | None,
        text: str,
        *,
        author_name: str,
        source: ExternalRef,
        event_key: str | None = None,
        as_note: bool = False,
        attachments: tuple[Attachment, ...] = (),
    ) -> Written:
        """A message written in the conversation's thread. From the agent holding the chat it
        reaches the customer; with the note prefix, or from anyone else, it stays internal; from
        an agent with access in a waiting chat it claims the chat first when configured.
        `event_key` (the vendor's event id) makes a redelivery act once."""
        body = self._text(text, attachments)
        mode = "note" if as_note or by is None else "auto"
        return await self._agent_write(
            cid, by, body, mode, author_name, source, event_key, attachments
        )

    async def reply(
        self,
        cid: ConversationId,
        by: AgentActor,
        text: str,
        *,
        source: ExternalRef | None = None,
        attachments: tuple[Attachment, ...] = (),
    ) -> Written:
        """A reply to the customer from the agent holding the chat (a command, a quick reply)."""
        body = self._text(text, attachments)
        try:
            return await self._agent_write(
                cid, by, body, "reply", by.name, source, None, attachments
            )
        except NotHolder as e:
            holder = self._directory.settings.agent_name(e.assignee) or "nobody"
            raise Forbidden(by.id, f"reply in {cid}", f"it is held by {holder}") from None

    async def note(
        self, cid: ConversationId, by: AgentActor, text: str, *, source: ExternalRef | None = None
    ) -> Written:
        c = await self.get(cid)
        require_access(by, c, "write a note in")
        return await self._agent_write(cid, by, self._text(text), "note", by.name, source, None, ())

    async def _agent_write(
        self,
        cid: ConversationId,
        by: AgentActor | None,
        body: str,
        mode: str,
        author_name: str,
        source: ExternalRef | None,
        event_key: str | None,
        attachments: tuple[Attachment, ...],
    ) -> Written:
        agent = by or AgentActor(AgentId(""), author_name, Role.AGENT, frozenset(), 0)
        actor = ActorRef(Author.AGENT, agent.id, by.name if by else author_name)
        data = {"source_kind": source.kind.value, "source_ref": source.encode()} if source else {}
        dedupe = (
            (f"{source.kind.value}:{event_key}", VENDOR_EVENT_TTL) if source and event_key else None
        )

        async def step(c: Conversation) -> Written:
            now = self._clock.now()
            specs = (
                event(EventKind.MESSAGE, now, actor, text=body, attachments=attachments, data=data),
                event(EventKind.NOTE, now, actor, text=body, attachments=attachments, data=data),
                event(
                    EventKind.CLAIMED,
                    now,
                    actor,
                    data={"agent": agent.id, "agent_name": agent.name},
                ),
            )
            result = await self._store.conversations.agent_message(
                c,
                agent,
                mode=mode,
                auto_claim=self._auto_claim(source),
                events=specs,
                access=can_access(agent, c.department_id) if by else False,
                routing=TO_THREAD,
                dedupe=dedupe,
                now_ms=to_ms(now),
                source=source,
            )
            outcome = None if result.outcome == "dup" else ThreadMessage(result.outcome)
            return Written(cid, outcome, result.ids)

        return await self._retrying(cid, step)

    def _auto_claim(self, source: ExternalRef | None) -> bool:
        s = self._directory.settings
        if source is None:
            return False
        channel = s.slack if source.kind.value == "slack" else s.telegram
        return channel.auto_claim_on_reply

    async def edit(self, source: ExternalRef, text: str | None, by_name: str) -> bool:
        """An agent edited (text) or deleted (None) a message they wrote in a thread. Returns
        False when the message is not one Ponte knows."""
        found = await self._store.threads.find_message(source.kind.value, source.key)
        if found is None:
            return False
        cid, eid = found
        original = await self._store.conversations.event(cid, eid)
        if original is None or original.kind not in (EventKind.MESSAGE, EventKind.NOTE):
            return False
        kind = EventKind.EDITED if text is not None else EventKind.DELETED
        body = self._text(text) if text is not None else ""
        data = {
            "target": eid,
            "internal": "1" if original.internal else "",
            "source_kind": source.kind.value,
            "source_ref": source.encode(),
        }
        now = self._clock.now()
        spec = event(kind, now, original.actor, TO_THREAD, text=body, data=data)
        await self._store.conversations.append(cid, Action.EDIT, [spec], to_ms(now))
        return True

    # -- transfer and close ---------------------------------------------------------------------

    async def transfer(
        self,
        cid: ConversationId,
        by: AgentActor,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
        note: str = "",
    ) -> Conversation:
        """To a department (back in its queue) or to a named agent (straight into service)."""
        target_agent = self._directory.require_agent(agent) if agent else None
        note_text = clean_message(note, limit=1000, field="note")

        async def step(c: Conversation) -> None:
            require_access(by, c, "transfer")
            dept = self._target_department(c, department, target_agent)
            now = self._clock.now()
            data = {
                "from_department": c.department_id or "",
                "department": dept,
                "agent": target_agent.id if target_agent else "",
                "agent_name": target_agent.name if target_agent else "",
                "note": note_text,
            }
            specs = [
                event(
                    EventKind.TRANSFERRED,
                    now,
                    ActorRef.agent(by),
                    moved(c.department_id, dept),
                    text=note_text,
                    data=data,
                )
            ]
            await self._store.conversations.transfer(
                c,
                department=dept,
                agent=target_agent,
                allowed=True,
                events=specs,
                now_ms=to_ms(now),
            )

        try:
            await self._retrying(cid, step)
        except SameTarget:
            raise InvalidInput("target", "the conversation is already there") from None
        return await self.get(cid)

    def _target_department(
        self, c: Conversation, department: DepartmentId | None, agent: AgentActor | None
    ) -> DepartmentId:
        if department is not None:
            self._directory.require_department(department)
        dept = department or c.department_id
        if agent is not None and (dept is None or not can_access(agent, dept)):
            options = sorted(agent.departments)
            if department is not None or not options:
                raise Forbidden(agent.id, "take this conversation", f"no access to {dept}")
            dept = options[0]
        if dept is None:
            raise InvalidInput("department", "choose a department to transfer to")
        return DepartmentId(dept)

    async def close(
        self, cid: ConversationId, by: AgentActor | None, reason: str = ""
    ) -> Conversation:
        """Close from an agent (with access) or the system (by=None)."""
        reason = clean_message(reason, limit=200, field="reason")

        async def step(c: Conversation) -> None:
            if by is not None:
                require_access(by, c, "close")
            actor = ActorRef.agent(by) if by else SYSTEM
            now = self._clock.now()
            spec = event(
                EventKind.CLOSED,
                now,
                actor,
                CLOSE_THREAD,
                data={"by": by.id if by else "system", "reason": reason},
            )
            await self._store.conversations.close(
                c,
                by=by.id if by else "system",
                reason=reason,
                events=[spec],
                now_ms=to_ms(now),
                retention_seconds=self._store.settings.retention_days * 24 * 3600,
            )

        await self._retrying(cid, step)
        return await self.get(cid)
