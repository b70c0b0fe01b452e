"""The App Home tab of each agent: their status (online, away, offline) with a button for each,
queue counters of their departments, their conversations in service, shortcuts to the lists.
Published when they open it, again when their status changes, and when a queue of theirs
changes, coalesced so a burst of changes costs one views.publish per agent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from bridge.core import Core
from bridge.core.queries import ChatFilter
from bridge.domain.access import can_access
from bridge.domain.ids import DepartmentId
from bridge.domain.model import AgentActor, ChannelKind, Presence
from bridge.lifecycle import stop_task
from channels.common.describe import minutes
from channels.common.lists import Act
from channels.common.texts import Texts
from channels.slack.listing import shortcuts
from channels.slack.mrkdwn import escape
from channels.slack.render import Block, actions, button, context, header, section
from channels.slack.web import SlackWeb

log = logging.getLogger("ponte.slack")

SEEN_TTL = 30 * 24 * 3600
CHATS_SHOWN = 20
MARKS = {Presence.ONLINE: "🟢", Presence.AWAY: "🌙", Presence.OFFLINE: "⚪"}


def seen_key(user: str) -> str:
    return f"slack:home:{user}"


def status_action(presence: Presence) -> str:
    """The action id of the Home button that sets `presence` (unique within its block)."""
    return f"status:{presence.value}"


STATUS_ACTIONS = tuple(status_action(p) for p in Presence)


class Home:
    def __init__(self, core: Core, t: Texts, interval: float) -> None:
        self._core, self._t, self._interval = core, t, interval
        self._dirty: set[DepartmentId] = set()
        self._wake = asyncio.Event()

    def touch(self, departments: Iterable[str | None]) -> None:
        """A queue of these departments changed: refresh the Homes that show it. Never blocks."""
        self._dirty.update(DepartmentId(d) for d in departments if d)
        if self._dirty:
            self._wake.set()

    async def publish(self, web: SlackWeb, user: str) -> None:
        view = await self.view(self._core.agents.by_identity(ChannelKind.SLACK, user))
        await web.call(lambda: web.client.views_publish(user_id=user, view=view))
        await self._core.links.set_value(seen_key(user), "1", SEEN_TTL)

    async def refresh(self, web: SlackWeb, user: str) -> None:
        """Publish `user`'s Home again if they have opened it (their status changed)."""
        if await self._core.links.get_value(seen_key(user)):
            await self.publish(web, user)

    async def view(self, agent: AgentActor | None) -> Block:
        t = self._t
        if agent is None:
            return {"type": "home", "blocks": [section(escape(t("not_agent")))]}
        blocks = [
            header(t("home.title", name=agent.name)),
            *self._status(await self._core.agents.presence(agent)),
            section(await self._counters(agent)),
            shortcuts(t),
            header(t("home.mine")),
            *await self._chats(agent),
        ]
        return {"type": "home", "blocks": blocks}

    def _status(self, current: Presence) -> list[Block]:
        """The agent's presence and a button per presence (the current one highlighted)."""
        t = self._t
        status = t("home.status", status=t(f"presence.{current.value}"))
        shown = f"{MARKS[current]} *{escape(status)}*"
        buttons = [
            button(
                status_action(p),
                f"{MARKS[p]} {t(f'presence.{p.value}')}",
                p.value,
                "primary" if p is current else None,
            )
            for p in Presence
        ]
        return [section(shown), actions(buttons, block_id="status")]

    async def _counters(self, agent: AgentActor) -> str:
        t, settings = self._t, self._core.settings
        lines = []
        for counter in await self._core.queries.counters(agent):
            text = t("home.waiting", count=counter.waiting)
            if counter.oldest_since is not None and counter.waiting:
                waited = int((self._core.clock.now() - counter.oldest_since).total_seconds())
                text += " · " + t("home.oldest", time=minutes(waited))
            name = settings.department_name(counter.department_id)
            lines.append(f"*{escape(name)}*: {escape(text)}")
        return "\n".join(lines) or escape(t("list.empty"))

    async def _chats(self, agent: AgentActor) -> list[Block]:
        t, settings = self._t, self._core.settings
        page = await self._core.queries.in_service(
            agent, ChatFilter(agent=agent.id), None, CHATS_SHOWN
        )
        if not page.items:
            return [context(escape(t("list.empty")))]
        blocks = []
        for s in page.items:
            c = s.conversation
            title = f"#{c.number} {s.contact.display_name} — "
            title += settings.department_name(c.department_id)
            blocks.append(section(escape(title)))
            blocks.append(
                actions(
                    [
                        button(Act.PEEK, t("button.peek"), c.id),
                        button(Act.DETAILS, t("button.details"), c.id),
                    ]
                )
            )
        return blocks

    # -- refreshing ------------------------------------------------------------------------------

    @asynccontextmanager
    async def refreshing(self, web: SlackWeb) -> AsyncIterator[None]:
        task = asyncio.create_task(self._refresh(web), name="slack-home")
        try:
            yield
        finally:
            await stop_task(task)  # cancels until done: redis-py may swallow one cancel

    async def _refresh(self, web: SlackWeb) -> None:
        while True:
            await self._wake.wait()
            # Not a poll: a pause after a change so a burst of changes becomes one refresh.
            await asyncio.sleep(self._interval)
            self._wake.clear()
            departments, self._dirty = self._dirty, set()
            try:
                users = await self._watchers(departments)
            except Exception:  # the boundary of one refresh: logged; the next change retries
                log.exception("slack.home_refresh_failed")
                continue
            for user in users:
                try:
                    await self.publish(web, user)
                except Exception:  # the same boundary, per agent
                    log.exception("slack.home_refresh_failed", extra={"user": user})

    async def _watchers(self, departments: set[DepartmentId]) -> list[str]:
        """Slack users of agents who see one of `departments` and have opened their Home."""
        directory, users = self._core.directory, []
        for agent in directory.agents:
            user = directory.identity(agent.id, ChannelKind.SLACK)
            sees = user and any(can_access(agent, d) for d in departments)
            if sees and user and await self._core.links.get_value(seen_key(user)):
                users.append(user)
        return users
