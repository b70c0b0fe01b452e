"""The host page's JavaScript API (docs/widget-api.md): window.Ponte, the ponte() command queue
for calls made before widget.js loads, the events, and identity verification with the site's
HMAC. See test_widget_flow.py for how these tests run."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.async_api import Page, WebSocketRoute, expect

from bridge.core import Core
from bridge.domain.model import Contact
from tests.browser.conftest import IDENTITY_SECRET, Shop
from tests.browser.widget_ui import EN, RECORDER, STUB, Heard, WidgetUI
from tests.scenario import Scenario
from widget.operations import sign_user
from widget.pages import DEMO_USER

MARIA = {
    "id": "user-42",
    "name": "Maria Souza",
    "email": "maria@loja.com",
    "phone": "+55 11 98888-7777",
    "fields": {"plano": "ouro"},
}


def queued(*calls: list[Any]) -> str:
    """Calls the page makes through the stub before widget.js loads."""
    lines = "".join(f"ponte(...{json.dumps(call)});" for call in calls)
    return f"<script>{lines}</script>"


async def contact_of(core: Core, ui: WidgetUI) -> Contact:
    """The contact of the conversation the widget shows."""
    c = await core.conversations.get(await ui.conversation())
    return await core.contacts.get(c.contact_id)


async def test_the_api_opens_closes_shows_and_hides_and_tells_the_page(
    page: Page, shop: Shop
) -> None:
    shop.head = RECORDER
    heard = Heard(page)
    ui = await WidgetUI(page).open(shop.page("/"))
    await heard.wait("ready")
    await page.evaluate("() => Ponte.open()")
    await expect(ui.panel).to_be_visible()
    await page.evaluate("() => Ponte.open()")  # already open: nothing new to tell
    await page.evaluate("() => ponte('close')")  # the command form works after the load too
    await expect(ui.panel).to_be_hidden()
    await ui.open_panel()  # the customer's own click and Escape are told the same way
    await page.keyboard.press("Escape")
    await expect(ui.panel).to_be_hidden()
    assert await heard.names() == ["ready", "opened", "closed", "opened", "closed"]

    await page.evaluate("() => Ponte.hide()")
    await expect(ui.launcher).to_be_hidden()
    await page.evaluate("() => Ponte.show()")
    await expect(ui.launcher).to_be_visible()

    removed = """() => {
        window.calls = 0;
        const count = () => calls++;
        Ponte.on("opened", count).off("opened", count);
        Ponte.open();
    }"""
    await page.evaluate(removed)
    await expect(ui.panel).to_be_visible()
    assert await page.evaluate("() => calls") == 0
    late = "() => new Promise((resolve) => Ponte.on('ready', () => resolve(true)))"
    assert await page.evaluate(late)  # a listener added after the fact still hears "ready"


async def test_agent_messages_and_the_close_reach_the_page_once(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    shop.head = RECORDER
    heard = Heard(page)
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    cid = await ui.conversation()
    [greeting] = await heard.wait("message")
    assert {k: greeting[k] for k in ("text", "author", "name", "conversation")} == {
        "text": "Hello!",
        "author": "bot",
        "name": EN["bot"],
        "conversation": cid,
    }
    await ui.say("preciso de ajuda")  # the customer's own messages are not news to the page
    await core.conversations.claim(cid, scenario.agent("ana"))
    replied = await core.conversations.reply(cid, scenario.agent("ana"), "Olá, Maria!")
    _, reply = await heard.wait("message", 2)
    assert reply == {
        "id": replied.event_ids[0],
        "conversation": cid,
        "text": "Olá, Maria!",
        "author": "agent",
        "name": "Ana",
    }
    await core.conversations.close(cid, scenario.agent("ana"))
    assert await heard.wait("conversation:closed") == [{"conversation": cid}]
    assert len(await heard.of("message")) == 2

    await page.reload()  # the replayed log is not news
    await expect(ui.log).to_contain_text(EN["closed"])
    await expect(ui.panel.get_by_role("radio")).to_have_count(5)
    await heard.wait("ready")
    assert set(await heard.names()) <= {"ready", "opened"}


async def test_calls_made_before_the_widget_loads_run_in_order(page: Page, shop: Shop) -> None:
    shop.head = STUB + queued(
        ["hide"],
        ["open"],
        ["identify", {"name": "Maria Silva", "email": "maria@example.com"}],  # no id: form only
    )
    ui = WidgetUI(page)
    await page.goto(shop.page("/"))
    await expect(ui.panel).to_be_visible()
    await expect(ui.host.locator(".l")).to_be_hidden()
    await ui.button(EN["start"]).click()
    await ui.button("Vendas").click()
    await expect(ui.field("Name")).to_have_value("Maria Silva")
    await expect(ui.field("E-mail")).to_have_value("maria@example.com")
    await page.evaluate("() => Ponte.show()")
    await expect(ui.launcher).to_be_visible()


async def test_a_vouched_identity_names_the_contact_and_is_sent_again_after_a_reconnection(
    page: Page, shop: Shop, core: Core
) -> None:
    sent: list[str] = []
    routes: list[WebSocketRoute] = []

    async def relay(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        routes.append(ws)

        def from_page(message: str | bytes) -> None:
            sent.append(json.loads(message)["t"])
            server.send(message)

        ws.on_message(from_page)
        server.on_message(ws.send)

    await page.route_web_socket("**/widget/ws", relay)
    user = {**MARIA, "hmac": sign_user(IDENTITY_SECRET, "user-42")}
    shop.head = RECORDER + queued(["identify", user])
    heard = Heard(page)
    ui = await WidgetUI(page).open(shop.page("/"))
    assert await heard.wait("identified") == [{"verified": True}]
    assert sent[:2] == ["hello", "identify"]  # before anything else the page asked for

    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await ui.button("Vendas").click()
    await expect(ui.field("Name")).to_have_value("Maria Souza")  # also fills in the form
    contact = await contact_of(core, ui)
    assert (contact.name, contact.email, contact.phone, contact.fields["plano"]) == (
        "Maria Souza",
        "maria@loja.com",
        "+55 11 98888-7777",
        "ouro",
    )
    assert contact.identities["site:default"] == "user-42"
    assert await page.evaluate("u => Ponte.identify(u)", user) is True  # a Promise, after load

    await routes[-1].close(code=4000, reason="connection lost")
    await heard.wait("identified", 3)  # the latest identity, sent again after the new welcome
    assert sent[-2:] == ["hello", "identify"]


async def test_a_forged_identity_is_ignored_and_the_visitor_stays_anonymous(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    victim = await scenario.visitor()
    owner = await core.customers.identify(victim, "default", "ceo", name="The CEO")
    forged = {"id": "ceo", "name": "Not the CEO", "email": "evil@x.com"}
    shop.head = RECORDER + queued(
        ["identify", {**forged, "hmac": sign_user("guessed-secret", "ceo")}]
    )
    heard = Heard(page)
    ui = await WidgetUI(page).open(shop.page("/"))
    assert await heard.wait("identified") == [{"verified": False}]
    for mac in ("00" * 32, "", sign_user(IDENTITY_SECRET, "ceo2")):
        assert await page.evaluate("u => Ponte.identify(u)", {**forged, "hmac": mac}) is False

    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await expect(ui.button("Vendas")).to_be_visible()
    mine = await contact_of(core, ui)
    assert mine.id != owner.id
    assert (mine.name, mine.email, mine.identities.get("site:default")) == ("", "", None)
    assert (await core.contacts.get(owner.id)).email == ""  # the real user's contact untouched


async def test_an_identity_the_server_refuses_resolves_false_without_bothering_the_customer(
    page: Page, shop: Shop
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    bad = {"id": "no spaces allowed", "hmac": sign_user(IDENTITY_SECRET, "no spaces allowed")}
    assert await page.evaluate("u => Ponte.identify(u)", bad) is False
    await ui.open_panel()
    await expect(ui.panel.get_by_role("alert")).to_have_text("")


@pytest.mark.parametrize("settings_changes", [{"server": {"demo_page": True}}])
async def test_the_demo_page_runs_the_api_and_identifies_its_demo_user(
    page: Page, shop: Shop, core: Core
) -> None:
    await page.goto(shop.daemon + "/")
    ui = WidgetUI(page)
    events = page.get_by_role("list", name="Eventos")
    await expect(events).to_contain_text("ready")
    await page.get_by_role("button", name="Abrir o chat").click()
    await expect(ui.panel).to_be_visible()
    await page.get_by_role("button", name="Fechar o chat").click()
    await expect(ui.panel).to_be_hidden()
    await page.get_by_role("button", name="Esconder o botão").click()
    await expect(ui.launcher).to_be_hidden()
    await page.get_by_role("button", name="Mostrar o botão").click()
    await expect(ui.launcher).to_be_visible()
    await expect(events.get_by_role("listitem").filter(has_text="closed")).to_have_count(1)

    await page.get_by_role("button", name="Identificar como cliente de demonstração").click()
    await expect(events).to_contain_text('identified {"verified":true}')
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await expect(ui.button("Vendas")).to_be_visible()
    contact = await contact_of(core, ui)
    assert (contact.name, contact.identities["site:default"]) == ("Cliente Demonstração", DEMO_USER)
