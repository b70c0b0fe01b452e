"""Agents: who is online, how busy, and the internal chat between them."""

from __future__ import annotations

from bridge.core.distribution import Distributor
from bridge.core.timeline import event
from bridge.domain.errors import InvalidInput
from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.ids import AgentId
from bridge.domain.model import ActorRef, AgentActor, ChannelKind, Presence
from bridge.domain.text import clean_message
from bridge.domain.views import AgentStatus
from bridge.ports import Clock
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.codec import to_ms


class Agents:
    def __init__(
        self, store: Store, directory: Directory, clock: Clock, distributor: Distributor
    ) -> None:
        self._store, self._directory, self._clock = store, directory, clock
        self._distributor = distributor

    def by_identity(self, kind: ChannelKind, external_id: str) -> AgentActor | None:
        """The agent a Slack user id or Telegram user id belongs to, or None."""
        return self._directory.agent_by_identity(kind, external_id)

    def get(self, agent_id: str) -> AgentActor:
        return self._directory.require_agent(agent_id)

    async def set_presence(self, agent: AgentActor, presence: Presence) -> None:
        """Online, away or offline. Offline agents keep their chats but get no new ones; coming
        online, they may get the waiting ones of automatic departments at once."""
        await self._store.agents.set_presence(agent.id, presence, to_ms(self._clock.now()))
        if presence is Presence.ONLINE:
            await self._distributor.dispatch_for(agent)

    async def presence(self, agent: AgentActor) -> Presence:
        return (await self._store.agents.presences([agent.id]))[agent.id]

    async def statuses(self) -> list[AgentStatus]:
        """Every configured agent with presence and active chats (the Agentes list)."""
        agents = self._directory.agents
        ids = [a.id for a in agents]
        presences = await self._store.agents.presences(ids)
        active = await self._store.indexes.active_counts(ids)
        return [AgentStatus(a, presences[a.id], active[a.id]) for a in agents]

    async def send_internal(self, sender: AgentActor, recipient: AgentId, text: str) -> str:
        """Internal chat, delivered to the recipient in every channel they have an identity in."""
        target = self._directory.require_agent(recipient)
        if target.id == sender.id:
            raise InvalidInput("recipient", "choose another agent to talk to")
        body = clean_message(text, limit=self._directory.settings.limits.message_chars)
        if not body:
            raise InvalidInput("text", "the message is empty")
        kinds = [
            k for k in self._store.kinds if self._directory.identity(target.id, ChannelKind(k))
        ]
        spec = event(
            EventKind.MESSAGE,
            self._clock.now(),
            ActorRef.agent(sender),
            text=body,
            data={"to": target.id, "to_name": target.name},
        )
        return await self._store.agents.send_internal(sender.id, target.id, spec.json, kinds)

    async def internal_history(
        self, a: AgentActor, b: AgentId, limit: int = 20
    ) -> list[TimelineItem]:
        return await self._store.agents.internal_history(a.id, b, limit)

    def is_online_presence(self, presence: Presence) -> bool:
        return presence is Presence.ONLINE
