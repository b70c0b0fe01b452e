"""/status: an agent sets themselves online, away or offline (automatic distribution gives
new conversations only to agents online). `/status online` sets it; `/status` alone tells the
current one. In a private chat both answers carry a button per presence, and a press edits
the message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, User

from bridge.domain.model import Presence
from channels.telegram.buttons import Op, button
from channels.telegram.context import Answer, Context
from channels.telegram.html import italic
from channels.telegram.sender import Place


class Status:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def command(self, user: User, place: Place, args: str) -> None:
        """`/status [online|away|offline]`: set (or tell) the status, with its buttons."""
        ctx = self._ctx
        outcome = await ctx.actions.set_status(user.id, args.strip())
        # Buttons only in the agent's private chat: in a group anyone could press them, and
        # the message would then show the presser's status under the first agent's command.
        private = place.chat > 0
        keyboard = await self._keyboard(user) if outcome.ok and private else None
        await ctx.reply(place, italic(outcome.text), keyboard)

    async def press(self, user: User, chat: int, message_id: int, status: str) -> Answer:
        outcome = await self._ctx.actions.set_status(user.id, status)
        if outcome.ok:
            await self._ctx.replace(
                chat, message_id, italic(outcome.text), await self._keyboard(user)
            )
        return Answer(outcome.text, alert=not outcome.ok)

    async def _keyboard(self, user: User) -> InlineKeyboardMarkup | None:
        """One button per presence; the current one marked."""
        ctx = self._ctx
        agent = ctx.actions.agent(user.id)
        if agent is None:
            return None
        current = await ctx.core.agents.presence(agent)
        row = [
            button(("• " if p is current else "") + ctx.t(f"presence.{p.value}"), Op.STATUS, p)
            for p in Presence
        ]
        return InlineKeyboardMarkup([row])
