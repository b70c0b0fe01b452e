"""Attachments both ways (widget upload -> Slack thread; Slack file_share -> widget download),
and agents' edits and deletes reaching the customer."""

from __future__ import annotations

from collections.abc import Callable

from tests.channels.slack.conftest import ANA
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


async def test_a_customer_file_is_uploaded_into_the_thread(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    attachment = await maria.upload("foto.png", PNG, "image/png")
    await maria.say("segue a foto", [attachment])
    line = await bed.reply(channel, ts, "segue a foto")
    done = await bed.emu.wait_for_call("files.completeUploadExternal")

    assert line.params["text"] == "*Contact*: segue a foto\n📎 foto.png (216 B)"
    assert done.params["channel_id"] == channel
    assert done.params["thread_ts"] == ts
    (uploaded,) = [f for f in bed.emu.files().values() if f["user"] == "U0BOT"]
    assert uploaded["content"] == PNG
    assert uploaded["name"] == "foto.png"
    upload = bed.emu.calls("upload_url")[0]
    assert "Authorization" not in upload.headers  # the upload URL is used as given, no token


async def test_an_agent_file_reaches_the_customer(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    shared = bed.emu.add_file("F0NOTA", "nota.pdf", PDF, "application/pdf", user=ANA)
    await bed.emu.user_posts(ANA, channel, "aqui a nota fiscal", thread_ts=ts, files=[shared])
    event = await maria.sees_text("aqui a nota fiscal")

    (attachment,) = event["attachments"]
    assert (attachment["name"], attachment["mime"]) == ("nota.pdf", "application/pdf")
    assert await maria.download(attachment["url"]) == PDF


async def test_a_file_the_bridge_refuses_is_explained_to_the_agent(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    shared = bed.emu.add_file("F0EXE", "setup.exe", b"MZ\x90\x00" + bytes(64), "x/exe", user=ANA)
    await bed.emu.user_posts(ANA, channel, "instale isto", thread_ts=ts, files=[shared])
    told = await bed.answer(ANA, "setup.exe", via="chat.postEphemeral")
    await maria.sees_text("instale isto")

    assert "was not sent to the customer" in told.params["text"]
    assert told.params["thread_ts"] == ts
    text_event = [e for e in maria.tab.events.values() if e["text"] == "instale isto"]
    assert text_event[0]["attachments"] == []


async def test_edits_and_deletes_of_a_reply_reach_the_customer(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    reply_ts, _ = await bed.emu.user_posts(ANA, channel, "o preço é 100", thread_ts=ts)
    original = await maria.sees_text("o preço é 100")
    await bed.emu.user_edits(ANA, channel, reply_ts, "o preço é 90 &amp; frete grátis")
    edited = await maria.sees(lambda e: e["kind"] == "edited")
    await bed.emu.user_deletes(ANA, channel, reply_ts)
    deleted = await maria.sees(lambda e: e["kind"] == "deleted")

    assert edited["text"] == "o preço é 90 & frete grátis"
    assert edited["data"]["target"] == original["id"]
    assert deleted["data"]["target"] == original["id"]


async def test_an_edit_of_a_message_ponte_never_saw_is_ignored(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    channel, ts = await bed.claimed(maria)
    chat_ts, _ = await bed.emu.user_posts(ANA, channel, "conversa de canal")  # not in a thread
    await bed.emu.user_edits(ANA, channel, chat_ts, "editada")
    await bed.emu.user_posts(ANA, channel, "marco", thread_ts=ts)
    await maria.sees_text("marco")

    assert not [e for e in maria.tab.events.values() if e["kind"] == "edited"]
    assert "conversa de canal" not in maria.texts()
