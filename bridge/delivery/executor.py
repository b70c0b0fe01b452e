"""Carries out one outbox entry against one agent channel, step by step, idempotently.

Each step's result is kept as a receipt (keyed by entry id and step), so a retry after a
failure or a crash skips the steps already done instead of posting twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bridge.delivery.plan import Step, plan
from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.ids import AgentId, ConversationId, DepartmentId, EventId, event_id_key
from bridge.domain.model import Contact, Conversation
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard
from bridge.ports import AgentChannel, Clock, ThreadGone
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import to_ms
from bridge.store.outbox import OutboxEntry

log = logging.getLogger("ponte.delivery")

BACKLOG = 50  # automatic-stage items posted with a new thread


class Executor:
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock

    async def run(self, entry: OutboxEntry, channel: AgentChannel) -> None:
        steps = plan(entry.op, entry.event, channel.kind.value)
        if not steps:
            return
        if steps == [Step.NOTIFY]:
            await self._notify(entry, channel)
            return
        if steps == [Step.ALERT]:
            await self._alert(entry, channel)
            return
        conversation = await self._store.conversations.get(entry.conversation_id)
        if conversation is None:
            log.info("delivery.expired", extra={"cid": entry.conversation_id})
            return  # closed long ago and expired: nothing left to show
        card = await self.card(conversation, entry.department_id)
        run = _Run(self, entry, channel, conversation, card)
        await run.execute(steps)

    async def card(
        self, c: Conversation, department: DepartmentId, moved_to: DepartmentId | None = None
    ) -> ConversationCard:
        """The card of the conversation's thread in `department` (an old one after a move)."""
        contact = await self._store.contacts.get(c.contact_id) or Contact(c.contact_id)
        visitor = None
        if c.visitor_id:
            visitor = await self._store.visitors.get(
                c.visitor_id, to_ms(self._clock.now()) - 60_000
            )
        return self._directory.card(c, contact, visitor, self._clock.now(), moved_to, department)

    async def step(
        self, entry: OutboxEntry, name: str, call: Callable[[str], Awaitable[str]]
    ) -> str:
        """Run `call(key)` once per entry and step; a repeat returns the stored receipt."""
        key = f"{entry.key}:{name}"
        done = await self._store.outbox.receipt(entry.kind, key)
        if done is not None:
            return done
        result = await call(key)
        await self._store.outbox.save_receipt(entry.kind, key, result)
        return result

    async def _notify(self, entry: OutboxEntry, channel: AgentChannel) -> None:
        agent = AgentId(entry.conversation_id.removeprefix("@"))
        text = f"{entry.event.actor.name}: {entry.event.text}"

        async def call(key: str) -> str:
            sender = entry.event.actor.id
            await channel.notify_agent(key, agent, text, sender=AgentId(sender) if sender else None)
            return "ok"

        await self.step(entry, "notify", call)

    async def _alert(self, entry: OutboxEntry, channel: AgentChannel) -> None:
        """A notice to a department's channel ("#dept" lane) or to one agent ("@agent")."""
        target = entry.conversation_id
        department = DepartmentId(target[1:]) if target.startswith("#") else None
        agent = AgentId(target[1:]) if target.startswith("@") else None

        async def call(key: str) -> str:
            await channel.alert(key, entry.event, department=department, agent=agent)
            return "ok"

        await self.step(entry, "alert", call)

    @property
    def store(self) -> Store:
        return self._store

    def now(self) -> datetime:
        return self._clock.now()


