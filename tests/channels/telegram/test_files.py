"""Files both ways: photos, documents and voice notes from agents reach the widget (getFile and
the file URL); customers' files are uploaded into the topic (sendPhoto/sendDocument); a file
over the limit gets a clear message instead."""

from __future__ import annotations

import pytest

from tests.channels.telegram.helpers import ELISA, VENDAS, Daemon, replying_to

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.4\n" + bytes(200)
OGG = b"OggS" + bytes(60)
TYPES = ["image/png", "image/jpeg", "application/pdf", "audio/ogg"]
FILES = {"widget": {"uploads": {"max_bytes": 1024 * 1024, "types": TYPES}}}


@pytest.mark.parametrize("changes", [FILES])
async def test_agents_send_photos_documents_and_voice_notes(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    await emu.user_sends(ELISA, VENDAS, "Vou mandar os arquivos", thread_id=topic.thread)
    await customer.sees("Vou mandar os arquivos")

    photo = emu.add_file(PNG, kind="photo")
    await emu.user_sends(ELISA, VENDAS, photo=photo, caption="a foto", thread_id=topic.thread)
    shown = await customer.sees("a foto")
    (attachment,) = shown["attachments"]
    assert attachment["mime"] == "image/png"  # the real type, from the bytes
    async with daemon.client.get(attachment["url"]) as response:
        assert await response.read() == PNG

    document = emu.add_file(PDF, file_name="proposta.pdf", mime_type="application/pdf")
    await emu.user_sends(ELISA, VENDAS, document=document, thread_id=topic.thread)
    voice = emu.add_file(OGG, kind="voice")
    await emu.user_sends(ELISA, VENDAS, voice=voice, thread_id=topic.thread)
    files = await customer.tab.wait_event(
        lambda e: bool(e["attachments"]) and e["attachments"][0]["mime"] == "audio/ogg"
    )
    assert files["attachments"][0]["name"].endswith(".ogg")
    names = [a["name"] for e in customer.tab.events.values() for a in e.get("attachments", [])]
    assert "proposta.pdf" in names


@pytest.mark.parametrize("changes", [FILES])
async def test_a_file_over_the_limit_is_refused_with_a_clear_message(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas")
    topic = await daemon.topic(VENDAS, number)
    emu = daemon.emu
    big = emu.add_file(b"%PDF" + bytes(1536 * 1024), file_name="grande.pdf")
    sent = await emu.user_sends(ELISA, VENDAS, document=big, thread_id=topic.thread)
    refusal = await emu.wait_for_call("sendMessage", replying_to(sent["message"]["message_id"]))
    assert "grande.pdf is larger than the 1 MB limit; it was not sent." in refusal.params["text"]
    assert emu.calls("getFile") == []  # refused before downloading
    await customer.say("e então?")
    await daemon.posted(VENDAS, topic.thread, "e então?")
    assert all(not e.get("attachments") for e in customer.tab.events.values())


@pytest.mark.parametrize("changes", [FILES])
async def test_customer_files_are_uploaded_into_the_topic(daemon: Daemon) -> None:
    customer = daemon.customer()
    _, number = await customer.queue("vendas", name="Maria")
    topic = await daemon.topic(VENDAS, number)
    pdf = await customer.upload(PDF, "pedido.pdf", "application/pdf")
    await customer.say("segue o <pedido>", [pdf])
    png = await customer.upload(PNG, "foto.png", "image/png")
    await customer.say("", [png])

    document = await daemon.emu.wait_for_call("sendDocument")
    assert document.params["message_thread_id"] == topic.thread
    assert document.params["caption"] == "<b>Maria</b>: segue o &lt;pedido&gt;"
    photo = await daemon.emu.wait_for_call("sendPhoto")
    assert photo.params["message_thread_id"] == topic.thread
    uploads = daemon.emu.uploaded_files()
    assert [(u["kind"], u["filename"], u["bytes"]) for u in uploads] == [
        ("document", "pedido.pdf", PDF),
        ("photo", "foto.png", PNG),
    ]
