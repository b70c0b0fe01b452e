"""Transfer by inline keyboards: the Transfer button (or /transfer) posts a menu of departments;
choosing one turns the menu into that department's queue and its agents; choosing a target
transfers and leaves the outcome in the menu's place.

Departments and agents travel in callback_data as their index in the configuration (ids can
be 40 characters and callback_data only 64 bytes); an index that no longer matches after a
configuration change answers "button gone"."""

from __future__ import annotations

from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bridge.domain.access import can_access
from bridge.domain.errors import NotFound
from bridge.domain.ids import ConversationId
from bridge.domain.model import Conversation
from bridge.settings import AgentSettings, DepartmentSettings
from channels.telegram.buttons import Op, button
from channels.telegram.context import Answer, Context
from channels.telegram.html import bold, italic
from channels.telegram.sender import Place

T = TypeVar("T")


class Transfers:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def _departments(self) -> list[DepartmentSettings]:
        return self._ctx.core.settings.departments

    @property
    def _agents(self) -> list[AgentSettings]:
        return self._ctx.core.settings.agents

    async def _conversation(self, cid: str) -> Conversation | None:
        try:
            return await self._ctx.core.conversations.get(ConversationId(cid))
        except NotFound:
            return None

    async def menu(self, user: User, place: Place, cid: str) -> Answer:
        """Post the department menu for conversation `cid`."""
        ctx, t = self._ctx, self._ctx.t
        if ctx.actions.agent(user.id) is None:
            return Answer(t("not_agent"), alert=True)
        c = await self._conversation(cid)
        if c is None:
            return Answer(t("tg.button_gone"), alert=True)
        rows = [
            [button(d.name, Op.TRANSFER_DEPARTMENT, c.id, str(n))]
            for n, d in enumerate(self._departments)
        ]
        html = bold(t("transfer.choose_department", number=c.number))
        await ctx.reply(place, html, InlineKeyboardMarkup(rows))
        return Answer()

    async def department(self, chat: int, message_id: int, cid: str, index: str) -> Answer:
        """The menu becomes: the department's queue, or one of its agents."""
        ctx, t = self._ctx, self._ctx.t
        dept = self._pick(self._departments, index)
        c = await self._conversation(cid)
        if dept is None or c is None:
            return Answer(t("tg.button_gone"), alert=True)
        rows: list[list[InlineKeyboardButton]] = [
            [button(t("button.queue"), Op.TRANSFER_QUEUE, c.id, index)]
        ]
        for n, agent in enumerate(self._agents):
            if agent.id != c.assignee and can_access(agent.actor(), dept.department_id):
                rows.append([button(agent.name, Op.TRANSFER_AGENT, c.id, index, str(n))])
        html = bold(t("transfer.choose_target", number=c.number, department=dept.name))
        await ctx.replace(chat, message_id, html, InlineKeyboardMarkup(rows))
        return Answer()

    async def transfer(
        self, user: User, chat: int, message_id: int, cid: str, index: str, agent_index: str = ""
    ) -> Answer:
        ctx, t = self._ctx, self._ctx.t
        dept = self._pick(self._departments, index)
        agent = self._pick(self._agents, agent_index) if agent_index else None
        if dept is None or (agent_index and agent is None):
            return Answer(t("tg.button_gone"), alert=True)
        outcome = await ctx.actions.transfer(
            user.id, cid, department=dept.id, agent=agent.id if agent else None
        )
        if outcome.ok:
            await ctx.replace(chat, message_id, italic(outcome.text))
        return Answer(outcome.text, alert=not outcome.ok)

    @staticmethod
    def _pick(items: list[T], index: str) -> T | None:
        return items[int(index)] if index.isdigit() and int(index) < len(items) else None
