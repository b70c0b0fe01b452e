"""The ports: what the core needs from agent channels (Slack, Telegram), the customer channel
(the widget) and the clock. Adapters implement them; the core and delivery call them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, ConversationId, DepartmentId, EventId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard

__all__ = [
    "AgentChannel",
    "Clock",
    "CustomerChannel",
    "DeliveryFailed",
    "ExternalRef",
    "NoObserver",
    "Observer",
    "RetryLater",
    "SystemClock",
    "ThreadGone",
    "ThreadRef",
]


class RetryLater(Exception):
    """The remote asked us to wait (Slack 429 Retry-After, Telegram retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class DeliveryFailed(Exception):
    """Retrying cannot help: channel not found, bot removed, file too large. str() says why."""


class ThreadGone(Exception):
    """The thread was deleted by hand (a Telegram topic): open a new one and post there."""


class AgentChannel(Protocol):
    """Slack or Telegram, as the delivery worker sees it.

    Called one lane at a time: calls for one conversation never overlap and arrive in order.
    `key` is unique per delivery step; a repeated call with the same key must not post twice
    (the worker also keeps receipts, so this is a second line of defence). Vendor errors become
    RetryLater, DeliveryFailed or ThreadGone; anything else is retried with back-off.
    """

    kind: ChannelKind

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        """Post the root (card with Claim/Transfer/Close) and the automatic-stage transcript."""
        ...

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None: ...

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        """Post one timeline item as a thread reply."""
        ...

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """The item came from this channel as message `ref`: show what became of it (a note
        that stayed internal, a reply delivered)."""
        ...

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """An edit or delete (item.kind) of the message we posted as `ref`."""
        ...

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None: ...

    async def notify_agent(
        self, key: str, agent: AgentId, text: str, *, sender: AgentId | None = None
    ) -> None:
        """A direct message to one agent (internal chat, alerts). `text` reads "Name: message";
        `sender` is the agent who wrote it (None for alerts), so the channel can offer a reply."""
        ...

    async def alert(
        self,
        key: str,
        item: TimelineItem,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
    ) -> None:
        """A notice from Ponte itself, not in a thread: to a department's channel/group (a
        waiting alert) or to one agent (a conversation reserved for them). `item.data["notice"]`
        says which (`waiting`, `reserved`); the rest of `item.data` holds its values."""
        ...


class Observer(Protocol):
    """Measurements the core reports as they happen, once, in the process that acted
    (Prometheus histograms and counters in the daemon)."""

    def waited(self, department: str, seconds: float) -> None: ...
    def first_response(self, department: str, seconds: float) -> None: ...
    def closed(self, department: str, reason: str) -> None: ...


class NoObserver:
    def waited(self, department: str, seconds: float) -> None:
        return None

    def first_response(self, department: str, seconds: float) -> None:
        return None

    def closed(self, department: str, reason: str) -> None:
        return None


class CustomerChannel(Protocol):
    """The widget. wake() tells live sessions in this process that log entries after
    `event_id` exist; each session then reads the log through the core from its own last id.
    Never blocks."""

    def wake(self, conversation_id: ConversationId, event_id: EventId) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
