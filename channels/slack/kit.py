"""What the Slack listeners and job handlers share while the adapter is connected."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from bridge.core import Core
from bridge.domain.model import ChannelKind
from channels.common.actions import Actions
from channels.common.texts import Texts
from channels.slack.answer import Responder
from channels.slack.home import Home
from channels.slack.web import FAILURES, SlackWeb

log = logging.getLogger("ponte.slack")

QUEUE = "slack"  # the durable job queue (core.jobs) of Slack work acked but not done yet
USER_NAME_TTL = 24 * 3600


@dataclass(frozen=True, slots=True)
class Kit:
    core: Core
    t: Texts
    actions: Actions
    web: SlackWeb
    responder: Responder
    home: Home
    session: aiohttp.ClientSession

    async def put(self, job: dict[str, Any], dedupe: str | None) -> None:
        """Store a job for the runner; a repeat of `dedupe` (a retried event) is dropped."""
        if not await self.core.jobs.put(QUEUE, job, dedupe=dedupe or None):
            log.info("slack.duplicate", extra={"dedupe": dedupe})

    def agent_name(self, user: str) -> str | None:
        agent = self.core.agents.by_identity(ChannelKind.SLACK, user)
        return agent.name if agent else None

    async def user_name(self, user: str) -> str:
        """How a Slack user is named on the timeline: the agent's name, else their Slack
        display name (users.info, remembered for a day), else the id."""
        known = self.agent_name(user)
        if known:
            return known
        key = f"slack:user:{user}"
        cached = await self.core.links.get_value(key)
        if cached:
            return cached
        try:
            found = await self.web.call(lambda: self.web.client.users_info(user=user))
        except FAILURES as e:  # a name is cosmetic: fall back to the id, never fail the work
            log.info("slack.user_unknown", extra={"user": user, "error": repr(e)})
            return user
        info = found.get("user") or {}
        profile = info.get("profile") or {}
        name = str(profile.get("display_name") or info.get("real_name") or info.get("name") or "")
        await self.core.links.set_value(key, name or user, USER_NAME_TTL)
        return name or user
