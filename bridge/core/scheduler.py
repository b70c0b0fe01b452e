"""Names and due times of the service-rule timers (the firing is in core/timers.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.domain.ids import ConversationId, DepartmentId
from bridge.domain.model import Conversation
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import to_ms

DISTRIBUTION_EVERY = timedelta(seconds=30)  # the safety net of automatic distribution


def name(kind: str, arg: str) -> str:
    return f"{kind}|{arg}"


class Scheduler:
    def __init__(self, store: Store, directory: Directory, clock: Clock) -> None:
        self._store, self._directory, self._clock = store, directory, clock

    async def at(self, kind: str, arg: str, when: datetime) -> None:
        await self._store.timers.schedule(name(kind, arg), to_ms(when))

    async def automatic_stage(self, c: Conversation) -> None:
        """The longest a conversation may stay in the automatic stage."""
        minutes = self._directory.rules(None).max_automatic_minutes
        if minutes:
            await self.at("auto", c.id, c.created_at + timedelta(minutes=minutes))

    async def inactivity(
        self, cid: ConversationId, department: DepartmentId | None, since: datetime | None = None
    ) -> None:
        """Watch a conversation in service for a silent customer."""
        minutes = self._directory.rules(department).inactivity_warn_minutes
        if minutes:
            start = since or self._clock.now()
            await self.at("idle", cid, start + timedelta(minutes=minutes))

    async def prime(self) -> None:
        """At start-up: the per-department timers, where missing (a restart keeps existing)."""
        now = self._clock.now()
        for dept in self._directory.department_ids:
            rules = self._directory.rules(dept)
            if rules.waiting_alert_minutes:
                due = now + timedelta(minutes=rules.waiting_alert_minutes)
                await self._store.timers.schedule_missing(name("alert", dept), to_ms(due))
            if rules.distribution.value == "automatic":
                due = now + DISTRIBUTION_EVERY
                await self._store.timers.schedule_missing(name("dist", dept), to_ms(due))
