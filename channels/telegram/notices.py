"""What Ponte says outside any topic (AgentChannel.alert and notify_agent): a waiting alert in
the department's group (in General, where the whole team sees it) and privately to
supervisors, with a button to the queue; a reservation privately to the agent who served the
returning customer, with Claim and Peek; internal messages between agents.

A bot may write privately only to users who started it: to anyone else Telegram answers
403, which becomes DeliveryFailed (the worker logs it and sets the notice aside)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import InlineKeyboardMarkup

from bridge.core import Core
from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ChannelKind
from channels.common.describe import notice_text
from channels.common.texts import Texts
from channels.telegram.buttons import Op, button
from channels.telegram.html import NEWLINE, Html, bold, pieces, text
from channels.telegram.outbound import port_errors
from channels.telegram.sender import Place, Sender

log = logging.getLogger("ponte.telegram")

Once = Callable[[str, Callable[[], Awaitable[str]]], Awaitable[str]]


class Notices:
    def __init__(self, core: Core, sender: Sender, t: Texts, once: Once) -> None:
        self._core, self._sender, self._t, self._once = core, sender, t, once

    def _place(self, department: DepartmentId | None, agent: AgentId | None) -> Place | None:
        """The department's group (its General topic), or the agent's private chat."""
        if department is not None:
            found = self._core.directory.department(department)
            return Place(found.telegram_chat) if found and found.telegram_chat else None
        user = self._core.directory.identity(agent, ChannelKind.TELEGRAM) if agent else None
        return Place(int(user)) if user else None

    async def _send(self, place: Place, html: Html, markup: InlineKeyboardMarkup | None) -> str:
        return str((await self._sender.send(place, html, markup)).message_id)

    async def alert(
        self, key: str, item: TimelineItem, department: DepartmentId | None, agent: AgentId | None
    ) -> None:
        """One notice, posted once per key (a retry after a crash does not repeat it)."""
        place = self._place(department, agent)
        if place is None:  # the core routes alerts only where they can go: a config change
            log.warning("telegram.alert_nowhere", extra={"department": department, "agent": agent})
            return
        html = text(notice_text(item, self._t, self._core.settings))
        send = partial(self._send, place, html, self._keyboard(item))
        with port_errors():
            await self._once(f"{key}:alert", send)

    def _keyboard(self, item: TimelineItem) -> InlineKeyboardMarkup | None:
        t, d = self._t, item.data
        match d.get("notice"):
            case "waiting":
                return InlineKeyboardMarkup([[button(t("button.queue"), Op.QUEUE)]])
            case "reserved" if d.get("conversation"):
                cid = d["conversation"]
                row = [
                    button(t("button.claim"), Op.CLAIM, cid),
                    button(t("button.peek"), Op.PEEK, cid),
                ]
                return InlineKeyboardMarkup([row])
            case _:
                return None

    async def notify_agent(self, key: str, agent: AgentId, text_: str) -> None:
        """An internal message, privately; a long one in pieces, each sent once per key."""
        user = self._core.directory.identity(agent, ChannelKind.TELEGRAM)
        if user is None:
            log.warning("telegram.no_identity", extra={"agent": agent})
            return
        head = bold("💬 " + self._t("tg.internal_title")) + NEWLINE
        place = Place(int(user))
        with port_errors():
            for n, html in enumerate(pieces(head, text_)):
                await self._once(f"{key}:notify:{n}", partial(self._send, place, html, None))
