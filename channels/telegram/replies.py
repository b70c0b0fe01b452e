"""Quick replies (atalhos) in a conversation's topic: `/r <name>` sends one to the customer as
the agent's reply (the core fills its placeholders); `/r` alone lists the department's quick
replies as buttons, and a press sends that one. What was sent shows in the topic like any
reply, so only a refusal is answered."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, User

from bridge.domain.errors import NotFound
from bridge.domain.ids import ConversationId
from channels.telegram.buttons import Op, button
from channels.telegram.context import Answer, Context
from channels.telegram.html import bold, clip, italic
from channels.telegram.sender import Place

LABEL_LIMIT = 40


class QuickReplies:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def command(self, cid: ConversationId, user: User, place: Place, args: str) -> None:
        name = args.strip().split(maxsplit=1)[0].lower() if args.strip() else ""
        if not name:
            await self._menu(cid, user, place)
            return
        outcome = await self._ctx.actions.quick_reply(user.id, cid, name)
        if not outcome.ok:
            await self._ctx.reply(place, italic(outcome.text))

    async def _menu(self, cid: ConversationId, user: User, place: Place) -> None:
        ctx, t = self._ctx, self._ctx.t
        if ctx.actions.agent(user.id) is None:
            await ctx.reply(place, italic(t("not_agent")))
            return
        try:
            c = await ctx.core.conversations.get(cid)
        except NotFound:
            await ctx.reply(place, italic(t("tg.button_gone")))
            return
        available = ctx.core.quick_replies.available(c.department_id)
        if not available:
            department = ctx.core.settings.department_name(c.department_id)
            await ctx.reply(place, italic(t("reply.none_configured", department=department)))
            return
        rows = [
            [button(clip(f"{r.name} — {r.text}", LABEL_LIMIT), Op.QUICK_REPLY, c.id, r.name)]
            for r in available
        ]
        html = bold(t("tg.reply_choose", number=c.number))
        await ctx.reply(place, html, InlineKeyboardMarkup(rows))

    async def press(self, user: User, chat: int, message_id: int, cid: str, name: str) -> Answer:
        """A quick reply's button: send it; on success the menu becomes the outcome."""
        outcome = await self._ctx.actions.quick_reply(user.id, cid, name)
        if outcome.ok:
            await self._ctx.replace(chat, message_id, italic(outcome.text))
        return Answer(outcome.text, alert=not outcome.ok)
