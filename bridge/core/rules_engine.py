"""What each timer does: the automatic stage's time limit, customer inactivity (warn, then
close), the waiting alert, and the automatic distribution's safety net."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bridge.core.base import Deps
from bridge.core.flow_runner import FlowRunner
from bridge.core.handover import Handover
from bridge.core.scheduler import DISTRIBUTION_EVERY
from bridge.core.timeline import TO_THREAD, event
from bridge.domain.errors import BridgeError
from bridge.domain.events import EventKind
from bridge.domain.flow import FlowResult, FlowStep
from bridge.domain.ids import ConversationId, DepartmentId
from bridge.domain.model import BOT, SYSTEM, ChannelKind, ConversationState, Role
from bridge.domain.states import Action
from bridge.store.codec import to_ms

log = logging.getLogger("ponte.rules")

INACTIVITY = "inactivity"  # the close reason of an inactive chat


class RulesEngine:
    def __init__(self, deps: Deps, flow: FlowRunner, handover: Handover) -> None:
        self._deps, self._flow, self._handover = deps, flow, handover
        self._store, self._directory, self._clock = deps.store, deps.directory, deps.clock

    def handlers(self) -> dict[str, Callable[[str], Awaitable[None]]]:
        return {
            "auto": self.automatic_timeout,
            "idle": self.idle,
            "inactive": self.inactive,
            "alert": self.waiting_alert,
            "dist": self.distribute,
        }

    async def automatic_timeout(self, arg: str) -> None:
        """Too long in the automatic stage: into the queue (chosen or default department)."""
        c = await self._store.conversations.get(ConversationId(arg))
        if c is None or c.state is not ConversationState.AUTOMATIC:
            return
        dept = c.department_id or self._directory.flow.default_department
        done = FlowResult(FlowStep.DONE, DepartmentId(dept))
        try:
            await self._flow.apply(c, Action.BOT_STEP, done, BOT, expect_step=c.flow_step)
        except BridgeError:
            return  # moved on meanwhile (another tab, another process)
        log.info("rules.automatic_timeout", extra={"cid": c.id})

    async def idle(self, arg: str) -> None:
        """The customer has been silent: warn them, then close unless they answer."""
        c = await self._store.conversations.get(ConversationId(arg))
        if c is None or c.state is not ConversationState.IN_SERVICE:
            return
        rules = self._directory.rules(c.department_id)
        if not rules.inactivity_warn_minutes:
            return
        last = max(filter(None, (c.last_customer_at, c.claimed_at, c.created_at)))
        due = last + timedelta(minutes=rules.inactivity_warn_minutes)
        now = self._clock.now()
        if now < due:
            await self._deps.scheduler.at("idle", c.id, due)
            return
        notice = event(
            EventKind.MESSAGE, now, SYSTEM, TO_THREAD, data={"notice": "inactivity_warning"}
        )
        await self._store.conversations.append(
            c.id, Action.SYSTEM_NOTICE, [notice], to_ms(now), fields={"warned": str(to_ms(now))}
        )
        await self._deps.scheduler.at(
            "inactive", c.id, now + timedelta(minutes=rules.inactivity_close_minutes)
        )

    async def inactive(self, arg: str) -> None:
        c = await self._store.conversations.get(ConversationId(arg))
        if c is None or c.state is not ConversationState.IN_SERVICE or c.warned_at is None:
            return
        if c.last_customer_at and c.last_customer_at > c.warned_at:
            await self._deps.scheduler.inactivity(c.id, c.department_id, c.last_customer_at)
            return  # the customer answered the warning
        try:
            await self._handover.close(c.id, None, INACTIVITY)
        except BridgeError:
            return
        log.info("rules.closed_inactive", extra={"cid": c.id})

    async def waiting_alert(self, arg: str) -> None:
        """The oldest waiting chat waited too long: tell the department (at most every N min)."""
        dept = DepartmentId(arg)
        minutes = self._directory.rules(dept).waiting_alert_minutes
        if not minutes or self._directory.department(dept) is None:
            return
        counts = await self._store.indexes.queue_counts([dept])
        waiting, oldest = counts[dept]
        now = self._clock.now()
        limit = timedelta(minutes=minutes)
        if oldest is None or now - _at(oldest) < limit:
            next_check = _at(oldest) + limit if oldest is not None else now + limit
            await self._deps.scheduler.at("alert", dept, next_check)
            return
        await self._alert(dept, waiting, int((now - _at(oldest)).total_seconds()))
        await self._deps.scheduler.at("alert", dept, now + limit)

    async def _alert(self, dept: DepartmentId, waiting: int, waited: int) -> None:
        now = self._clock.now()
        data = {
            "notice": "waiting",
            "department": dept,
            "waiting": str(waiting),
            "waited_seconds": str(waited),
        }
        body = event(EventKind.MESSAGE, now, SYSTEM, data=data).json
        kinds = self._directory.routes().get(dept, [])
        window = f"{dept}:{to_ms(now) // 60_000}"  # once per minute at most, whatever fires it
        await self._store.notices.send(f"#{dept}", "alert", dept, body, kinds, dedupe=(window, 120))
        for agent in self._directory.agents:
            if agent.role is Role.AGENT:
                continue
            targets = [
                k for k in self._store.kinds if self._directory.identity(agent.id, ChannelKind(k))
            ]
            await self._store.notices.send(
                f"@{agent.id}", "alert", dept, body, targets, dedupe=(f"{window}:{agent.id}", 120)
            )

    async def distribute(self, arg: str) -> None:
        dept = DepartmentId(arg)
        await self._deps.distributor.dispatch(dept)
        if self._deps.distributor.automatic(dept):
            await self._deps.scheduler.at("dist", dept, self._clock.now() + DISTRIBUTION_EVERY)


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
