"""Channel-neutral read models: what queries return and what agent channels render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, ConversationId, DepartmentId
from bridge.domain.model import AgentActor, Contact, Conversation, Presence, Visitor

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a bounded list. `cursor` continues it; None means this was the last page."""

    items: Sequence[T]
    cursor: str | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    conversation: Conversation
    contact: Contact
    position: int | None = None  # queue position, when queued


@dataclass(frozen=True, slots=True)
class ConversationCard:
    """Everything a thread's root message shows, resolved to names."""

    conversation: Conversation
    contact: Contact
    department_name: str
    assignee_name: str
    page_url: str
    page_title: str
    form: tuple[tuple[str, str], ...]  # (label, value)
    moved_to: str = ""  # set on an old thread after a transfer: the new department's name
    now: datetime | None = None
    department_id: DepartmentId | None = None  # whose thread this card is (old one after a move)

    @property
    def waited_seconds(self) -> int:
        c = self.conversation
        start = c.queued_at or c.created_at
        end = c.claimed_at or c.closed_at or self.now or start
        return max(0, int((end - start).total_seconds()))


@dataclass(frozen=True, slots=True)
class QueueCounter:
    department_id: DepartmentId
    waiting: int
    oldest_since: datetime | None


@dataclass(frozen=True, slots=True)
class AgentStatus:
    agent: AgentActor
    presence: Presence
    active_chats: int


@dataclass(frozen=True, slots=True)
class Lead:
    visitor: Visitor
    contact: Contact | None
    conversation: Conversation | None = None


@dataclass(frozen=True, slots=True)
class ConversationDetails:
    """The right-hand panel: chat details, contact, timeline, the contact's history."""

    conversation: Conversation
    contact: Contact
    visitor: Visitor | None
    timeline: Sequence[TimelineItem]
    history: Sequence[Conversation] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Peek:
    conversation: Conversation
    items: Sequence[TimelineItem]


@dataclass(frozen=True, slots=True)
class InternalMessage:
    """A message of the internal chat between two agents."""

    id: str
    sender: AgentId
    recipient: AgentId
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Counts:
    """Conversations by state and per department, for /metrics."""

    automatic: int
    in_service: int
    closed: int
    queued: dict[DepartmentId, QueueCounter]


@dataclass(frozen=True, slots=True)
class ConversationRef:
    conversation_id: ConversationId
    number: int
