"""What the widget calls: a visitor's conversation, from the greeting to the rating."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bridge.core.flow_runner import FlowOutcome, FlowRunner
from bridge.core.timeline import CLOSE_THREAD, OPEN_THREAD, TO_THREAD, event
from bridge.domain.access import can_access
from bridge.domain.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.flow import (
    ChooseDepartment,
    CustomerText,
    FlowResult,
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
    new_contact_id,
    new_conversation_id,
)
from bridge.domain.model import (
    BOT,
    ActorRef,
    AgentActor,
    Attachment,
    Author,
    ChannelKind,
    Contact,
    Conversation,
    ConversationState,
)
from bridge.domain.states import Action
from bridge.domain.text import clean_message
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import to_ms
from bridge.store.conversations import ConversationOpen, StepMismatch

CLIENT_ID_TTL = 24 * 3600
ONLINE_MS = 60_000


@dataclass(frozen=True, slots=True)
class Said:
    conversation_id: ConversationId
    event_id: EventId
    duplicate: bool = False
    new_conversation: bool = False  # the customer wrote after a close: this is a new one


def customer(vid: VisitorId) -> ActorRef:
    return ActorRef(Author.CUSTOMER, vid, "")


class Customers:
    def __init__(self, store: Store, directory: Directory, clock: Clock, flow: FlowRunner) -> None:
        self._store, self._directory, self._clock, self._flow = store, directory, clock, flow

    @property
    def flow(self) -> FlowRunner:
        return self._flow

    # -- reading ----------------------------------------------------------------------------

    async def conversation(self, vid: VisitorId, cid: ConversationId) -> Conversation:
        """The visitor's own conversation; anyone else's is reported as not found."""
        found = await self._store.conversations.get(cid)
        if found is None or found.visitor_id != vid:
            raise NotFound("conversation", cid)
        return found

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
        if first.step is not FlowStep.DEPARTMENT:
            await self._enter(conversation, first)
        return await self.conversation(vid, cid)

    async def _enter(self, conversation: Conversation, first: FlowResult) -> None:
        """Past the department choice at once (one department, or no choice): apply its step."""
        await self._flow.apply(
            conversation, Action.BOT_STEP, first, BOT, expect_step=conversation.flow_step
        )

    async def _contact_for(self, vid: VisitorId) -> ContactId:
        candidate = new_contact_id()
        contact = await self._store.visitors.link_contact(vid, candidate)
        if contact == candidate:
            now = self._clock.now()
            identities = {ChannelKind.WIDGET.value: vid}
            await self._store.contacts.create(
                Contact(candidate, identities=identities, created_at=now)
            )
        return contact

    async def start_by_agent(
        self, by: AgentActor, vid: VisitorId, text: str, department: DepartmentId | None = None
    ) -> Conversation:
        """Proactive chat: an agent opens a conversation with a lead, already in service."""
        body = clean_message(text, limit=self._directory.settings.limits.message_chars)
        if not body:
            raise InvalidInput("text", "write the first message to the visitor")
        dept = department or next(iter(self._directory.departments_of(by)), None)
        if dept is None or not can_access(by, dept):
            raise Forbidden(by.id, "start a chat", f"no access to {dept or 'any department'}")
        if await self._store.visitors.get(vid, 0) is None:
            raise NotFound("visitor", vid)
        contact = await self._contact_for(vid)
        now = self._clock.now()
        actor = ActorRef.agent(by)
        conversation = Conversation(
            id=new_conversation_id(),
            number=0,
            contact_id=contact,
            visitor_id=vid,
            state=ConversationState.AUTOMATIC,
            department_id=DepartmentId(dept),
            assignee=None,
            created_at=now,
            flow_step=FlowStep.DONE.value,
        )
        events = [
            event(EventKind.CREATED, now, actor, data={"proactive": "1"}),
            event(
                EventKind.CLAIMED,
                now,
                actor,
                OPEN_THREAD,
                data={"agent": by.id, "agent_name": by.name},
            ),
            event(EventKind.MESSAGE, now, actor, TO_THREAD, text=body),
        ]
        try:
            await self._store.conversations.create(conversation, events, to_ms(now), assignee=by)
        except ConversationOpen as e:
            raise InvalidInput(
                "visitor", f"the visitor is already in conversation {e.conversation_id}"
            ) from None
        return await self.conversation(vid, conversation.id)

    async def start_with_contact(self, by: AgentActor, kid: ContactId, text: str) -> Conversation:
        """From the contact list: a chat through the widget, when the contact is on the site."""
        contact = await self._store.contacts.get(kid)
        if contact is None:
            raise NotFound("contact", kid)
        vid = contact.identities.get(ChannelKind.WIDGET.value)
        since = to_ms(self._clock.now()) - ONLINE_MS
        visitor = await self._store.visitors.get(VisitorId(vid), since) if vid else None
        if visitor is None or not visitor.online:
            raise InvalidInput(
                "contact", f"{contact.display_name} is not on the site now; no channel reaches them"
            )
        return await self.start_by_agent(by, visitor.id, text)

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
        """A customer message. One script round trip; a second only when the bot answers.

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
        await self.conversation(vid, cid)  # ownership: a visitor writes only to their own
        try:
            result = await self._store.conversations.append(
                cid,
                Action.CUSTOMER_MESSAGE,
                [spec],
                to_ms(now),
                dedupe=(client_id, CLIENT_ID_TTL),
                customer=True,
            )
        except IllegalTransition as e:
            if e.current != ConversationState.CLOSED.value:
                raise
            return await self._write_after_close(vid, cid, body, client_id, tuple(attachments))
        if result.duplicate:
            return Said(cid, result.ids[0], duplicate=True)
        if result.state == ConversationState.AUTOMATIC.value and result.step == FlowStep.BOT.value:
            c = await self.conversation(vid, cid)
            await self._flow.run(c, Action.BOT_STEP, CustomerText(body), customer(vid))
        return Said(cid, result.ids[0])

    async def _write_after_close(
        self,
        vid: VisitorId,
        old: ConversationId,
        text: str,
        client_id: str,
        attachments: tuple[Attachment, ...],
    ) -> Said:
        previous = await self.conversation(vid, old)
        started = await self.start_after(previous)
        said = await self.say(vid, started.id, text, client_id=client_id, attachments=attachments)
        return replace(said, new_conversation=True)

    async def start_after(self, previous: Conversation) -> Conversation:
        """A new conversation for a returning customer, linked to the previous one. It skips the
        department choice and form already answered and goes to the same department's queue."""
        vid = previous.visitor_id
        if vid is None:
            raise NotFound("visitor of", previous.id)
        now = self._clock.now()
        conversation = Conversation(
            id=new_conversation_id(),
            number=0,
            contact_id=previous.contact_id,
            visitor_id=vid,
            state=ConversationState.AUTOMATIC,
            department_id=None,
            assignee=None,
            created_at=now,
            flow_step=FlowStep.DEPARTMENT.value,
            form=previous.form,
            previous_id=previous.id,
            page_url=previous.page_url,
        )
        events = [event(EventKind.CREATED, now, customer(vid), data={"previous": previous.id})]
        try:
            await self._store.conversations.create(conversation, events, to_ms(now))
        except ConversationOpen as e:
            return await self.conversation(vid, e.conversation_id)
        dept = previous.department_id
        if dept is None or self._directory.department(dept) is None:
            await self._enter(conversation, first_step(self._directory.flow))
        else:
            done = FlowResult(FlowStep.DONE, DepartmentId(dept))
            await self._flow.apply(
                conversation, Action.BOT_STEP, done, BOT, expect_step=conversation.flow_step
            )
        return await self.conversation(vid, conversation.id)

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
        await self.conversation(vid, cid)
        now = self._clock.now()
        spec = event(
            EventKind.RATED, now, customer(vid), TO_THREAD, text=text, data={"rating": str(rating)}
        )
        fields = {"rating": str(rating), "rating_comment": text}
        try:
            await self._store.conversations.append(
                cid, Action.RATE, [spec], to_ms(now), fields=fields, require_empty="rating"
            )
        except StepMismatch as e:
            raise InvalidInput("rating", "this conversation was already rated") from e
