"""The simulated agent of bench/widget_bench.py, in a process of its own:

    python -m bench.widget_agent REDIS_URL CONFIG

It hears the doorbell through its own Core on the daemon's Redis (Core.on_event), reads each
new `message` item (one XRANGE: a real agent channel gets the item from its outbox delivery
instead), and when a customer wrote it, answers `re <text>` with
`core.conversations.reply` as the agent holding the conversation. Prints `{"ready": true}` once
it hears the doorbell; `{"stats": 1}` on stdin answers its counters; end of input stops it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bench.services import commands, core_of, settings_of, store_on
from bridge.core import Core
from bridge.domain.errors import BridgeError
from bridge.domain.events import DoorbellEvent
from bridge.domain.ids import ConversationId
from bridge.domain.model import AgentActor
from bridge.store import Store

WORKERS = 32


class Agent:
    def __init__(self, core: Core, store: Store) -> None:
        self._core, self._store = core, store
        self._heard: asyncio.Queue[DoorbellEvent] = asyncio.Queue(maxsize=100_000)
        self._holders: dict[ConversationId, AgentActor] = {}
        self.counts = {"heard": 0, "replies": 0, "dropped": 0, "errors": 0}

    def on_event(self, event: DoorbellEvent) -> None:
        """Doorbell listener: must not block, so it only queues."""
        if event.kind != "message":
            return
        self.counts["heard"] += 1
        try:
            self._heard.put_nowait(event)
        except asyncio.QueueFull:
            self.counts["dropped"] += 1

    async def work(self) -> None:
        while True:
            event = await self._heard.get()
            try:
                await self._answer(event)
            except BridgeError:
                self.counts["errors"] += 1

    async def _answer(self, event: DoorbellEvent) -> None:
        cid = event.conversation_id
        item = await self._store.conversations.event(cid, event.event_id)
        if item is None or not item.is_customer_message:
            return
        await self._core.conversations.reply(cid, await self._holder(cid), f"re {item.text}")
        self.counts["replies"] += 1

    async def _holder(self, cid: ConversationId) -> AgentActor:
        if cid not in self._holders:
            c = await self._core.conversations.get(cid)
            self._holders[cid] = self._core.directory.require_agent(c.assignee or "")
        return self._holders[cid]


async def main(redis_url: str, config: Path) -> None:
    settings = settings_of(config)
    async with store_on(redis_url, settings) as store:
        core = core_of(store, settings)
        agent = Agent(core, store)
        core.on_event(agent.on_event)
        workers = [asyncio.create_task(agent.work()) for _ in range(WORKERS)]
        try:
            async with core.events.lifespan():
                print(json.dumps({"ready": True}), flush=True)
                stdin = await commands()
                while await stdin.readline():
                    print(json.dumps(agent.counts), flush=True)
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