class _Run:
    """One entry's steps, sharing the thread they open or find."""

    def __init__(
        self,
        executor: Executor,
        entry: OutboxEntry,
        channel: AgentChannel,
        conversation: Conversation,
        card: ConversationCard,
    ) -> None:
        self.x, self.entry, self.channel = executor, entry, channel
        self.conversation, self.card = conversation, card
        self.kind = channel.kind
        self.thread: ThreadRef | None = None
        self.opened = False

    @property
    def cid(self) -> ConversationId:
        return self.entry.conversation_id

    async def execute(self, steps: list[Step]) -> None:
        self.thread = await self._existing()
        if self.thread is None and Step.ENSURE not in steps:
            return  # a move or close of a thread that never existed
        for step in steps:
            try:
                await self._do(step)
            except ThreadGone:
                await self._reopen()
                await self._do(step)

    async def _existing(self) -> ThreadRef | None:
        ref = await self.x.store.threads.get(self.kind.value, self.cid, self.entry.department_id)
        return ThreadRef.decode(self.kind, ref) if ref else None

    async def _do(self, step: Step) -> None:
        match step:
            case Step.ENSURE:
                await self._ensure()
            case Step.CARD if not self.opened:
                await self._card("card", self.card)
            case Step.MOVED_CARD:
                dept = self.entry.department_id
                moved = await self.x.card(self.conversation, dept, self.conversation.department_id)
                await self._card("moved", moved)
            case Step.POST:
                await self._post()
            case Step.MARK:
                await self._mark()
            case Step.EDIT:
                await self._edit()
            case Step.CLOSE:
                await self._close()
            case _:
                return

    async def _ensure(self) -> None:
        if self.thread is not None:
            return
        backlog = await self._backlog()

        async def call(key: str) -> str:
            ref = await self.channel.open_thread(key, self.card, backlog)
            return ref.encode()

        encoded = await self.x.step(self.entry, "open", call)
        await self.x.store.threads.set(self.kind.value, self.cid, self.entry.department_id, encoded)
        self.thread, self.opened = ThreadRef.decode(self.kind, encoded), True

    async def _reopen(self) -> None:
        """The thread was deleted by hand: open a new one and point the mapping at it."""
        previous = self.thread.encode() if self.thread else None
        backlog = await self._backlog()
        ref = await self.channel.open_thread(f"{self.entry.key}:reopen", self.card, backlog)
        dept = self.entry.department_id
        await self.x.store.threads.set(self.kind.value, self.cid, dept, ref.encode(), previous)
        self.thread, self.opened = ref, True

    async def _backlog(self) -> list[TimelineItem]:
        items = await self.x.store.conversations.log(self.cid, limit=BACKLOG)
        cut = [i for i in items if _before(i, self.entry.event)]
        return [
            i
            for i in cut
            if i.kind in (EventKind.MESSAGE, EventKind.FORM_SUBMITTED, EventKind.NOTE)
        ]

    def _thread(self) -> ThreadRef:
        if self.thread is None:
            raise ThreadGone("no thread")
        return self.thread

    async def _card(self, name: str, card: ConversationCard) -> None:
        thread = self._thread()

        async def call(key: str) -> str:
            await self.channel.update_card(key, thread, card)
            return "ok"

        await self.x.step(self.entry, name, call)

    async def _post(self) -> None:
        thread, item = self._thread(), self.entry.event

        async def call(key: str) -> str:
            ref = await self.channel.post(key, thread, item, self.card)
            return ref.encode()

        encoded = await self.x.step(self.entry, "post", call)
        ref = ExternalRef.decode(self.kind, encoded)
        await self.x.store.threads.remember_message(self.cid, item.id, ref)

    async def _mark(self) -> None:
        item = self.entry.event
        ref = ExternalRef.decode(self.kind, item.data.get("source_ref", ""))

        async def call(key: str) -> str:
            await self.channel.mark(key, ref, item)
            return "ok"

        await self.x.step(self.entry, "mark", call)

    async def _edit(self) -> None:
        item = self.entry.event
        target = item.data.get("target", "")
        encoded = await self.x.store.threads.message_ref(self.kind.value, self.cid, EventId(target))
        if not encoded:
            return  # never posted here (or expired): nothing to edit

        async def call(key: str) -> str:
            await self.channel.edit(key, ExternalRef.decode(self.kind, encoded), item)
            return "ok"

        await self.x.step(self.entry, "edit", call)

    async def _close(self) -> None:
        thread = self._thread()

        async def call(key: str) -> str:
            await self.channel.close_thread(key, thread, self.card)
            return "ok"

        await self.x.step(self.entry, "close", call)


def _before(item: TimelineItem, event: TimelineItem) -> bool:
    return event_id_key(item.id) < event_id_key(event.id)
