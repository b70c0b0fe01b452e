"""A customer writing after a close: the same conversation reopens (within the reopen rule,
back with the same agent when they are online with room), or a new one starts, linked to the
contact's history and offered first to the agent who served them (carteirização)."""

from __future__ import annotations

import logging
from datetime import timedelta

from bridge.core.customer_base import CustomerOps, customer
from bridge.core.timeline import OPEN_THREAD, TO_THREAD, event
from bridge.domain.access import can_access
from bridge.domain.errors import NotFound
from bridge.domain.events import EventKind
from bridge.domain.flow import FlowResult, FlowStep, first_step
from bridge.domain.ids import ConversationId, DepartmentId, VisitorId, new_conversation_id
from bridge.domain.model import (
    BOT,
    SYSTEM,
    AgentActor,
    ChannelKind,
    Conversation,
    ConversationState,
    Presence,
)
from bridge.domain.states import Action
from bridge.store.codec import to_ms
from bridge.store.conversations import ConversationOpen

log = logging.getLogger("ponte.customers")


class Returning(CustomerOps):
    async def continue_after(self, previous: Conversation) -> tuple[ConversationId, bool]:
        """Where a customer writing to a closed conversation continues: (conversation, whether
        it is the same one reopened). Reopens within the department's rule, else starts a new
        one (another tab may have started it already)."""
        rules = self._directory.rules(previous.department_id)
        if previous.department_id and rules.reopens(previous.closed_at, self._clock.now()):
            try:
                await self._reopen(previous)
                return previous.id, True
            except ConversationOpen as e:
                return e.conversation_id, False
        started = await self.start_after(previous)
        return started.id, False

    async def _reopen(self, previous: Conversation) -> None:
        """Back with the last agent when online with room (checked in the script), else in the
        department's queue."""
        agent = await self._available(previous.assignee)
        now = self._clock.now()
        data = {"agent": agent.id if agent else "", "agent_name": agent.name if agent else ""}
        spec = event(
            EventKind.REOPENED,
            now,
            customer(previous.visitor_id or VisitorId("")),
            OPEN_THREAD,
            data=data,
        )
        state = await self._store.assignment.reopen(
            previous, agent=agent, events=[spec], now_ms=to_ms(now)
        )
        log.info("conversation.reopened", extra={"cid": previous.id, "state": state})
        if state == ConversationState.IN_SERVICE.value:
            await self._deps.scheduler.inactivity(previous.id, previous.department_id, now)
        elif previous.department_id:
            await self._deps.distributor.dispatch(previous.department_id)

    async def _available(self, agent_id: str | None) -> AgentActor | None:
        agent = self._directory.agent(agent_id) if agent_id else None
        if agent is None:
            return None
        presence = (await self._store.agents.presences([agent.id]))[agent.id]
        return agent if presence is Presence.ONLINE else None

    async def start_after(self, previous: Conversation) -> Conversation:
        """A new conversation for a returning customer, linked to the previous one. It skips the
        department choice and form already answered and goes to the same department's queue,
        reserved for a while for the agent who served them (when the rules say so)."""
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
            await self._queue_for_last_agent(conversation, DepartmentId(dept), previous)
        return await self.conversation(vid, conversation.id)

    async def _queue_for_last_agent(
        self, c: Conversation, dept: DepartmentId, previous: Conversation
    ) -> None:
        minutes = self._directory.rules(dept).last_agent_minutes
        last = self._directory.agent(previous.assignee) if previous.assignee else None
        fields: dict[str, str] = {}
        if minutes and last is not None and can_access(last, dept):
            until = self._clock.now() + timedelta(minutes=minutes)
            fields = {"reserved": last.id, "reserved_until": str(to_ms(until))}
        done = FlowResult(FlowStep.DONE, dept)
        await self._flow.apply(
            c, Action.BOT_STEP, done, BOT, expect_step=c.flow_step, fields=fields
        )
        if fields and last is not None:
            await self._tell_reserved(c, last, minutes)

    async def _tell_reserved(self, c: Conversation, agent: AgentActor, minutes: int) -> None:
        """The last agent is told the returning customer is theirs for a while; the thread
        shows the reservation too."""
        now = self._clock.now()
        fresh = await self._store.conversations.get(c.id)
        data = {
            "notice": "reserved",
            "number": str(fresh.number) if fresh else "",
            "department": fresh.department_id or "" if fresh else "",
            "conversation": c.id,
            "agent": agent.id,
            "agent_name": agent.name,
            "minutes": str(minutes),
        }
        line = event(EventKind.RESERVED, now, SYSTEM, TO_THREAD, data=data)
        await self._store.conversations.append(c.id, Action.SYSTEM_NOTICE, [line], to_ms(now))
        kinds = [k for k in self._store.kinds if self._directory.identity(agent.id, ChannelKind(k))]
        await self._store.notices.send(
            f"@{agent.id}",
            "alert",
            c.department_id or "",
            line.json,
            kinds,
            dedupe=(f"reserved:{c.id}", 3600),
        )
