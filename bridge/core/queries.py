"""The read side behind the left-hand menu: queue, Atendimentos, Automático, Histórico,
contacts, a conversation's details. Every list is bounded and paged."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bridge.domain.access import can_access, require_access
from bridge.domain.errors import NotFound
from bridge.domain.ids import AgentId, ContactId, ConversationId, DepartmentId
from bridge.domain.model import AgentActor, ChannelKind, Contact, Conversation, ConversationState
from bridge.domain.text import matches, query_words
from bridge.domain.views import (
    ConversationDetails,
    ConversationSummary,
    Page,
    QueueCounter,
)
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import from_ms, to_ms

IN_SERVICE_SCAN = 2000  # conversations in service read per query (bounded by agents x capacity)
HISTORY_SCAN = 500  # closed conversations examined per history page
TEXT_SCAN_LOG = 200  # log entries read per conversation for a text filter


@dataclass(frozen=True, slots=True)
class ChatFilter:
    department: DepartmentId | None = None
    agent: AgentId | None = None
    channel: ChannelKind | None = None
    tag: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    since: datetime | None = None
    until: datetime | None = None
    department: DepartmentId | None = None
    agent: AgentId | None = None
    contact: ContactId | None = None
    reason: str = ""  # close reason
    text: str = ""


def _cursor(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


class Queries:
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock

    async def _summaries(self, cids: Sequence[ConversationId]) -> list[ConversationSummary]:
        conversations = await self._store.conversations.get_many(cids)
        contacts = await self._store.contacts.get_many([c.contact_id for c in conversations])
        return [
            ConversationSummary(c, contacts.get(c.contact_id) or Contact(c.contact_id))
            for c in conversations
        ]

    # -- the queue (Fila) -------------------------------------------------------------------

    async def counters(self, agent: AgentActor) -> list[QueueCounter]:
        """Waiting conversations per department the agent may access."""
        depts = self._directory.departments_of(agent)
        counts = await self._store.indexes.queue_counts(depts)
        return [QueueCounter(d, n, from_ms(oldest)) for d, (n, oldest) in counts.items()]

    async def waiting_count(self, agent: AgentActor) -> int:
        return sum(c.waiting for c in await self.counters(agent))

    async def queue(
        self, agent: AgentActor, cursor: str | None = None, limit: int = 10
    ) -> Page[ConversationSummary]:
        """The agent's waiting conversations across their departments, oldest first."""
        offset = _cursor(cursor)
        depts = self._directory.departments_of(agent)
        windows, counts = await self._store.indexes.queue_windows(depts, offset + limit)
        positions = {
            s.conversation_id: rank
            for scored in windows.values()
            for rank, s in enumerate(scored, start=1)
        }
        merged = heapq.merge(*windows.values(), key=lambda s: (s.score_ms, s.conversation_id))
        window = list(merged)[offset : offset + limit]
        rows = await self._summaries([s.conversation_id for s in window])
        items = [
            ConversationSummary(s.conversation, s.contact, positions[s.conversation.id])
            for s in rows
        ]
        total = sum(counts.values())
        more = offset + limit < total
        return Page(items, str(offset + limit) if more else None, total)

    # -- Atendimentos and Automático ---------------------------------------------------------

    async def in_service(
        self,
        agent: AgentActor,
        filters: ChatFilter = ChatFilter(),
        cursor: str | None = None,
        limit: int = 10,
    ) -> Page[ConversationSummary]:
        scored = await self._store.indexes.in_service(IN_SERVICE_SCAN)
        rows = await self._summaries([s.conversation_id for s in scored])
        visible = [s for s in rows if can_access(agent, s.conversation.department_id)]
        chosen = [s for s in visible if await self._matches(s, filters)]
        return _page(chosen, cursor, limit)

    async def automatic(
        self, cursor: str | None = None, limit: int = 10
    ) -> Page[ConversationSummary]:
        offset = _cursor(cursor)
        scored = await self._store.indexes.automatic(offset, limit + 1)
        rows = await self._summaries([s.conversation_id for s in scored[:limit]])
        more = len(scored) > limit
        return Page(rows, str(offset + limit) if more else None)

    async def _matches(self, s: ConversationSummary, f: ChatFilter) -> bool:
        c = s.conversation
        if f.department and c.department_id != f.department:
            return False
        if f.agent and c.assignee != f.agent:
            return False
        if f.channel and c.channel is not f.channel:
            return False
        if f.tag and f.tag.casefold() not in {t.casefold() for t in s.contact.tags}:
            return False
        return not f.text or await self._text_matches(s, f.text)

    async def _text_matches(self, s: ConversationSummary, text: str) -> bool:
        contact = s.contact
        known = " ".join(
            [contact.name, contact.email, contact.phone, *s.conversation.form.values()]
        )
        if matches(known, text):
            return True
        items = await self._store.conversations.log(s.conversation.id, limit=TEXT_SCAN_LOG)
        return matches(" ".join(i.text for i in items), text)

    # -- Histórico ------------------------------------------------------------------------------

    async def history(
        self,
        agent: AgentActor,
        filters: HistoryFilter = HistoryFilter(),
        cursor: str | None = None,
        limit: int = 10,
    ) -> Page[ConversationSummary]:
        """Closed conversations, newest first. The cursor is the close time to continue from."""
        if filters.contact:
            return await self._contact_history(agent, filters, limit)
        newest = to_ms(filters.until) if filters.until else to_ms(self._clock.now()) + 1
        if cursor and cursor.isdigit():
            newest = min(newest, int(cursor))
        oldest = to_ms(filters.since) if filters.since else 0
        key = self._store.indexes.history_key(filters.department, filters.agent)
        scored = await self._store.indexes.history(
            key, newest_ms=newest, oldest_ms=oldest, limit=HISTORY_SCAN
        )
        chosen: list[ConversationSummary] = []
        next_cursor = None
        for s in await self._summaries([x.conversation_id for x in scored]):
            if await self._history_matches(agent, s, filters):
                chosen.append(s)
            if len(chosen) == limit:
                closed = s.conversation.closed_at
                next_cursor = str(to_ms(closed) - 1) if closed else None
                break
        if len(chosen) < limit and len(scored) == HISTORY_SCAN and scored:
            next_cursor = str(scored[-1].score_ms - 1)  # scanned the window, more may match
        return Page(chosen, next_cursor)

    async def _history_matches(
        self, agent: AgentActor, s: ConversationSummary, f: HistoryFilter
    ) -> bool:
        c = s.conversation
        if not can_access(agent, c.department_id):
            return False
        if f.department and c.department_id != f.department:
            return False
        if f.agent and c.assignee != f.agent and c.closed_by != f.agent:
            return False
        if f.reason and c.close_reason.casefold() != f.reason.casefold():
            return False
        return not f.text or await self._text_matches(s, f.text)

    async def _contact_history(
        self, agent: AgentActor, f: HistoryFilter, limit: int
    ) -> Page[ConversationSummary]:
        assert f.contact is not None
        scored = await self._store.indexes.contact_conversations(f.contact, limit=50)
        rows = await self._summaries([s.conversation_id for s in scored])
        chosen = [
            s
            for s in rows
            if s.conversation.state is ConversationState.CLOSED
            and await self._history_matches(agent, s, f)
        ]
        return Page(chosen[:limit], None, len(chosen))

    # -- Contatos ---------------------------------------------------------------------------------

    async def contacts(
        self, query: str = "", cursor: str | None = None, limit: int = 10
    ) -> Page[Contact]:
        """Search by name, e-mail or phone; case- and accent-insensitive ("joao" finds João)."""
        offset = _cursor(cursor)
        words = query_words(query)
        if words:
            ids = await self._store.contacts.search(words)
            found = await self._store.contacts.get_many(ids[offset : offset + limit])
            rows = sorted(found.values(), key=lambda c: (c.name.casefold(), c.id))
            more = offset + limit < len(ids)
            return Page(rows, str(offset + limit) if more else None, len(ids))
        recent = await self._store.contacts.recent(offset, limit + 1)
        found = await self._store.contacts.get_many(recent[:limit])
        rows = [found[k] for k in recent[:limit] if k in found]
        return Page(rows, str(offset + limit) if len(recent) > limit else None)

    async def contact(self, kid: ContactId) -> Contact:
        found = await self._store.contacts.get(kid)
        if found is None:
            raise NotFound("contact", kid)
        return found

    # -- one conversation --------------------------------------------------------------------------

    async def details(
        self, cid: ConversationId, agent: AgentActor, timeline_limit: int = 100
    ) -> ConversationDetails:
        """The right-hand panel: chat details, contact, timeline and the contact's history."""
        c = await self._conversation(cid)
        require_access(agent, c, "see")
        contact = await self._store.contacts.get(c.contact_id) or Contact(c.contact_id)
        visitor = None
        if c.visitor_id:
            visitor = await self._store.visitors.get(c.visitor_id, self._online_since())
        timeline = await self._store.conversations.log_tail(cid, timeline_limit)
        past = await self._store.indexes.contact_conversations(c.contact_id, limit=20)
        others = [s.conversation_id for s in past if s.conversation_id != cid]
        history = await self._store.conversations.get_many(others)
        return ConversationDetails(c, contact, visitor, timeline, history)

    async def transcript(
        self, cid: ConversationId, agent: AgentActor, limit: int = 200
    ) -> ConversationDetails:
        c = await self._conversation(cid)
        require_access(agent, c, "see")
        contact = await self._store.contacts.get(c.contact_id) or Contact(c.contact_id)
        items = await self._store.conversations.log(cid, limit=limit)
        return ConversationDetails(c, contact, None, items)

    async def _conversation(self, cid: ConversationId) -> Conversation:
        found = await self._store.conversations.get(cid)
        if found is None:
            raise NotFound("conversation", cid)
        return found

    def _online_since(self) -> int:
        return to_ms(self._clock.now() - timedelta(seconds=ONLINE_WINDOW_SECONDS))


ONLINE_WINDOW_SECONDS = 60


def _page(
    rows: Sequence[ConversationSummary], cursor: str | None, limit: int
) -> Page[ConversationSummary]:
    offset = _cursor(cursor)
    window = list(rows[offset : offset + limit])
    more = offset + limit < len(rows)
    return Page(window, str(offset + limit) if more else None, len(rows))
