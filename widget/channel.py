"""WidgetChannel: the live sessions of this process, woken by the doorbell (CustomerChannel)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from bridge.domain.events import DoorbellEvent
from bridge.domain.ids import ConversationId, EventId, VisitorId
from widget.session import Overflow, Session

K = TypeVar("K", ConversationId, VisitorId)

# Changes to any conversation that move the others in a queue.
QUEUE_MOVES = frozenset({"queued", "claimed", "transferred", "closed"})


class WidgetChannel:
    def __init__(self) -> None:
        self._by_conversation: defaultdict[ConversationId, set[Session]] = defaultdict(set)
        self._by_visitor: defaultdict[VisitorId, set[Session]] = defaultdict(set)
        self._all: set[Session] = set()
        self._on_overflow: Callable[[Session], None] | None = None

    @property
    def sessions(self) -> int:
        return len(self._all)

    def on_overflow(self, callback: Callable[[Session], None]) -> None:
        self._on_overflow = callback

    def add(self, session: Session) -> None:
        self._all.add(session)
        if session.vid:
            self._by_visitor[session.vid].add(session)
        if session.cid:
            self._by_conversation[session.cid].add(session)

    def remove(self, session: Session) -> None:
        self._all.discard(session)
        if session.vid:
            _discard(self._by_visitor, session.vid, session)
        if session.cid:
            _discard(self._by_conversation, session.cid, session)

    def moved(self, session: Session) -> None:
        """The session now shows another conversation (pass to Session as on_switch)."""
        for cid in [c for c, found in self._by_conversation.items() if session in found]:
            _discard(self._by_conversation, cid, session)
        if session.cid and session in self._all:
            self._by_conversation[session.cid].add(session)

    def wake(self, conversation_id: ConversationId, event_id: EventId) -> None:
        for session in list(self._by_conversation.get(conversation_id, ())):
            self._notify(session)

    def on_event(self, event: DoorbellEvent) -> None:
        """Doorbell listener: wake the conversation's sessions, move queues, follow tabs."""
        if event.kind == "started" and event.visitor:
            for session in list(self._by_visitor.get(VisitorId(event.visitor), ())):
                session.switch(event.conversation_id)
                self._notify(session)
        self.wake(event.conversation_id, event.event_id)
        if event.kind in QUEUE_MOVES:
            for session in [s for s in self._all if s.queued and s.cid != event.conversation_id]:
                self._notify(session, position_only=True)

    def _notify(self, session: Session, *, position_only: bool = False) -> None:
        try:
            session.notify(position_only=position_only)
        except Overflow:
            if self._on_overflow:
                self._on_overflow(session)


def _discard(table: defaultdict[K, set[Session]], key: K, session: Session) -> None:
    found = table.get(key)
    if found is not None:
        found.discard(session)
        if not found:
            del table[key]
