"""The Telegram emulator, proven with the real python-telegram-bot over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer
from telegram import (
    Bot,
    BotCommand,
    ChatMemberAdministrator,
    ChatMemberBanned,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from tests.emulators.telegram import TelegramEmulator
from tests.emulators.telegram_webhook import SECRET_HEADER, WebhookRetryPolicy

TOKEN = "123456:TEST-token"
GROUP = -1001234567890
ANA = 111
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Claim", callback_data="c:1234")]])


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB warns on RetryAfter.retry_after unless opted into timedelta (PROTOCOLS B10)
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(webhook_retry=WebhookRetryPolicy(initial_delay=0.01)) as emulator:
        emulator.add_user(ANA, "Ana", username="ana")
        emulator.add_group(GROUP, "Vendas")
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


async def new_topic(bot: Bot, name: str = "Maria · #1234") -> int:
    return (await bot.create_forum_topic(GROUP, name)).message_thread_id


async def test_html_message_with_keyboard_lands_in_the_new_topic(
    emu: TelegramEmulator, bot: Bot
) -> None:
    thread = await new_topic(bot)
    sent = await bot.send_message(
        GROUP,
        "<b>Cliente</b> VIP &amp; <i>urgente</i>",
        parse_mode="HTML",
        message_thread_id=thread,
        reply_markup=KEYBOARD,
    )
    assert sent.text == "Cliente VIP & urgente"
    entities = [(e.type, e.offset, e.length) for e in sent.entities]
    assert entities == [("bold", 0, 7), ("italic", 14, 7)]
    assert (sent.message_thread_id, sent.is_topic_message) == (thread, True)
    assert sent.reply_markup == KEYBOARD
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.forum_topic_created is not None
    root, stored = emu.messages(GROUP, thread)
    assert root["message_id"] == thread
    assert stored["message_id"] == sent.message_id
    call = emu.calls("sendmessage")[0]
    assert call.params["message_thread_id"] == thread
    assert call.params["reply_markup"] == KEYBOARD.to_dict()
    assert emu.topics(GROUP)[thread]["name"] == "Maria · #1234"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold", "can't find end tag corresponding to start tag b"),
        ("<b>x</i>", 'unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("1 < 2", 'unsupported start tag "" at byte offset 2'),
    ],
)
async def test_malformed_html_is_refused(bot: Bot, text: str, expected: str) -> None:
    with pytest.raises(BadRequest) as refused:
        await bot.send_message(GROUP, text, parse_mode="HTML")
    assert refused.value.message.lower() == f"can't parse entities: {expected}"


async def test_too_long_text_is_refused_after_entity_parsing(bot: Bot) -> None:
    await bot.send_message(GROUP, f"<b>{'x' * 4096}</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(GROUP, "x" * 4097)


async def test_closed_and_hand_deleted_topics_refuse_messages(
    emu: TelegramEmulator, bot: Bot
) -> None:
    closed, deleted = await new_topic(bot, "a"), await new_topic(bot, "b")
    await bot.close_forum_topic(GROUP, closed)
    with pytest.raises(BadRequest) as refused:
        await bot.send_message(GROUP, "oi", message_thread_id=closed)
    assert refused.value.message.lower() == "topic_closed"
    with pytest.raises(BadRequest, match=r"(?i)topic_not_modified"):
        await bot.close_forum_topic(GROUP, closed)
    await bot.reopen_forum_topic(GROUP, closed)
    await bot.send_message(GROUP, "oi", message_thread_id=closed)
    emu.delete_topic_by_hand(GROUP, deleted)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(GROUP, "oi", message_thread_id=deleted)
    assert emu.topics(GROUP)[deleted]["deleted"] is True
    assert emu.messages(GROUP, deleted) == []


async def test_topic_creation_needs_a_forum_and_the_right(emu: TelegramEmulator, bot: Bot) -> None:
    emu.add_group(-1002, "Plain", is_forum=False)
    emu.add_group(-1003, "No rights", can_manage_topics=False)
    with pytest.raises(BadRequest, match=r"(?i)the chat is not a forum"):
        await bot.create_forum_topic(-1002, "x")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to create a topic"):
        await bot.create_forum_topic(-1003, "x")


async def test_identical_edit_is_not_modified(emu: TelegramEmulator, bot: Bot) -> None:
    sent = await bot.send_message(GROUP, "v1", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("v1", GROUP, sent.message_id, reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("v2", GROUP, sent.message_id)
    assert isinstance(edited, type(sent))
    assert edited.text == "v2"
    assert edited.reply_markup is None
    assert emu.messages(GROUP)[-1]["text"] == "v2"


async def test_injected_429_raises_retry_after(emu: TelegramEmulator, bot: Bot) -> None:
    emu.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(GROUP, "oi")
    assert limited.value.retry_after == timedelta(seconds=7)
    await bot.send_message(GROUP, "oi")
    assert [call.status for call in emu.calls("sendMessage")] == [429, 200]


async def test_rate_limit_per_group_answers_429(emu: TelegramEmulator, bot: Bot) -> None:
    emu.enforce_rate_limits(per_chat_per_minute=3)
    for _ in range(3):
        await bot.send_message(GROUP, "oi")
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(GROUP, "oi")
    retry_after = limited.value.retry_after
    assert isinstance(retry_after, timedelta)
    assert 0 < retry_after.total_seconds() <= 60


async def test_delay_makes_the_client_time_out(emu: TelegramEmulator, bot: Bot) -> None:
    emu.set_delay("getChat", 5.0)
    with pytest.raises(TimedOut):
        await bot.get_chat(GROUP, read_timeout=0.05)


async def test_documents_go_up_and_come_down(emu: TelegramEmulator, bot: Bot) -> None:
    thread = await new_topic(bot)
    sent = await bot.send_document(
        GROUP, b"%PDF-1.4", filename="proposta.pdf", caption="Proposta", message_thread_id=thread
    )
    assert sent.document is not None
    assert sent.caption == "Proposta"
    (upload,) = emu.uploaded_files()
    assert (upload["bytes"], upload["filename"], upload["thread"]) == (
        b"%PDF-1.4",
        "proposta.pdf",
        thread,
    )
    document = emu.add_file(b"contrato", file_name="contrato.pdf", mime_type="application/pdf")
    update = await emu.user_sends(ANA, GROUP, document=document, caption="segue", thread_id=thread)
    file = await bot.get_file(update["message"]["document"]["file_id"])
    assert file.file_path is not None
    assert file.file_path.endswith("documents/file_1.pdf")
    assert await file.download_as_bytearray() == bytearray(b"contrato")


async def test_photo_voice_and_message_management(emu: TelegramEmulator, bot: Bot) -> None:
    photo = await bot.send_photo(GROUP, b"\x89PNG", caption="<b>foto</b>", parse_mode="HTML")
    assert photo.photo[-1].width == 800
    assert photo.caption_entities[0].type == "bold"
    voice = await bot.send_voice(GROUP, b"OggS", duration=3)
    assert getattr(voice.voice, "duration", None) == timedelta(seconds=3)
    assert [upload["kind"] for upload in emu.uploaded_files()] == ["photo", "voice"]
    await bot.edit_message_reply_markup(GROUP, photo.message_id, reply_markup=KEYBOARD)
    assert await bot.delete_message(GROUP, voice.message_id)
    (kept,) = emu.messages(GROUP)
    assert kept["reply_markup"] == KEYBOARD.to_dict()
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(GROUP, b"x", filename="a.txt", caption="x" * 1025)


async def test_get_file_refuses_files_over_20_mb(emu: TelegramEmulator, bot: Bot) -> None:
    big = emu.add_file(b"\0" * ((20 << 20) + 1), file_name="big.bin")
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big["file_id"])


async def test_long_poll_returns_a_user_message_and_offset_confirms(
    emu: TelegramEmulator, bot: Bot
) -> None:
    thread = await new_topic(bot)
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await emu.wait_for_poller()
    sent = await emu.user_sends(ANA, GROUP, "Oi, preciso de ajuda", thread_id=thread)
    (update,) = await poll
    message = update.message
    assert update.update_id == sent["update_id"]
    assert message is not None
    assert (message.text, message.message_thread_id, message.is_topic_message) == (
        "Oi, preciso de ajuda",
        thread,
        True,
    )
    assert message.reply_to_message is not None
    assert message.reply_to_message.message_id == thread
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert await bot.get_updates(timeout=0) == ()


async def test_second_poller_terminates_the_first(emu: TelegramEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await emu.wait_for_poller()
    # a second bot instance: one Bot polls over a single pooled connection
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=10))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        await emu.user_sends(ANA, GROUP, "oi")
        assert len(await second) == 1


async def test_edits_arrive_as_edited_message(emu: TelegramEmulator, bot: Bot) -> None:
    sent = await emu.user_sends(ANA, GROUP, "tpyo")
    await emu.user_edits(ANA, GROUP, sent["message"]["message_id"], "typo")
    _, edit = await bot.get_updates(timeout=0)
    assert edit.edited_message is not None
    assert edit.edited_message.text == "typo"


@dataclass
class Receiver:
    """A webhook endpoint answering the scripted statuses first, then 200."""

    statuses: list[int]
    seen: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


async def start_receiver(
    aiohttp_server: AiohttpServer, statuses: list[int]
) -> tuple[Receiver, str]:
    receiver = Receiver(statuses)
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    server = await aiohttp_server(app)
    return receiver, str(server.make_url("/hook"))


async def test_webhook_pushes_in_order_with_secret_and_retries(
    aiohttp_server: AiohttpServer, emu: TelegramEmulator, bot: Bot
) -> None:
    receiver, url = await start_receiver(aiohttp_server, [500])
    await bot.set_webhook(url, secret_token="s3cr3t_-")
    sent = [await emu.user_sends(ANA, GROUP, text) for text in ("um", "dois", "três")]
    await emu.drain()
    ids = [update["update_id"] for update in sent]
    assert [body["update_id"] for _, body in receiver.seen] == [ids[0], *ids]
    assert {secret for secret, _ in receiver.seen} == {"s3cr3t_-"}
    first_two = [(d.update_id, d.status) for d in emu.webhook_deliveries][:2]
    assert first_two == [(ids[0], 500), (ids[0], 200)]
    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.last_error_message is not None
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await emu.redeliver(ids[1])
    await emu.drain()
    assert receiver.seen[-1][1]["update_id"] == ids[1]


async def test_bad_secret_token_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:1/hook", secret_token="a+b")


async def test_button_press_and_answer(emu: TelegramEmulator, bot: Bot) -> None:
    sent = await bot.send_message(GROUP, "Nova conversa", reply_markup=KEYBOARD)
    pressed = await emu.press_button(ANA, GROUP, sent.message_id, "c:1234")
    query = Update.de_json(pressed, bot).callback_query
    assert query is not None
    assert query.data == "c:1234"
    assert query.message is not None
    assert await bot.answer_callback_query(query.id, text="Assumida", show_alert=True)
    answer = emu.callback_answer(query.id)
    assert answer is not None
    assert (answer["text"], answer["show_alert"]) == ("Assumida", True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_me_chat_member_and_chat_info(emu: TelegramEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.can_read_all_group_messages) == (999, "ponte_bot", True)
    admin = await bot.get_chat_member(GROUP, 999)
    assert isinstance(admin, ChatMemberAdministrator)
    assert admin.can_manage_topics is True
    chat = await bot.get_chat(GROUP)
    assert chat.is_forum is True
    assert chat.title == "Vendas"
    emu.set_bot_status(GROUP, "kicked")
    assert isinstance(await bot.get_chat_member(GROUP, 999), ChatMemberBanned)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP, "oi")


async def test_private_chat_needs_the_user_first(emu: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(ANA, "oi")
    update = Update.de_json(await emu.user_sends(ANA, ANA, "/start"), bot)
    assert update.message is not None
    assert update.message.chat.type == "private"
    assert update.message.entities[0].type == "bot_command"
    assert (await bot.send_message(ANA, "Olá")).chat.id == ANA


async def test_bot_commands(bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand("claim", "Assumir a conversa")])
    assert await bot.get_my_commands() == (BotCommand("claim", "Assumir a conversa"),)
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Claim-It", "x")])


async def test_application_handles_a_user_update(emu: TelegramEmulator) -> None:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .updater(None)
        .build()
    )
    seen: list[str] = []

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_message.text
        seen.append(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, on_text))
    await app.initialize()
    try:
        update = await emu.user_sends(ANA, GROUP, "Cliente VIP")
        await app.process_update(Update.de_json(update, app.bot))
    finally:
        await app.shutdown()
    assert seen == ["Cliente VIP"]
    assert emu.calls("getMe")


async def test_wire_conventions(emu: TelegramEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.base_url}{TOKEN}/GETME") as response:
            assert response.status == 200
            assert (await response.json())["ok"] is True
        async with http.post(f"{emu.base_url}1:wrong/getMe") as response:
            body = await response.json()
            assert (response.status, body["description"]) == (401, "Unauthorized")
        async with http.post(f"{emu.base_url}{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
        emu.fail_next("sendMessage", retry_after=3)
        payload = {"chat_id": GROUP, "text": "oi"}
        async with http.post(f"{emu.base_url}{TOKEN}/sendMessage", json=payload) as response:
            assert (response.status, response.headers["Retry-After"]) == (429, "3")
            assert (await response.json())["parameters"] == {"retry_after": 3}
    found = await emu.wait_for_call("sendMessage", lambda call: call.status == 429)
    assert found.params == payload


async def test_chat_action_needs_a_known_action_and_topic(bot: Bot) -> None:
    topic = await new_topic(bot)
    assert await bot.send_chat_action(GROUP, "typing", message_thread_id=topic) is True
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(GROUP, "dancing", message_thread_id=topic)
    with pytest.raises(BadRequest, match="hread not found"):
        await bot.send_chat_action(GROUP, "typing", message_thread_id=topic + 999)
