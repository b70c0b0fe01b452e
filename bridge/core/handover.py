"""Transfer and close: where a conversation goes when its holder lets it go."""

from __future__ import annotations

import logging

from bridge.core.base import ConversationOps
from bridge.core.timeline import CLOSE_THREAD, event, moved
from bridge.domain.access import can_access, require_access
from bridge.domain.errors import Forbidden, InvalidInput
from bridge.domain.events import EventKind
from bridge.domain.ids import AgentId, ConversationId, DepartmentId
from bridge.domain.model import SYSTEM, ActorRef, AgentActor, Conversation, ConversationState
from bridge.domain.text import clean_message
from bridge.store.assignment import SameTarget
from bridge.store.codec import to_ms


class Handover(ConversationOps):
    async def transfer(
        self,
        cid: ConversationId,
        by: AgentActor,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
        note: str = "",
    ) -> Conversation:
        """To a department (back in its queue) or to a named agent (straight into service)."""
        target_agent = self._directory.require_agent(agent) if agent else None
        note_text = clean_message(note, limit=1000, field="note")

        async def step(c: Conversation) -> None:
            require_access(by, c, "transfer")
            dept = self._target_department(c, department, target_agent)
            now = self._clock.now()
            data = {
                "from_department": c.department_id or "",
                "department": dept,
                "agent": target_agent.id if target_agent else "",
                "agent_name": target_agent.name if target_agent else "",
                "note": note_text,
            }
            spec = event(
                EventKind.TRANSFERRED,
                now,
                ActorRef.agent(by),
                moved(c.department_id, dept),
                text=note_text,
                data=data,
            )
            await self._store.assignment.transfer(
                c,
                department=dept,
                agent=target_agent,
                allowed=True,
                events=[spec],
                now_ms=to_ms(now),
            )

        try:
            await self._retrying(cid, step)
        except SameTarget:
            raise InvalidInput("target", "the conversation is already there") from None
        after = await self.get(cid)
        log.info(
            "conversation.transferred",
            extra={"cid": cid, "department": after.department_id, "agent": after.assignee or ""},
        )
        await self._after_move(after)
        return after

    async def _after_move(self, c: Conversation) -> None:
        if c.state is ConversationState.IN_SERVICE:
            await self._deps.scheduler.inactivity(c.id, c.department_id)
        elif c.department_id is not None:
            await self._deps.distributor.dispatch(c.department_id)

    def _target_department(
        self, c: Conversation, department: DepartmentId | None, agent: AgentActor | None
    ) -> DepartmentId:
        if department is not None:
            self._directory.require_department(department)
        dept = department or c.department_id
        if agent is not None and (dept is None or not can_access(agent, dept)):
            options = sorted(agent.departments)
            if department is not None or not options:
                raise Forbidden(agent.id, "take this conversation", f"no access to {dept}")
            dept = options[0]
        if dept is None:
            raise InvalidInput("department", "choose a department to transfer to")
        return DepartmentId(dept)

    async def close(
        self, cid: ConversationId, by: AgentActor | None, reason: str = ""
    ) -> Conversation:
        """Close from an agent (with access) or the system (by=None). The reason must be one of
        the department's close reasons when it lists them (the system closes with its own)."""
        reason = clean_message(reason, limit=200, field="reason")

        async def step(c: Conversation) -> None:
            if by is not None:
                require_access(by, c, "close")
                self._check_reason(c, reason)
            actor = ActorRef.agent(by) if by else SYSTEM
            now = self._clock.now()
            spec = event(
                EventKind.CLOSED,
                now,
                actor,
                CLOSE_THREAD,
                data={"by": by.id if by else "system", "reason": reason},
            )
            tally = self._deps.stats.tally(c.department_id, "closed", *_reason_field(reason))
            await self._store.conversations.close(
                c,
                by=by.id if by else "system",
                reason=reason,
                events=[spec],
                now_ms=to_ms(now),
                retention_seconds=self._store.settings.retention_days * 24 * 3600,
                tally=tally,
            )
            self._deps.observer.closed(c.department_id or "", reason)

        await self._retrying(cid, step)
        closed = await self.get(cid)
        log.info(
            "conversation.closed", extra={"cid": cid, "by": closed.closed_by, "reason": reason}
        )
        await self._freed(closed)
        return closed

    def _check_reason(self, c: Conversation, reason: str) -> None:
        problem = self._directory.rules(c.department_id).check_reason(reason)
        if problem:
            raise InvalidInput("reason", problem)

    async def _freed(self, c: Conversation) -> None:
        """The holder has a free seat: automatic distribution may give them the next one."""
        holder = self._directory.agent(c.assignee) if c.assignee else None
        if holder is not None:
            await self._deps.distributor.dispatch_for(holder)


log = logging.getLogger("ponte.conversations")


def _reason_field(reason: str) -> tuple[str, ...]:
    return (f"reason:{reason.replace(',', ' ')}",) if reason else ()
