"""What the conversation log holds: timeline items, and the doorbell notice that one was added."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bridge.domain.ids import ConversationId, EventId
from bridge.domain.model import ActorRef, Attachment, Author


class EventKind(StrEnum):
    CREATED = "created"
    MESSAGE = "message"  # from the customer, an agent or the bot: the customer sees it
    NOTE = "note"  # internal: agents only
    DEPARTMENT_CHOSEN = "department_chosen"
    FORM_SUBMITTED = "form_submitted"
    QUEUED = "queued"
    CLAIMED = "claimed"
    PEEKED = "peeked"
    TRANSFERRED = "transferred"
    CLOSED = "closed"
    RATED = "rated"
    EDITED = "edited"
    DELETED = "deleted"
    CONTACT_UPDATED = "contact_updated"
    REOPENED = "reopened"
    RESERVED = "reserved"  # offered first to the last agent for a while


# Events the customer's widget receives; the rest are for agents only.
_CUSTOMER_VISIBLE = frozenset(
    {
        EventKind.CREATED,
        EventKind.MESSAGE,
        EventKind.DEPARTMENT_CHOSEN,
        EventKind.FORM_SUBMITTED,
        EventKind.QUEUED,
        EventKind.CLAIMED,
        EventKind.TRANSFERRED,
        EventKind.CLOSED,
        EventKind.RATED,
        EventKind.EDITED,
        EventKind.DELETED,
        EventKind.REOPENED,
    }
)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One entry of a conversation's log. `id` is its stream id: a total order per conversation.

    `data` holds the kind's details as strings: department, from_department, agent, agent_name,
    reason, rating, target (the message an edit or delete applies to), source_kind, source_ref,
    client_id, offline, options (bot buttons as "id=label|id=label").
    """

    id: EventId
    kind: EventKind
    at: datetime
    actor: ActorRef
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    data: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        internal_kinds = (EventKind.NOTE, EventKind.PEEKED, EventKind.CONTACT_UPDATED)
        return self.kind in internal_kinds or self.data.get("internal") == "1"

    @property
    def customer_visible(self) -> bool:
        return self.kind in _CUSTOMER_VISIBLE and not self.internal

    @property
    def is_customer_message(self) -> bool:
        return self.kind is EventKind.MESSAGE and self.actor.author is Author.CUSTOMER


@dataclass(frozen=True, slots=True)
class DoorbellEvent:
    """Rung on the shared events stream by every change, read by every daemon process."""

    conversation_id: ConversationId
    event_id: EventId
    kind: str
    bell_id: str = ""  # the entry's id on the doorbell stream itself
    visitor: str = ""  # set on "started": the visitor whose new conversation this is
