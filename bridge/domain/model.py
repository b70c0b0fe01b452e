"""The domain's values: frozen dataclasses and enums, no behaviour beyond small derived facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bridge.domain.ids import (
    AgentId,
    AttachmentId,
    ContactId,
    ConversationId,
    DepartmentId,
    EventId,
    VisitorId,
)


class ConversationState(StrEnum):
    AUTOMATIC = "automatic"
    QUEUED = "queued"
    IN_SERVICE = "in_service"
    CLOSED = "closed"


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Author(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


class ChannelKind(StrEnum):
    WIDGET = "widget"
    SLACK = "slack"
    TELEGRAM = "telegram"


class Presence(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class AgentActor:
    """An agent as configured: who they are and what they may touch."""

    id: AgentId
    name: str
    role: Role
    departments: frozenset[DepartmentId]
    max_chats: int

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class ActorRef:
    """Who did something, as stored on the timeline."""

    author: Author
    id: str = ""
    name: str = ""

    def to_json(self) -> dict[str, str]:
        return {"a": self.author.value, "id": self.id, "n": self.name}

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> ActorRef:
        return cls(Author(data["a"]), data.get("id", ""), data.get("n", ""))

    @classmethod
    def agent(cls, agent: AgentActor) -> ActorRef:
        return cls(Author.AGENT, agent.id, agent.name)


SYSTEM = ActorRef(Author.SYSTEM, "system", "Ponte")
BOT = ActorRef(Author.BOT, "bot", "Bot")


@dataclass(frozen=True, slots=True)
class Attachment:
    id: AttachmentId
    name: str
    mime: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    def to_json(self) -> dict[str, str | int]:
        return {"id": self.id, "name": self.name, "mime": self.mime, "size": self.size}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Attachment:
        size = data.get("size", 0)
        return cls(
            AttachmentId(str(data["id"])),
            str(data.get("name", "")),
            str(data.get("mime", "application/octet-stream")),
            size if isinstance(size, int) else 0,
        )


@dataclass(frozen=True, slots=True)
class Contact:
    id: ContactId
    name: str = ""
    email: str = ""
    phone: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    identities: Mapping[str, str] = field(default_factory=dict)  # channel kind -> external id
    created_at: datetime | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.phone or "—"


@dataclass(frozen=True, slots=True)
class Visitor:
    """A lead: someone on a page carrying the widget, chatting or not."""

    id: VisitorId
    contact_id: ContactId | None
    first_seen: datetime
    last_seen: datetime
    page_url: str = ""
    page_title: str = ""
    referrer: str = ""
    pages_viewed: int = 0
    conversation_id: ConversationId | None = None  # the latest, open or closed
    online: bool = False
    chatting: bool = False  # the latest conversation is still open

    @property
    def time_on_site_seconds(self) -> int:
        return max(0, int((self.last_seen - self.first_seen).total_seconds()))


@dataclass(frozen=True, slots=True)
class Conversation:
    id: ConversationId
    number: int
    contact_id: ContactId
    visitor_id: VisitorId | None
    state: ConversationState
    department_id: DepartmentId | None  # None until chosen
    assignee: AgentId | None  # set only while IN_SERVICE
    created_at: datetime  # the queue's order key
    channel: ChannelKind = ChannelKind.WIDGET
    flow_step: str = ""
    form: Mapping[str, str] = field(default_factory=dict)
    queued_at: datetime | None = None
    claimed_at: datetime | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str = ""
    close_reason: str = ""
    rating: int | None = None
    rating_comment: str = ""
    previous_id: ConversationId | None = None
    last_customer_at: datetime | None = None
    page_url: str = ""
    offline_message: bool = False  # started outside business hours
    last_event_id: EventId | None = None
    reserved_for: AgentId | None = None  # the last agent's priority (carteirização)
    reserved_until: datetime | None = None
    reopened: int = 0  # times the customer reopened it
    warned_at: datetime | None = None  # the inactivity warning, while it stands

    def reserved_at(self, now: datetime) -> AgentId | None:
        """The agent this waiting conversation is still reserved for, at `now`."""
        if self.reserved_for and self.reserved_until and now < self.reserved_until:
            return self.reserved_for
        return None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    conversation_id: ConversationId
    department_id: DepartmentId
    waiting_since: datetime
    position: int
