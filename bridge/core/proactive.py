"""Agents starting conversations: with a lead on the site, or with a contact who is there."""

from __future__ import annotations

from bridge.core.customer_base import ONLINE_MS
from bridge.core.identity import Identity
from bridge.core.returning import Returning
from bridge.core.timeline import OPEN_THREAD, TO_THREAD, event
from bridge.domain.access import can_access
from bridge.domain.errors import Forbidden, InvalidInput, NotFound
from bridge.domain.events import EventKind
from bridge.domain.flow import FlowStep
from bridge.domain.ids import ContactId, DepartmentId, VisitorId, new_conversation_id
from bridge.domain.model import ActorRef, AgentActor, ChannelKind, Conversation, ConversationState
from bridge.domain.text import clean_message
from bridge.store.codec import to_ms
from bridge.store.conversations import ConversationOpen


class Proactive(Returning, Identity):
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
        await self._deps.scheduler.inactivity(conversation.id, DepartmentId(dept), now)
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
