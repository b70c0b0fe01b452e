"""`python -m bridge check-config PATH --online`: ask Telegram whether each department's group
can hold the bridge's topics (getMe, getChat, getChatMember) and say what to fix."""

from __future__ import annotations

import asyncio

from telegram import Bot, ChatMember, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import TelegramError

from bridge.settings import DepartmentSettings, Settings


async def online_warnings(settings: Settings) -> list[str]:
    """One line per problem found; an empty list when every group is ready. Never raises for
    what Telegram answers: a refusal is itself a warning."""
    s = settings.telegram
    token = s.bot_token.get_secret_value() if s.bot_token else ""
    bot = Bot(
        token,
        base_url=f"{s.api_url.rstrip('/')}/bot",
        base_file_url=f"{s.effective_file_url.rstrip('/')}/bot",
    )
    try:
        async with asyncio.timeout(s.call_timeout):
            await bot.initialize()  # getMe
    except (TelegramError, TimeoutError) as e:
        return [f"Telegram refused the bot token or did not answer: {e}"]
    try:
        reads_all = bool(bot.bot.can_read_all_group_messages)
        warnings: list[str] = []
        for department in settings.departments:
            if department.telegram_chat is not None:
                warnings += await _group(bot, department, reads_all, s.call_timeout)
        return warnings
    finally:
        await bot.shutdown()


async def _group(
    bot: Bot, department: DepartmentSettings, reads_all: bool, seconds: float
) -> list[str]:
    chat_id = department.telegram_chat
    assert chat_id is not None
    where = f"department {department.id!r}: Telegram group {chat_id}"
    try:
        async with asyncio.timeout(seconds * 2):
            chat = await bot.get_chat(chat_id)
            member = await bot.get_chat_member(chat_id, bot.id)
    except (TelegramError, TimeoutError) as e:
        return [f"{where}: {e}"]
    out = []
    if not chat.is_forum:
        out.append(
            f"{where} is not a forum: turn Topics on in the group settings (until then each "
            "conversation is a root message with replies)"
        )
    problem = _rights(member)
    if problem:
        out.append(f"{where}: {problem}")
    if not reads_all and not isinstance(member, ChatMemberAdministrator | ChatMemberOwner):
        out.append(
            f"{where}: the bot cannot read agents' messages: turn privacy mode off in "
            "@BotFather (/setprivacy) or make the bot an admin"
        )
    return out


def _rights(member: ChatMember) -> str:
    if isinstance(member, ChatMemberOwner):
        return ""
    if isinstance(member, ChatMemberAdministrator):
        if member.can_manage_topics:
            return ""
        return "the bot is an admin without the right to manage topics: grant it"
    return f"the bot is {member.status} there: make it an admin with the right to manage topics"
