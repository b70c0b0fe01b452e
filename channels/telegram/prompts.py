"""Buttons that need a text (start a chat with a contact or a lead, an internal message to an
agent, a new contact field) post a prompt with ForceReply; the agent's reply to that prompt
is the text. The pending prompt lives in Redis under (chat, prompt message id) for a day and
answers only the agent who pressed the button; a reply to it is never a thread message."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from telegram import ForceReply, Message, User

from channels.common.actions import Outcome
from channels.telegram.contacts import ContactEditor
from channels.telegram.context import LIST_TTL, Answer, Context
from channels.telegram.html import italic
from channels.telegram.sender import Place

INTERNAL = "internal"
START_CONTACT = "start_contact"
START_LEAD = "start_lead"
CONTACT = "contact"


@dataclass(frozen=True, slots=True)
class Prompt:
    op: str  # one of the names above
    target: str  # agent id, contact id, visitor id or conversation id
    user: int  # the Telegram user who pressed the button
    field: str = ""  # CONTACT: which field


def _name(chat: int, message_id: int) -> str:
    return f"tg:prompt:{chat}:{message_id}"


class Prompts:
    def __init__(self, ctx: Context, contacts: ContactEditor) -> None:
        self._ctx, self._contacts = ctx, contacts

    async def ask(self, place: Place, prompt: Prompt, question: str) -> Answer:
        markup = ForceReply(selective=True)
        sent = await self._ctx.reply(place, italic(question), markup)
        if sent is None:
            return Answer(self._ctx.t("unavailable"), alert=True)
        body = json.dumps(asdict(prompt))
        await self._ctx.core.links.set_value(_name(sent.chat.id, sent.message_id), body, LIST_TTL)
        return Answer()

    async def pending(self, message: Message, user: User) -> Prompt | None:
        """The prompt `message` answers, when it is a reply by the agent who was asked."""
        reply = message.reply_to_message
        if reply is None or reply.from_user is None or reply.from_user.id != self._bot_id:
            return None
        if message.is_topic_message and reply.message_id == message.message_thread_id:
            return None  # every topic message "replies" to the topic's creation (PROTOCOLS B3)
        stored = await self._ctx.core.links.get_value(_name(message.chat.id, reply.message_id))
        if not stored:
            return None
        prompt = Prompt(**json.loads(stored))
        return prompt if prompt.user == user.id else None

    @property
    def _bot_id(self) -> int:
        return self._ctx.sender.bot.id

    async def answer(self, prompt: Prompt, message: Message, user: User) -> None:
        """Do what the prompt asked with the reply's text, then forget the prompt."""
        ctx = self._ctx
        text = message.text or message.caption or ""
        actions = ctx.actions
        outcome: Outcome
        match prompt.op:
            case "internal":
                outcome = await actions.internal(user.id, prompt.target, text)
            case "start_contact":
                outcome = await actions.start_with_contact(user.id, prompt.target, text)
            case "start_lead":
                outcome = await actions.start_with_lead(user.id, prompt.target, text)
            case _:
                said = await self._contacts.update(user.id, prompt.target, prompt.field, text)
                outcome = Outcome(True, said)
        reply = message.reply_to_message
        if reply is not None:  # answered once: a second reply to it is an ordinary message
            await ctx.core.links.set_value(_name(message.chat.id, reply.message_id), "", 60)
        place = Place(
            message.chat.id, message.message_thread_id if message.is_topic_message else None
        )
        await ctx.reply(place.replying(message.message_id), italic(outcome.text))
