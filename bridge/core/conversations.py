"""What agents do to conversations: claim, peek, reply, note, edit (and, from Handover,
transfer and close)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bridge.core.handover import Handover
from bridge.core.timeline import LOG_ONLY, TO_THREAD, event
from bridge.domain.access import ThreadMessage, can_access, require_access
from bridge.domain.errors import Forbidden
from bridge.domain.events import EventKind
from bridge.domain.ids import AgentId, ConversationId
from bridge.domain.model import (
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
from bridge.domain.views import Peek
from bridge.store.assignment import NotHolder
from bridge.store.codec import to_ms
from bridge.store.scripts import Tally

VENDOR_EVENT_TTL = 24 * 3600
log = logging.getLogger("ponte.conversations")


@dataclass(frozen=True, slots=True)
class Written:
    """What an agent's message became."""

    conversation_id: ConversationId
    outcome: ThreadMessage | None  # None: a duplicate delivery of an event already handled
    event_ids: tuple[str, ...] = ()


class Conversations(Handover):
    """Everything agents do to conversations (transfer and close come from Handover)."""

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
            tally = self._deps.stats.claimed(c)
            await self._store.assignment.claim(c, by, access, [spec], to_ms(now), tally)
            waited = (now - (c.queued_at or c.created_at)).total_seconds()
            self._deps.observer.waited(c.department_id or "", waited)
            # what claim.lua wrote, without reading it back
            return replace(c, state=ConversationState.IN_SERVICE, assignee=by.id, claimed_at=now)

        claimed = await self._retrying(cid, step)
        log.info("conversation.claimed", extra={"cid": cid, "agent": by.id})
        await self._deps.scheduler.inactivity(cid, claimed.department_id)
        return claimed

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
            tallies = self._tallies(c)
            result = await self._store.assignment.agent_message(
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
                tallies=tallies,
            )
            outcome = None if result.outcome == "dup" else ThreadMessage(result.outcome)
            self._observe(c, outcome)
            return Written(cid, outcome, result.ids)

        written = await self._retrying(cid, step)
        if written.outcome is ThreadMessage.CLAIM_AND_REPLY:
            await self._deps.scheduler.inactivity(cid, (await self.get(cid)).department_id)
        return written

    def _tallies(self, c: Conversation) -> tuple[Tally, Tally] | None:
        claimed, first = self._deps.stats.claimed(c), self._deps.stats.first_response(c)
        return (claimed, first) if claimed and first else None

    def _observe(self, c: Conversation, outcome: ThreadMessage | None) -> None:
        if (
            outcome in (ThreadMessage.REPLY, ThreadMessage.CLAIM_AND_REPLY)
            and not c.first_response_at
        ):
            since = (self._clock.now() - (c.queued_at or c.created_at)).total_seconds()
            self._deps.observer.first_response(c.department_id or "", since)

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
