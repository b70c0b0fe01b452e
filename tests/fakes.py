"""Fakes for ports Ponte owns (never for libraries): a controllable clock and a recording agent
channel that honours the AgentChannel contract."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, ConversationId, DepartmentId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard

# Wednesday 25 Nov 2026, 15:00 UTC = 12:00 in São Paulo: inside business hours.
START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        self._now = moment


@dataclass(frozen=True)
class Recorded:
    method: str
    key: str
    conversation_id: str = ""
    item: TimelineItem | None = None
    card: ConversationCard | None = None
    backlog: tuple[TimelineItem, ...] = ()
    thread: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class RecordingAgentChannel:
    """Records every call, in order (duplicates included, so tests can see them). `fail_next`
    queues exceptions raised by the next calls, to drive the worker's retry paths."""

    def __init__(self, kind: ChannelKind) -> None:
        self.kind = kind
        self.calls: list[Recorded] = []
        self._failures: deque[BaseException] = deque()
        self._threads = 0
        self._messages = 0

    def fail_next(self, *errors: BaseException) -> None:
        self._failures.extend(errors)

    def _maybe_fail(self) -> None:
        if self._failures:
            raise self._failures.popleft()

    def of(self, method: str) -> list[Recorded]:
        return [c for c in self.calls if c.method == method]

    def items(self, cid: str) -> list[TimelineItem]:
        """Items posted to the conversation's threads, in order."""
        return [
            c.item for c in self.calls if c.method == "post" and c.conversation_id == cid and c.item
        ]

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        self._maybe_fail()
        self._threads += 1
        dept = card.conversation.department_id or ""
        ref = ThreadRef(self.kind, dept, f"t{self._threads}", f"t{self._threads}")
        self.calls.append(
            Recorded(
                "open_thread",
                key,
                card.conversation.id,
                card=card,
                backlog=tuple(backlog),
                thread=ref.encode(),
            )
        )
        return ref

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        self._maybe_fail()
        self.calls.append(
            Recorded("update_card", key, card.conversation.id, card=card, thread=thread.encode())
        )

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        self._maybe_fail()
        self._messages += 1
        self.calls.append(
            Recorded("post", key, card.conversation.id, item=item, thread=thread.encode())
        )
        return ExternalRef(self.kind, thread.space, f"m{self._messages}", thread.thread)

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        self._maybe_fail()
        self.calls.append(Recorded("mark", key, item=item, extra={"ref": ref.encode()}))

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        self._maybe_fail()
        self.calls.append(Recorded("edit", key, item=item, extra={"ref": ref.encode()}))

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        self._maybe_fail()
        self.calls.append(
            Recorded("close_thread", key, card.conversation.id, card=card, thread=thread.encode())
        )

    async def alert(
        self,
        key: str,
        item: TimelineItem,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
    ) -> None:
        self._maybe_fail()
        extra = {"department": department, "agent": agent}
        self.calls.append(Recorded("alert", key, item=item, extra=extra))

    async def notify_agent(
        self, key: str, agent: AgentId, text: str, *, sender: AgentId | None = None
    ) -> None:
        self._maybe_fail()
        extra = {"agent": agent, "text": text, "sender": sender}
        self.calls.append(Recorded("notify_agent", key, extra=extra))


def conversation_ids(calls: Sequence[Recorded]) -> list[ConversationId]:
    return [ConversationId(c.conversation_id) for c in calls]
