"""The widget's connection: the SSE fallback (no WebSocket, or a blocked one), a message whose
acknowledgement was lost, and what the team does from its side (a proactive chat, edits,
deletes, failed deliveries). See test_widget_flow.py for how these tests run."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

import pytest
from playwright.async_api import Page, WebSocket, WebSocketRoute, expect

from bridge.core import Core
from bridge.domain.events import EventKind
from bridge.domain.ids import EventId
from bridge.domain.model import SYSTEM, ChannelKind
from bridge.domain.refs import ExternalRef
from bridge.domain.states import Action
from bridge.store import Store
from bridge.store.codec import event_json, to_ms
from bridge.store.scripts import EventSpec
from tests.browser.conftest import Shop
from tests.browser.widget_ui import EN, WidgetUI
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def talk_over_the_fallback(ui: WidgetUI, core: Core, scenario: Scenario) -> None:
    await ui.reach_queue()
    await ui.say("pelo SSE")
    cid, vid = await ui.conversation(), await ui.visitor()
    assert [i.text for i in await core.customers.log(vid, cid, None) if i.text][-1] == "pelo SSE"
    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.reply(cid, scenario.agent("ana"), "resposta pelo SSE")
    await expect(ui.message("resposta pelo SSE").locator(".n")).to_have_text("Ana")
    await core.conversations.close(cid, scenario.agent("ana"))
    await ui.panel.get_by_role("radio", name=EN["stars"].format(n=5)).check()
    await ui.button(EN["rate_send"]).click()
    await expect(ui.panel.get_by_text(EN["rate_thanks"])).to_be_visible()
    assert (await core.conversations.get(cid)).rating == 5


async def test_without_websocket_the_widget_talks_over_sse(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    await page.add_init_script("delete window.WebSocket;")
    sockets: list[WebSocket] = []
    page.on("websocket", lambda ws: sockets.append(ws))
    ui = await WidgetUI(page).open(shop.page("/"))
    await talk_over_the_fallback(ui, core, scenario)
    assert sockets == []


async def test_a_blocked_websocket_falls_back_to_sse(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    refused: list[str] = []

    async def refuse(ws: WebSocketRoute) -> None:  # what a proxy that blocks WebSockets does
        refused.append(ws.url)
        await ws.close(code=4003, reason="blocked")

    await page.route_web_socket("**/widget/ws", refuse)
    ui = await WidgetUI(page).open(shop.page("/"))
    await talk_over_the_fallback(ui, core, scenario)
    assert len(refused) == 3  # three failures before any welcome, then SSE for good


@dataclass
class Relay:
    """Stands between the page and the daemon's WebSocket. While `cut`, the page's next `say`
    reaches the server but nothing comes back: the connection died after the server stored it."""

    cut: bool = False
    muted: bool = False
    stored: asyncio.Event = field(default_factory=asyncio.Event)
    sent: list[dict[str, object]] = field(default_factory=list)
    routes: list[WebSocketRoute] = field(default_factory=list)

    async def handle(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self.routes.append(ws)

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            self.sent.append(frame)
            if self.cut and frame["t"] == "say":
                self.cut, self.muted = False, True
            server.send(message)

        def from_server(message: str | bytes) -> None:
            if not self.muted:
                ws.send(message)
            elif json.loads(message)["t"] == "ack":
                self.stored.set()

        ws.on_message(from_page)
        server.on_message(from_server)

    def said(self) -> list[object]:
        return [f["id"] for f in self.sent if f["t"] == "say"]


async def test_a_message_whose_ack_was_lost_is_resent_and_stored_once(
    page: Page, shop: Shop, core: Core
) -> None:
    relay = Relay()
    await page.route_web_socket("**/widget/ws", relay.handle)
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    relay.cut = True
    await ui.message_box.press_sequentially("só uma vez")
    assert sum(f["t"] == "typing" for f in relay.sent) == 1  # at most one every 3 s
    await ui.message_box.press("Enter")
    async with asyncio.timeout(5):
        await relay.stored.wait()
    await expect(ui.message("só uma vez").get_by_text(EN["sending"])).to_be_visible()

    relay.muted = False
    await relay.routes[-1].close(code=4000, reason="connection lost")
    await expect(ui.status).to_contain_text(EN["reconnecting"])
    await ui.sent("só uma vez")
    await expect(ui.status).not_to_contain_text(EN["reconnecting"])
    first, again = relay.said()
    assert first == again  # re-sent with the same client id
    cid, vid = await ui.conversation(), await ui.visitor()
    texts = [i.text for i in await core.customers.log(vid, cid, None)]
    assert texts.count("só uma vez") == 1


async def test_an_agent_opens_a_chat_with_a_visitor_on_the_site(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    vid = await ui.visitor()
    await expect(ui.panel).to_be_hidden()
    await core.customers.start_by_agent(scenario.agent("ana"), vid, "Oi! Posso ajudar?")
    await expect(ui.panel).to_be_visible()
    await expect(ui.message("Oi! Posso ajudar?").locator(".n")).to_have_text("Ana")
    await ui.say("Pode sim")
    assert (await core.customers.current(vid)) is not None


async def test_edits_deletes_and_failed_deliveries_reach_the_customer(
    page: Page, shop: Shop, core: Core, scenario: Scenario, store: Store, clock: FakeClock
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    await ui.say("minha mensagem")
    cid = await ui.conversation()
    ana = scenario.agent("ana")
    await core.conversations.claim(cid, ana)
    typo, gone = (ExternalRef(ChannelKind.SLACK, "C0VENDAS", f"17000.00{n}") for n in (1, 2))
    for ref, text in ((typo, "Olá, com erro de digitaçao"), (gone, "Mensagem errada")):
        written = await core.conversations.thread_message(
            cid, ana, text, author_name="Ana", source=ref
        )
        # what the delivery worker records once the message is posted in the thread
        await store.threads.remember_message(cid, EventId(written.event_ids[0]), ref)
        await expect(ui.message(text)).to_have_count(1)

    assert await core.conversations.edit(typo, "Olá, sem erro de digitação", "Ana")
    fixed = ui.message("Olá, sem erro de digitação")
    await expect(fixed.get_by_text(EN["edited"])).to_be_visible()
    assert await core.conversations.edit(gone, None, "Ana")
    await expect(ui.message(EN["deleted"])).to_have_count(1)
    await expect(ui.message("Mensagem errada")).to_have_count(0)

    # what the delivery worker appends when a customer's message could not reach the team
    data = {"delivery_failed": "0-1", "channel": "slack", "reason": "gone", "internal": ""}
    now = clock.now()
    notice = EventSpec(
        event_json(EventKind.MESSAGE, now, SYSTEM, data=data), EventKind.MESSAGE, "post:*"
    )
    await store.conversations.append(cid, Action.SYSTEM_NOTICE, [notice], to_ms(now))
    await expect(ui.log.get_by_text(EN["not_delivered"])).to_be_visible()
    assert await ui.texts() == [
        "Hello!",
        "minha mensagem",
        "Olá, sem erro de digitação",
        EN["deleted"],
    ]


@pytest.mark.parametrize("settings_changes", [{"widget": {"rate": {"messages_per_minute": 2}}}])
async def test_a_refused_message_is_marked_not_sent(page: Page, shop: Shop) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    await ui.say("um")
    await ui.say("dois")
    await ui.message_box.fill("três")
    await ui.message_box.press("Enter")
    refused = ui.message("três")
    await expect(refused).to_contain_text(EN["not_sent"])
    await expect(refused).to_contain_text(EN["error_rate_limited"])
    await expect(ui.panel.get_by_role("alert")).to_have_text(EN["error_rate_limited"])


@pytest.mark.parametrize("settings_changes", [{"widget": {"uploads": {"max_bytes": 1024}}}])
async def test_files_too_large_or_of_another_type_are_refused_before_uploading(
    page: Page, shop: Shop
) -> None:
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if "/widget/upload" in r.url else None)
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    alert = ui.panel.get_by_role("alert")
    await ui.attach("grande.txt", "text/plain", b"x" * 2048)
    await expect(alert).to_have_text(EN["error_too_large"])
    await ui.attach("programa.exe", "application/x-msdownload", b"MZ")
    await expect(alert).to_have_text(EN["error_type"])
    await ui.attach("pequeno.txt", "text/plain", b"ok")
    await expect(ui.log.get_by_role("link", name=re.compile("pequeno.txt"))).to_be_visible()
    await expect(alert).to_have_text("")
    assert len(uploads) == 1


async def test_the_customer_ends_the_conversation(page: Page, shop: Shop, core: Core) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    end = ui.button(EN["end_conversation"])
    await end.focus()
    await page.keyboard.press("Enter")
    await expect(ui.log).to_contain_text(EN["closed"])
    await expect(end).to_be_hidden()
    await expect(ui.panel.get_by_role("radio", name=EN["stars"].format(n=1))).to_be_focused()
    assert (await core.conversations.get(await ui.conversation())).state.value == "closed"
