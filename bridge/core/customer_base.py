"""What the customer-side operations share: the flow runner, a visitor's own conversation, the
visitor's contact."""

from __future__ import annotations

from dataclasses import dataclass

from bridge.core.base import ConversationOps, Deps
from bridge.core.flow_runner import FlowRunner
from bridge.domain.errors import NotFound
from bridge.domain.flow import FlowResult
from bridge.domain.ids import ContactId, ConversationId, EventId, VisitorId, new_contact_id
from bridge.domain.model import BOT, ActorRef, Author, ChannelKind, Contact, Conversation
from bridge.domain.states import Action

CLIENT_ID_TTL = 24 * 3600
ONLINE_MS = 60_000


@dataclass(frozen=True, slots=True)
class Said:
    conversation_id: ConversationId
    event_id: EventId
    duplicate: bool = False
    new_conversation: bool = False  # the customer wrote after a close: this is a new one
    reopened: bool = False  # … or the closed one reopened


def customer(vid: VisitorId) -> ActorRef:
    return ActorRef(Author.CUSTOMER, vid, "")


class CustomerOps(ConversationOps):
    def __init__(self, deps: Deps, flow: FlowRunner) -> None:
        super().__init__(deps)
        self._flow = flow

    @property
    def flow(self) -> FlowRunner:
        return self._flow

    async def conversation(self, vid: VisitorId, cid: ConversationId) -> Conversation:
        """The visitor's own conversation; anyone else's is reported as not found."""
        found = await self._store.conversations.get(cid)
        if found is None or found.visitor_id != vid:
            raise NotFound("conversation", cid)
        return found

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
