"""Messages and edits people write in a department's group or to the bot.

In a conversation's topic a message is a thread message (channels.common.actions decides:
a reply to the customer from the agent holding the chat, else an internal note); a reply to a
bot prompt answers the prompt; a command runs. Messages of bots (Ponte's own included) and
service messages (topic created, closed…) are never acted on."""

from __future__ import annotations

from telegram import Message, User
from telegram.constants import ChatType

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import ConversationId
from bridge.domain.model import Attachment, ChannelKind
from bridge.domain.refs import ExternalRef
from channels.common.actions import explain
from channels.telegram.attachments import fetch, incoming
from channels.telegram.commands import Commands
from channels.telegram.context import Context
from channels.telegram.html import italic, text
from channels.telegram.prompts import Prompts
from channels.telegram.sender import Place


def has_content(message: Message) -> bool:
    return bool(
        message.text or message.caption or message.photo or message.document or message.voice
    )


def author(message: Message) -> User | None:
    """The person who wrote `message`; None for bots (Ponte's own messages included)."""
    user = message.from_user
    return None if user is None or user.is_bot else user


def source(message: Message) -> ExternalRef:
    topic = str(message.message_thread_id) if message.is_topic_message else ""
    return ExternalRef(ChannelKind.TELEGRAM, str(message.chat.id), str(message.message_id), topic)


class Messages:
    def __init__(self, ctx: Context, commands: Commands, prompts: Prompts) -> None:
        self._ctx, self._commands, self._prompts = ctx, commands, prompts

    async def received(self, message: Message) -> None:
        user = author(message)
        if user is None or not has_content(message):
            return
        if await self._commands.handle(message, user):
            return
        prompt = await self._prompts.pending(message, user)
        if prompt is not None:
            await self._prompts.answer(prompt, message, user)
            return
        cid = await self._ctx.topics.find(message)
        if cid is not None:
            await self._thread_message(cid, message, user)
        elif message.chat.type == ChatType.PRIVATE:
            await self._ctx.reply(Place(message.chat.id), text(self._ctx.t("tg.help")))

    async def _thread_message(self, cid: ConversationId, message: Message, user: User) -> None:
        """The core decides reply or note; a note is marked "🔒" by the outbox (mark), so
        only a refusal is answered here."""
        ctx = self._ctx
        ref = source(message)
        place = Place(message.chat.id, int(ref.thread) if ref.thread else None, message.message_id)
        attachments: tuple[Attachment, ...] = ()
        file = incoming(message)
        if file is not None:
            try:
                attachments = (await fetch(ctx, cid, file),)
            except InvalidInput as e:
                await ctx.reply(place, italic(explain(e, ctx.t)))
                return
        outcome = await ctx.actions.thread_message(
            user.id,
            user.full_name,
            cid,
            message.text or message.caption or "",
            source=ref,
            event_key=f"{message.chat.id}:{message.message_id}",
            attachments=attachments,
        )
        if not outcome.ok:
            await ctx.reply(place, italic(outcome.text))

    async def edited(self, message: Message) -> None:
        """An agent edited a message they wrote in a topic: the edit reaches the widget."""
        user = author(message)
        if user is None or await self._ctx.topics.find(message) is None:
            return
        ref = source(message)
        try:
            await self._ctx.core.conversations.edit(
                ref, message.text or message.caption or "", user.full_name
            )
        except BridgeError as e:
            place = Place(message.chat.id, int(ref.thread) if ref.thread else None)
            await self._ctx.reply(
                place.replying(message.message_id), italic(explain(e, self._ctx.t))
            )
