"""Automatic distribution: a waiting conversation goes to the online agent with access and room
who has the fewest chats (ties: the longest idle); the last agent's reservation comes first.
Every assignment is one script (assign.lua), so several processes never double-assign."""

from __future__ import annotations

import logging

from bridge.core.scheduler import Scheduler
from bridge.core.stats import Stats
from bridge.core.timeline import TO_THREAD, event
from bridge.domain.access import can_access
from bridge.domain.errors import BridgeError
from bridge.domain.events import EventKind
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ActorRef, AgentActor, Conversation, Presence
from bridge.domain.rules import Distribution, least_busy
from bridge.ports import Clock, Observer
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.assignment import Candidate
from bridge.store.codec import to_ms
from bridge.store.scripts import Stale

log = logging.getLogger("ponte.distribution")

WINDOW = 20  # waiting conversations examined per pass (a reserved one may not be assignable)


class Distributor:
    def __init__(
        self,
        store: Store,
        directory: Directory,
        clock: Clock,
        stats: Stats,
        observer: Observer,
        scheduler: Scheduler,
    ) -> None:
        self._store, self._directory, self._clock = store, directory, clock
        self._stats, self._observer, self._scheduler = stats, observer, scheduler

    def automatic(self, department: str | None) -> bool:
        rules = self._directory.rules(department)
        return department is not None and rules.distribution is Distribution.AUTOMATIC

    async def dispatch(self, department: DepartmentId) -> int:
        """Assign what can be assigned in the department now; returns how many."""
        if not self.automatic(department):
            return 0
        waiting = await self._store.indexes.queue(department, 0, WINDOW)
        conversations = await self._store.conversations.get_many(
            [s.conversation_id for s in waiting]
        )
        assigned = 0
        for c in conversations:
            candidates = await self._candidates(department, c)
            if not candidates:
                continue
            try:
                agent = await self._assign(c, candidates)
            except (Stale, BridgeError):
                continue  # claimed, moved or closed meanwhile: someone else's now
            if agent is None:
                break  # nobody has room
            assigned += 1
        return assigned

    async def dispatch_for(self, agent: AgentActor) -> int:
        """After an agent comes online or frees a seat: their departments' queues."""
        total = 0
        for dept in self._directory.departments_of(agent):
            total += await self.dispatch(dept)
        return total

    async def _assign(self, c: Conversation, candidates: list[AgentActor]) -> AgentId | None:
        now = self._clock.now()
        specs = [
            Candidate(
                a,
                event(
                    EventKind.CLAIMED,
                    now,
                    ActorRef.agent(a),
                    TO_THREAD,
                    data={"agent": a.id, "agent_name": a.name, "automatic": "1"},
                ),
            )
            for a in candidates
        ]
        agent = await self._store.assignment.assign(c, specs, to_ms(now), self._stats.claimed(c))
        if agent is not None:
            waited = (now - (c.queued_at or c.created_at)).total_seconds()
            self._observer.waited(c.department_id or "", waited)
            await self._scheduler.inactivity(c.id, c.department_id, now)
            log.info("distribution.assigned", extra={"cid": c.id, "agent": agent})
        return agent

    async def _candidates(self, department: DepartmentId, c: Conversation) -> list[AgentActor]:
        """Online agents with access and room, best first; only the reserved agent while the
        conversation is reserved for them."""
        agents = [a for a in self._directory.agents if can_access(a, department)]
        reserved = c.reserved_at(self._clock.now())
        if reserved is not None:
            agents = [a for a in agents if a.id == reserved]
        ids = [a.id for a in agents]
        snapshot = await self._store.agents.snapshot(ids)
        active = await self._store.indexes.active_counts(ids)
        rows = [
            (a.id, active[a.id], snapshot[a.id][1])
            for a in agents
            if snapshot[a.id][0] is Presence.ONLINE and active[a.id] < a.max_chats
        ]
        by_id = {a.id: a for a in agents}
        return [by_id[AgentId(agent_id)] for agent_id in least_busy(rows)]
