"""What the widget calls: a visitor's conversation, from the greeting to the rating."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bridge.core.customer_base import CLIENT_ID_TTL, Said, customer
from bridge.core.flow_runner import FlowOutcome
from bridge.core.proactive import Proactive
from bridge.core.timeline import CLOSE_THREAD, TO_THREAD, event
from bridge.domain.errors import IllegalTransition, InvalidInput
from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.flow import (
    ChooseDepartment,
    CustomerText,
    FlowStep,
    MenuPick,
    SubmitForm,
    first_step,
)
from bridge.domain.ids import (
    ContactId,
    ConversationId,
    DepartmentId,
    EventId,
    VisitorId,
    new_conversation_id,
)
from bridge.domain.model import (
    Attachment,
    ChannelKind,
    Conversation,
    ConversationState,
)
from bridge.domain.states import Action
from bridge.domain.text import clean_message
from bridge.store.codec import to_ms
from bridge.store.conversations import ConversationOpen, StepMismatch

log = logging.getLogger("ponte.customers")


class Customers(Proactive):
    """What the widget calls (and, from Proactive and Returning, agents starting chats and
    customers coming back)."""

    # -- reading ----------------------------------------------------------------------------

    async def current(self, vid: VisitorId) -> Conversation | None:
        """The visitor's latest conversation (open, or the last closed one)."""
        cid = await self._store.conversations.visitor_conversation(vid)
        return await self._store.conversations.get(cid) if cid else None

    async def log(
        self, vid: VisitorId, cid: ConversationId, after: EventId | None, limit: int = 200
    ) -> list[TimelineItem]:
        """What the customer may see after `after`; internal notes are filtered here, only."""
        await self.conversation(vid, cid)
        items = await self._store.conversations.log(cid, after=after, limit=limit)
        return [item for item in items if item.customer_visible]

    async def position(self, vid: VisitorId, cid: ConversationId) -> int | None:
        c = await self.conversation(vid, cid)
        if c.state is not ConversationState.QUEUED or c.department_id is None:
            return None
        return await self._store.indexes.queue_position(c.department_id, cid)

    # -- starting ---------------------------------------------------------------------------

    async def start(self, vid: VisitorId, *, page_url: str = "") -> Conversation:
        """A new conversation in the automatic stage, or the visitor's open one."""
        contact = await self._contact_for(vid)
        now = self._clock.now()
        cid = new_conversation_id()
        first = first_step(self._directory.flow)
        conversation = Conversation(
            id=cid,
            number=0,
            contact_id=contact,
            visitor_id=vid,
            state=ConversationState.AUTOMATIC,
            department_id=None,
            assignee=None,
            created_at=now,
            channel=ChannelKind.WIDGET,
            flow_step=first.step.value,
            page_url=page_url[:500],
        )
        events = [event(EventKind.CREATED, now, customer(vid))]
        greeting = self._directory.flow_greeting()
        events += self._flow.bot_events(greeting)
        try:
            await self._store.conversations.create(conversation, events, to_ms(now))
        except ConversationOpen as e:
            return await self.conversation(vid, e.conversation_id)
        log.info("conversation.created", extra={"cid": cid, "visitor": vid})
        await self._deps.scheduler.automatic_stage(conversation)
        if first.step is not FlowStep.DEPARTMENT:
            await self._enter(conversation, first)
        return await self.conversation(vid, cid)

    # -- the automatic stage ----------------------------------------------------------------

    async def choose_department(
        self, vid: VisitorId, cid: ConversationId, dept: str
    ) -> FlowOutcome:
        c = await self.conversation(vid, cid)
        return await self._flow.run(
            c, Action.CHOOSE_DEPARTMENT, ChooseDepartment(DepartmentId(dept)), customer(vid)
        )

    async def submit_form(
        self, vid: VisitorId, cid: ConversationId, values: Mapping[str, str]
    ) -> FlowOutcome:
        c = await self.conversation(vid, cid)
        outcome = await self._flow.run(c, Action.SUBMIT_FORM, SubmitForm(values), customer(vid))
        if not outcome.errors:
            await self._update_contact_from_form(c.contact_id, values)
        return outcome

    async def pick(self, vid: VisitorId, cid: ConversationId, item: str) -> FlowOutcome:
        c = await self.conversation(vid, cid)
        return await self._flow.run(c, Action.BOT_STEP, MenuPick(item), customer(vid))

    async def _update_contact_from_form(self, kid: ContactId, values: Mapping[str, str]) -> None:
        contact = await self._store.contacts.get(kid)
        if contact is None:
            return
        known = {"name", "email", "phone"}
        fields = {k: v for k, v in values.items() if k not in known and isinstance(v, str) and v}
        updated = replace(
            contact,
            name=str(values.get("name") or contact.name),
            email=str(values.get("email") or contact.email),
            phone=str(values.get("phone") or contact.phone),
            fields={**contact.fields, **fields},
        )
        await self._store.contacts.save(updated)

    # -- messages ---------------------------------------------------------------------------

    async def say(
        self,
        vid: VisitorId,
        cid: ConversationId,
        text: str,
        *,
        client_id: str,
        attachments: Sequence[Attachment] = (),
    ) -> Said:
        """A customer message: one round trip (the script also checks the visitor owns the
        conversation); more only when the bot answers or the conversation was closed.

        `client_id` makes a resent message (a reconnect, a second click) count once. Writing to
        a closed conversation starts a new one, linked to the contact's history.
        """
        body = clean_message(text, limit=self._directory.settings.limits.message_chars)
        if not body and not attachments:
            raise InvalidInput("text", "a message needs text or an attachment")
        if not client_id or len(client_id) > 64:
            raise InvalidInput("client_id", "client_id must be 1 to 64 characters")
        now = self._clock.now()
        spec = event(
            EventKind.MESSAGE,
            now,
            customer(vid),
            TO_THREAD,
            text=body,
            attachments=tuple(attachments),
            data={"client_id": client_id},
        )
        try:
            result = await self._store.conversations.append(
                cid,
                Action.CUSTOMER_MESSAGE,
                [spec],
                to_ms(now),
                dedupe=(client_id, CLIENT_ID_TTL),
                customer=True,
                owner=vid,  # a visitor writes only to their own conversation
            )
        except IllegalTransition as e:
            if e.current != ConversationState.CLOSED.value:
                raise
            target, reopened = await self.continue_after(await self.conversation(vid, cid))
            said = await self.say(vid, target, text, client_id=client_id, attachments=attachments)
            return replace(said, new_conversation=not reopened, reopened=reopened)
        if result.duplicate:
            return Said(cid, result.ids[0], duplicate=True)
        if result.state == ConversationState.AUTOMATIC.value and result.step == FlowStep.BOT.value:
            c = await self.conversation(vid, cid)
            await self._flow.run(c, Action.BOT_STEP, CustomerText(body), customer(vid))
        return Said(cid, result.ids[0])

    # -- the end ------------------------------------------------------------------------------

    async def close(self, vid: VisitorId, cid: ConversationId) -> None:
        c = await self.conversation(vid, cid)
        if c.state is ConversationState.CLOSED:
            return
        now = self._clock.now()
        spec = event(EventKind.CLOSED, now, customer(vid), CLOSE_THREAD, data={"by": "customer"})
        await self._store.conversations.close(
            c,
            by="customer",
            reason="",
            events=[spec],
            now_ms=to_ms(now),
            retention_seconds=self._store.settings.retention_days * 24 * 3600,
        )

    async def rate(
        self, vid: VisitorId, cid: ConversationId, rating: int, comment: str = ""
    ) -> None:
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInput("rating", "rating must be a whole number from 1 to 5")
        text = clean_message(comment, limit=1000, field="comment")
        now = self._clock.now()
        spec = event(
            EventKind.RATED, now, customer(vid), TO_THREAD, text=text, data={"rating": str(rating)}
        )
        fields = {"rating": str(rating), "rating_comment": text}
        c = await self.conversation(vid, cid)
        tally = self._deps.stats.tally(c.department_id, "rated", f"stars:{rating}")
        try:
            await self._store.conversations.append(
                cid, Action.RATE, [spec], to_ms(now), fields=fields, require_empty="rating",
                tally=tally,
            )  # fmt: skip
        except StepMismatch as e:
            raise InvalidInput("rating", "this conversation was already rated") from e
