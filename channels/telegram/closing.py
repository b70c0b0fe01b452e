"""Closing with a reason (tabulação). When the conversation's department lists close reasons,
the Close button and /close ask for one with an inline keyboard, plus a "No reason" button
when the department does not require one; the chosen reason goes to the core's close, which
checks it again. A reason typed after /close is taken when it names one of the list.

Reasons travel in callback_data as their index in the department's list (a reason may be
longer than the 64 bytes callback_data holds); an index the list no longer has answers
"button gone"."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bridge.domain.access import require_access
from bridge.domain.errors import BridgeError, NotFound
from bridge.domain.ids import ConversationId
from bridge.domain.model import Conversation, ConversationState
from channels.common.actions import explain
from channels.telegram.buttons import Op, button
from channels.telegram.context import Answer, Context
from channels.telegram.html import Html, bold, clip, italic, text
from channels.telegram.sender import Place

NO_REASON = "-"
LABEL_LIMIT = 60


def match_reason(reasons: tuple[str, ...], typed: str) -> str | None:
    """The listed reason `typed` names (case and underscores ignored), or None."""
    wanted = typed.strip().replace("_", " ").casefold()
    return next((r for r in reasons if r.casefold() == wanted), None) if wanted else None


class Closing:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def _conversation(self, cid: str) -> Conversation | None:
        try:
            return await self._ctx.core.conversations.get(ConversationId(cid))
        except NotFound:
            return None

    async def ask(self, user: User, place: Place, cid: str, typed: str = "") -> Answer:
        """Close at once when the department lists no reasons (a typed reason is kept as
        written) or `typed` names one of them; otherwise post the reasons as buttons."""
        ctx, t = self._ctx, self._ctx.t
        agent = ctx.actions.agent(user.id)
        if agent is None:
            return Answer(t("not_agent"), alert=True)
        c = await self._conversation(cid)
        if c is None:
            return Answer(t("tg.button_gone"), alert=True)
        reasons = ctx.core.directory.rules(c.department_id).close_reasons
        chosen = match_reason(reasons, typed)
        if not reasons or chosen is not None:
            return await self._close(user, c.id, chosen or typed)
        try:  # refuse here what the close would refuse, rather than offer buttons that fail
            require_access(agent, c, "close")
        except BridgeError as e:
            return Answer(explain(e, t, c), alert=True)
        if c.state is ConversationState.CLOSED:
            return Answer(t("illegal", state=t("state.closed")), alert=True)
        await ctx.reply(place, bold(t("close.choose_reason", number=c.number)), self._keyboard(c))
        return Answer()

    def _keyboard(self, c: Conversation) -> InlineKeyboardMarkup:
        rules = self._ctx.core.directory.rules(c.department_id)
        rows: list[list[InlineKeyboardButton]] = [
            [button(clip(reason, LABEL_LIMIT), Op.CLOSE_REASON, c.id, str(n))]
            for n, reason in enumerate(rules.close_reasons)
        ]
        if not rules.close_reason_required:
            rows.append([button(self._ctx.t("close.no_reason"), Op.CLOSE_REASON, c.id, NO_REASON)])
        return InlineKeyboardMarkup(rows)

    async def choose(self, user: User, chat: int, message_id: int, cid: str, index: str) -> Answer:
        """A reason button: close with it; the keyboard becomes the outcome."""
        c = await self._conversation(cid)
        reasons = self._ctx.core.directory.rules(c.department_id if c else None).close_reasons
        if c is None or not (index == NO_REASON or (index.isdigit() and int(index) < len(reasons))):
            return Answer(self._ctx.t("tg.button_gone"), alert=True)
        reason = "" if index == NO_REASON else reasons[int(index)]
        answer = await self._close(user, c.id, reason)
        if not answer.alert:
            shown = italic(answer.text) + (text(" — " + reason) if reason else Html())
            await self._ctx.replace(chat, message_id, shown)
        return answer

    async def _close(self, user: User, cid: str, reason: str) -> Answer:
        outcome = await self._ctx.actions.close(user.id, cid, reason)
        return Answer(outcome.text, alert=not outcome.ok)
