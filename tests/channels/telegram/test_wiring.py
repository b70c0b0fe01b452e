"""The adapter as the daemon builds it from the configuration, and the HTML it writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_aiohttp import AiohttpClient
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bridge.settings import Settings
from channels.telegram.buttons import Op, decode, encode
from channels.telegram.errors import retry_seconds
from channels.telegram.html import bold, pieces, split_text, text, utf16_len
from tests.emulators.telegram import TelegramEmulator
from tests.fakes import FakeClock


@pytest.mark.parametrize("changes", [{"slack": {"enabled": False}}])
async def test_the_daemon_builds_the_adapter_from_the_config(
    settings: Settings,
    clock: FakeClock,
    redis_url: str,
    emu: TelegramEmulator,
    aiohttp_client: AiohttpClient,
) -> None:
    from bridge.daemon.app import create_app

    client = await aiohttp_client(create_app(settings, env={"REDIS_URL": redis_url}, clock=clock))
    await emu.wait_for_poller()  # polling mode: no webhook, one getUpdates long poll
    assert [c.method for c in emu.calls()][:3] == ["getMe", "deleteWebhook", "setMyCommands"]
    refused = await client.post("/telegram/webhook", json={"update_id": 1})
    assert refused.status == 403  # no secret is configured: nothing is taken


def test_html_escapes_and_counts_what_telegram_shows() -> None:
    shown = bold("<Ana & Bia>") + text(" diz: 1 < 2 😀")
    assert shown.markup == "<b>&lt;Ana &amp; Bia&gt;</b> diz: 1 &lt; 2 😀"
    assert shown.length == utf16_len("<Ana & Bia> diz: 1 < 2 😀") == 25


def test_long_text_splits_on_lines_then_words() -> None:
    lines = [f"linha {n:02d} " + "palavra " * 8 for n in range(40)]
    parts = split_text("\n".join(lines), 300)
    assert all(utf16_len(p) <= 300 for p in parts)
    assert [line.strip() for p in parts for line in p.split("\n")] == [
        line.strip() for line in lines
    ]
    words = split_text("x" * 250 + " " + "y" * 100, 300)
    assert words == ["x" * 250, "y" * 100]
    messages = pieces(bold("Maria") + text(": "), "a" * 9000, 4000)
    assert [m.length <= 4000 for m in messages] == [True, True, True]
    assert messages[0].markup.startswith("<b>Maria</b>: aaa")


def test_callback_data_fits_64_bytes() -> None:
    cid = "c_" + "A" * 22
    assert decode(encode(Op.TRANSFER_AGENT, cid, "12", "34")) == (
        Op.TRANSFER_AGENT,
        [cid, "12", "34"],
    )
    assert decode("zz:1") is None
    with pytest.raises(ValueError, match="64 bytes"):
        encode(Op.INTERNAL, "x" * 70)


def test_retry_after_is_read_with_or_without_ptb_timedelta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    assert retry_seconds(RetryAfter(timedelta(seconds=7))) == 7.0
    monkeypatch.delenv("PTB_TIMEDELTA")
    with pytest.warns(PTBDeprecationWarning):  # PTB's constructor warns without the opt-in
        error = RetryAfter(3)
    assert retry_seconds(error) == 3.0  # an int now; reading it here warns no further
