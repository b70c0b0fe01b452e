"""Short ways to bring conversations into a given state through the real core operations."""

from __future__ import annotations

import uuid

from bridge.core import Core
from bridge.domain.ids import ConversationId, VisitorId, new_visitor_id
from bridge.domain.model import AgentActor, Conversation
from tests.fakes import FakeClock


class Scenario:
    def __init__(self, core: Core, clock: FakeClock) -> None:
        self.core, self.clock = core, clock

    def agent(self, agent_id: str) -> AgentActor:
        return self.core.directory.require_agent(agent_id)

    async def visitor(self, url: str = "https://shop.test/", title: str = "Shop") -> VisitorId:
        vid = new_visitor_id()
        await self.core.leads.visit(vid, url=url, title=title, referrer="https://google.com/")
        return vid

    async def automatic(self, vid: VisitorId | None = None) -> Conversation:
        vid = vid or await self.visitor()
        return await self.core.customers.start(vid, page_url="https://shop.test/")

    async def queued(
        self,
        dept: str = "vendas",
        name: str = "Maria",
        email: str = "maria@x.com",
        vid: VisitorId | None = None,
    ) -> Conversation:
        c = await self.automatic(vid)
        assert c.visitor_id is not None
        await self.core.customers.choose_department(c.visitor_id, c.id, dept)
        outcome = await self.core.customers.submit_form(
            c.visitor_id, c.id, {"name": name, "email": email}
        )
        assert not outcome.errors, outcome.errors
        return await self.core.conversations.get(c.id)

    async def in_service(
        self, agent: str = "ana", dept: str = "vendas", name: str = "Maria"
    ) -> Conversation:
        c = await self.queued(dept, name)
        return await self.core.conversations.claim(c.id, self.agent(agent))

    async def closed(self, agent: str = "ana", dept: str = "vendas") -> Conversation:
        c = await self.in_service(agent, dept)
        return await self.core.conversations.close(c.id, self.agent(agent), "solved")

    async def say(self, c: Conversation, text: str) -> ConversationId:
        assert c.visitor_id is not None
        said = await self.core.customers.say(c.visitor_id, c.id, text, client_id=uuid.uuid4().hex)
        return said.conversation_id
