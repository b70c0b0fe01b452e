"""The list commands (/queue, /chats, /auto, /contacts, /agents, /history, /leads) as one
message with an inline keyboard: each row's actions, and "More" for the next page, which edits
the message in place. The command and cursor of a next page are kept in Redis under a short
token, because callback_data holds only 64 bytes. /stats is answered here too, as text."""

from __future__ import annotations

import json
import secrets

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bridge.domain.errors import BridgeError
from bridge.domain.model import AgentActor
from channels.common.actions import explain
from channels.common.commands import parse
from channels.common.lists import ListView
from channels.common.reports import stats_view
from channels.common.texts import Texts
from channels.telegram.buttons import FOR_ACT, Op, button
from channels.telegram.context import LIST_TTL, Answer, Context
from channels.telegram.html import NEWLINE, Html, bold, clip, italic, join, pack, text
from channels.telegram.sender import Place

ROW_DETAILS = 160


def list_html(view: ListView) -> Html:
    """Title, then each row: its title in bold and its details on the next line."""
    parts = [bold(view.title)]
    if not view.rows:
        parts.append(italic(view.empty))
    for row in view.rows:
        details = " · ".join(clip(d, ROW_DETAILS) for d in row.details)
        parts.append(bold(clip(row.title, 200)) + (text("\n    " + details) if details else Html()))
    return join(parts, text("\n\n"))


def list_keyboard(view: ListView, t: Texts, token: str | None) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for row in view.rows:
        label = clip(row.title, 28)
        buttons = [
            button(f"{b.label} · {label}", FOR_ACT[b.action], b.value)
            for b in row.buttons
            if b.action in FOR_ACT
        ]
        if buttons:
            rows.append(buttons)
    if token is not None:
        rows.append([button(t("button.more") + " ▸", Op.PAGE, token)])
    return InlineKeyboardMarkup(rows) if rows else None


def report_html(view: ListView) -> list[Html]:
    """The statistics: per department, a line per period, nothing cut."""
    rows = [bold(row.title) + NEWLINE + join(text(d) for d in row.details) for row in view.rows]
    return pack([bold(view.title), *(rows or [italic(view.empty)])])


class Pager:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def start(self, user: User, place: Place, command: str) -> None:
        """Run a list command typed by `user` and answer it in the same chat (and topic)."""
        ctx = self._ctx
        agent = ctx.actions.agent(user.id)
        if agent is None:
            await ctx.reply(place, italic(ctx.t("not_agent")))
            return
        rendered = await self._page(agent, command, None)
        if isinstance(rendered, str):
            await ctx.reply(place, italic(rendered))
            return
        await ctx.reply(place, *rendered)

    async def report(self, user: User, place: Place) -> None:
        """/stats: the agent's departments, today and the last 7 days."""
        ctx = self._ctx
        agent = ctx.actions.agent(user.id)
        if agent is None:
            await ctx.reply(place, italic(ctx.t("not_agent")))
            return
        for html in report_html(await stats_view(ctx.core, agent, ctx.t)):
            await ctx.reply(place, html)

    async def next(self, user: User, chat: int, message_id: int, token: str) -> Answer:
        """The "More" button: the next page replaces the message."""
        ctx = self._ctx
        stored = await ctx.core.links.get_value(f"tg:list:{token}")
        agent = ctx.actions.agent(user.id)
        if agent is None:
            return Answer(ctx.t("not_agent"), alert=True)
        if stored is None:
            return Answer(ctx.t("tg.button_gone"), alert=True)
        state = json.loads(stored)
        rendered = await self._page(agent, str(state["cmd"]), str(state["cursor"]))
        if isinstance(rendered, str):
            return Answer(rendered, alert=True)
        await ctx.replace(chat, message_id, *rendered)
        return Answer()

    async def _page(
        self, agent: AgentActor, command: str, cursor: str | None
    ) -> tuple[Html, InlineKeyboardMarkup | None] | str:
        """The page as HTML and keyboard, or the text saying why the command was refused."""
        ctx = self._ctx
        try:
            view = await ctx.lists.run(agent, parse(command), cursor)
        except BridgeError as e:
            return explain(e, ctx.t)
        token = None
        if view.cursor is not None:
            token = secrets.token_urlsafe(9)
            state = json.dumps({"cmd": command, "cursor": view.cursor})
            await ctx.core.links.set_value(f"tg:list:{token}", state, LIST_TTL)
        return list_html(view), list_keyboard(view, ctx.t, token)
