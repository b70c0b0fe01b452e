"""Slash commands, in a private chat with the bot or in a group: the lists (channels.common),
/stats, /status, /help, and the commands that act on the conversation of the topic they are
typed in (/details, /claim, /close, /transfer, /r, /contact_edit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import BotCommand, Message, MessageEntity, User

from bridge.domain.ids import ConversationId
from channels.common.commands import ALIASES, Name
from channels.common.texts import Texts
from channels.telegram.claims import claim
from channels.telegram.contacts import parse_edit
from channels.telegram.context import Context, place_of_message
from channels.telegram.html import italic, text
from channels.telegram.parts import Parts
from channels.telegram.sender import Place

LISTS = frozenset({n.value for n in Name if n is not Name.HELP} | set(ALIASES))
# The menu Telegram shows (setMyCommands), in this order.
MENU = (
    "queue",
    "chats",
    "auto",
    "contacts",
    "agents",
    "history",
    "leads",
    "stats",
    "status",
    "details",
    "claim",
    "transfer",
    "close",
    "r",
    "contact_edit",
    "help",
)


def menu(t: Texts) -> list[BotCommand]:
    return [BotCommand(name, t(f"tg.cmd.{name}")) for name in MENU]


def command_of(message: Message, bot_username: str) -> tuple[str, str] | None:
    """('queue', 'dept:vendas') for '/queue@ponte_bot dept:vendas'; None when the message is no
    command, or one addressed to another bot."""
    entities = message.entities
    raw = message.text or ""
    if not entities or entities[0].type != MessageEntity.BOT_COMMAND or entities[0].offset:
        return None
    word = raw[: entities[0].length]
    name, _, target = word[1:].partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name.lower(), raw[entities[0].length :].strip()


Handler = Callable[[Message, User, Place, str], Awaitable[None]]


class Commands:
    def __init__(self, ctx: Context, parts: Parts) -> None:
        self._ctx, self._parts = ctx, parts
        self._table: dict[str, Handler] = {
            "help": self._help,
            "start": self._help,
            "details": self._in_topic(self._show_details),
            "claim": self._in_topic(self._claim),
            "close": self._in_topic(self._close),
            "transfer": self._in_topic(self._transfer),
            "contact_edit": self._in_topic(self._contact_edit),
            Name.REPLY: self._in_topic(parts.replies.command),
            Name.STATUS: lambda _, user, place, args: parts.status.command(user, place, args),
            Name.STATS: lambda _, user, place, __: parts.pager.report(user, place),
        }

    async def handle(self, message: Message, user: User) -> bool:
        """Run the command `message` holds; False when it holds none for this bot."""
        found = command_of(message, self._ctx.sender.bot.username)
        if found is None:
            return False
        name, args = found
        place = place_of_message(message, message.chat.id)
        handler = self._table.get(ALIASES.get(name, name))  # /r is /reply, /estatisticas /stats
        if handler is not None:
            await handler(message, user, place, args)
        elif name in LISTS:
            await self._parts.pager.start(user, place, f"{name} {args}")
        else:
            await self._say(place, self._ctx.t("command.unknown", name=name))
        return True

    async def _say(self, place: Place, words: str) -> None:
        await self._ctx.reply(place, italic(words))

    async def _help(self, message: Message, user: User, place: Place, args: str) -> None:
        await self._ctx.reply(place, text(self._ctx.t("tg.help")))

    def _in_topic(
        self, run: Callable[[ConversationId, User, Place, str], Awaitable[None]]
    ) -> Handler:
        """A command about the conversation of the topic it is typed in."""

        async def handler(message: Message, user: User, place: Place, args: str) -> None:
            cid = await self._ctx.topics.find(message)
            if cid is None:
                await self._say(place, self._ctx.t("tg.topic_only"))
                return
            await run(cid, user, place, args)

        return handler

    async def _show_details(self, cid: ConversationId, user: User, place: Place, _: str) -> None:
        agent = self._ctx.actions.agent(user.id)
        if agent is None:
            await self._say(place, self._ctx.t("not_agent"))
            return
        rendered = await self._parts.details.render(agent, cid, "c", 0)
        if isinstance(rendered, str):
            await self._say(place, rendered)
        else:
            await self._ctx.reply(place, *rendered)

    async def _claim(self, cid: ConversationId, user: User, place: Place, _: str) -> None:
        await self._say(place, (await claim(self._ctx, user.id, cid)).text)

    async def _close(self, cid: ConversationId, user: User, place: Place, reason: str) -> None:
        """With a listed reason (or none needed) it closes; else the reasons come as buttons."""
        answer = await self._parts.closing.ask(user, place, cid, reason)
        if answer.text:
            await self._say(place, answer.text)

    async def _transfer(self, cid: ConversationId, user: User, place: Place, _: str) -> None:
        answer = await self._parts.transfers.menu(user, place, cid)
        if answer.text:
            await self._say(place, answer.text)

    async def _contact_edit(self, cid: ConversationId, user: User, place: Place, args: str) -> None:
        parsed = parse_edit(args)
        if parsed is None:
            await self._say(place, self._ctx.t("contact.usage"))
            return
        field, value = parsed
        await self._say(place, await self._parts.contacts.update(user.id, cid, field, value))
