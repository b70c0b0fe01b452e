"""Button presses (callback queries): one handler per op in an explicit table; every press
gets exactly one answer (the toast), after the action it asked for."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery
from telegram.error import TelegramError

from bridge.domain.errors import BridgeError
from bridge.domain.ids import ContactId, ConversationId
from bridge.ports import DeliveryFailed, RetryLater
from channels.common.actions import explain
from channels.telegram.buttons import Op, decode
from channels.telegram.claims import claim
from channels.telegram.context import Answer, Context, place_of_message
from channels.telegram.details import FIELDS
from channels.telegram.parts import Parts
from channels.telegram.prompts import CONTACT, INTERNAL, START_CONTACT, START_LEAD, Prompt
from channels.telegram.render import transcript
from channels.telegram.sender import Place

log = logging.getLogger("ponte.telegram")


class Press:
    """One button press: who, where, and the arguments its data carried."""

    def __init__(self, query: CallbackQuery, args: list[str]) -> None:
        self.query, self.args, self.user = query, args, query.from_user
        message = query.message
        self.chat = message.chat.id if message is not None else query.from_user.id
        self.message_id = message.message_id if message is not None else 0
        self.place: Place = place_of_message(message, self.chat)

    def arg(self, n: int) -> str:
        return self.args[n] if n < len(self.args) else ""


Handler = Callable[[Press], Awaitable[Answer]]


class Callbacks:
    def __init__(self, ctx: Context, parts: Parts) -> None:
        self._ctx, self._details, self._prompts = ctx, parts.details, parts.prompts
        transfers, pager, closing = parts.transfers, parts.pager, parts.closing
        self._table: dict[Op, Handler] = {
            Op.CLAIM: self._claim,
            Op.PEEK: self._peek,
            Op.DETAILS: self._open_details,
            Op.SECTION: self._section,
            Op.TRANSFER: lambda p: transfers.menu(p.user, p.place, p.arg(0)),
            Op.TRANSFER_DEPARTMENT: lambda p: transfers.department(
                p.chat, p.message_id, p.arg(0), p.arg(1)
            ),
            Op.TRANSFER_QUEUE: lambda p: transfers.transfer(
                p.user, p.chat, p.message_id, p.arg(0), p.arg(1)
            ),
            Op.TRANSFER_AGENT: lambda p: transfers.transfer(
                p.user, p.chat, p.message_id, p.arg(0), p.arg(1), p.arg(2) or "-"
            ),
            Op.CLOSE: lambda p: closing.ask(p.user, p.place, p.arg(0)),
            Op.CLOSE_REASON: lambda p: closing.choose(
                p.user, p.chat, p.message_id, p.arg(0), p.arg(1)
            ),
            Op.TRANSCRIPT: self._transcript,
            Op.START_CONTACT: lambda p: self._ask(p, START_CONTACT, "prompt.first_message"),
            Op.START_LEAD: lambda p: self._ask(p, START_LEAD, "prompt.first_message"),
            Op.INTERNAL: lambda p: self._ask(p, INTERNAL, "prompt.internal"),
            Op.CONTACT_EDIT: self._contact_edit,
            Op.PAGE: lambda p: pager.next(p.user, p.chat, p.message_id, p.arg(0)),
            Op.QUEUE: self._queue,
            Op.QUICK_REPLY: lambda p: parts.replies.press(
                p.user, p.chat, p.message_id, p.arg(0), p.arg(1)
            ),
            Op.STATUS: lambda p: parts.status.press(p.user, p.chat, p.message_id, p.arg(0)),
        }
        self._pager = pager

    async def handle(self, query: CallbackQuery) -> None:
        decoded = decode(query.data or "")
        if decoded is None:
            answer = Answer(self._ctx.t("tg.button_gone"), alert=True)
        else:
            op, args = decoded
            answer = await self._table[op](Press(query, args))
        await self._answer(query, answer)

    async def _answer(self, query: CallbackQuery, answer: Answer) -> None:
        """The toast. A press answered too late (or a flood wait) leaves the spinner to time
        out on the agent's screen: logged, since the action itself is done."""
        try:
            await self._ctx.sender.answer(query.id, answer.text, alert=answer.alert)
        except (RetryLater, DeliveryFailed, TelegramError, TimeoutError) as e:
            log.warning("telegram.answer_failed", extra={"error": repr(e)})

    # -- conversation actions ------------------------------------------------------------------

    async def _claim(self, p: Press) -> Answer:
        outcome = await claim(self._ctx, p.user.id, p.arg(0))
        return Answer(outcome.text, alert=not outcome.ok)

    async def _queue(self, p: Press) -> Answer:
        """A waiting alert's button: the queue, where the alert is."""
        await self._pager.start(p.user, p.place, "queue")
        return Answer()

    async def _peek(self, p: Press) -> Answer:
        ctx = self._ctx
        outcome = await ctx.actions.peek(p.user.id, p.arg(0))
        if outcome.peek is None:
            return Answer(outcome.text, alert=True)
        contact = await self._contact_name(outcome.peek.conversation.contact_id)
        messages = transcript(outcome.text, outcome.peek.items, ctx.t, ctx.core.settings, contact)
        for html in messages[:3]:
            await ctx.reply(p.place, html)
        return Answer()

    async def _transcript(self, p: Press) -> Answer:
        ctx = self._ctx
        agent = ctx.actions.agent(p.user.id)
        if agent is None:
            return Answer(ctx.t("not_agent"), alert=True)
        try:
            d = await ctx.core.queries.transcript(ConversationId(p.arg(0)), agent)
        except BridgeError as e:
            return Answer(explain(e, ctx.t), alert=True)
        title = ctx.t("transcript.title", number=d.conversation.number)
        name = d.contact.display_name
        for html in transcript(title, d.timeline, ctx.t, ctx.core.settings, name)[:5]:
            await ctx.reply(p.place, html)
        return Answer()

    async def _contact_name(self, kid: str) -> str:
        try:
            return (await self._ctx.core.queries.contact(ContactId(kid))).display_name
        except BridgeError:
            return ""

    # -- details ----------------------------------------------------------------------------------

    async def _open_details(self, p: Press) -> Answer:
        ctx = self._ctx
        agent = ctx.actions.agent(p.user.id)
        if agent is None:
            return Answer(ctx.t("not_agent"), alert=True)
        rendered = await self._details.render(agent, ConversationId(p.arg(0)), "c", 0)
        if isinstance(rendered, str):
            return Answer(rendered, alert=True)
        await ctx.reply(p.place, *rendered)
        return Answer()

    async def _section(self, p: Press) -> Answer:
        ctx = self._ctx
        agent = ctx.actions.agent(p.user.id)
        if agent is None:
            return Answer(ctx.t("not_agent"), alert=True)
        page = int(p.arg(2)) if p.arg(2).isdigit() else 0
        rendered = await self._details.render(agent, ConversationId(p.arg(0)), p.arg(1), page)
        if isinstance(rendered, str):
            return Answer(rendered, alert=True)
        await ctx.replace(p.chat, p.message_id, *rendered)
        return Answer()

    # -- prompts ------------------------------------------------------------------------------

    async def _ask(self, p: Press, op: str, question: str) -> Answer:
        ctx = self._ctx
        if ctx.actions.agent(p.user.id) is None:
            return Answer(ctx.t("not_agent"), alert=True)
        name = await self._target_name(op, p.arg(0))
        prompt = Prompt(op, p.arg(0), p.user.id)
        return await self._prompts.ask(p.place, prompt, ctx.t(question, name=name))

    async def _target_name(self, op: str, target: str) -> str:
        settings = self._ctx.core.settings
        match op:
            case "internal":
                return settings.agent_name(target)
            case "start_contact":
                return await self._contact_name(target) or target
            case _:
                return target[:10]

    async def _contact_edit(self, p: Press) -> Answer:
        ctx = self._ctx
        field = FIELDS.get(p.arg(1))
        if field is None:
            return Answer(ctx.t("tg.button_gone"), alert=True)
        if ctx.actions.agent(p.user.id) is None:
            return Answer(ctx.t("not_agent"), alert=True)
        prompt = Prompt(CONTACT, p.arg(0), p.user.id, field)
        label = ctx.t(f"contact.field.{field}")
        return await self._prompts.ask(p.place, prompt, ctx.t("contact.prompt", field=label))
