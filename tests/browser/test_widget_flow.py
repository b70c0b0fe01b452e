"""The widget in a real headless Chromium, end to end.

How these tests run: one Chromium for the session (Debian's `chromium` on PATH, or Playwright's
own; the suite fails when neither exists), a fresh context per test, the real daemon
(`create_app`) on one origin and a shop page embedding `widget.js` on another. Agents act through
the core in the test process, on the same Redis, so the widget hears them through the doorbell.
Tests wait on conditions (`expect`, `wait_for_function`), never on sleeps. The shadow root is
opened for Playwright by an init script (see conftest.OPEN_SHADOW); test_widget_page.py checks the
real, closed one.
"""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Page, expect

from bridge.core import Core
from bridge.domain.model import ConversationState
from tests.browser.conftest import Shop
from tests.browser.widget_ui import EN, WidgetUI, png
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def test_a_customer_goes_from_the_greeting_to_an_agent(
    page: Page, shop: Shop, core: Core, scenario: Scenario, clock: FakeClock
) -> None:
    ahead = await scenario.queued("vendas", "Ahead")
    clock.advance(1)  # the queue orders by creation time
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await expect(ui.message("Hello!")).to_have_count(1)  # the configured greeting, from the bot
    await ui.button("Vendas").click()

    await ui.fill_form("Maria", "maria@")
    email = ui.field("E-mail")
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(email).to_have_accessible_description(EN["email"])
    await expect(ui.field("Name")).not_to_have_attribute("aria-invalid", "true")
    await ui.fill_form("Maria", "maria@example.com")

    await expect(ui.status).to_have_text(EN["queue_position"].format(position=2))
    await core.conversations.claim(ahead.id, scenario.agent("ana"))
    await expect(ui.status).to_have_text(EN["queue_position"].format(position=1))

    await ui.say("Oi, preciso de ajuda")
    cid = await ui.conversation()
    vid = await ui.visitor()
    said = [i.text for i in await core.customers.log(vid, cid, None) if i.kind.value == "message"]
    assert said[-1] == "Oi, preciso de ajuda"

    await core.conversations.claim(cid, scenario.agent("ana"))
    await expect(ui.log).to_contain_text(EN["claimed"].format(agent="Ana"))
    await expect(ui.status).to_have_text("")
    await core.conversations.reply(cid, scenario.agent("ana"), "Olá Maria! Como posso ajudar?")
    reply = ui.message("Olá Maria! Como posso ajudar?")
    await expect(reply.locator(".n")).to_have_text("Ana")
    assert (await core.conversations.get(cid)).state is ConversationState.IN_SERVICE


async def test_reload_navigation_and_a_second_tab_continue_the_same_conversation(
    page: Page, context: BrowserContext, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    await ui.say("primeira")
    cid = await ui.conversation()
    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.reply(cid, scenario.agent("ana"), "segunda")
    await expect(ui.message("segunda")).to_have_count(1)
    before = await ui.texts()

    await page.reload()
    await expect(ui.panel).to_be_visible()  # it stays open across pages of the site
    await expect(ui.message("segunda")).to_have_count(1)
    assert await ui.texts() == before  # the whole conversation, once each, in order

    await page.get_by_role("link", name="Next page").click()
    await expect(page).to_have_title("Shop — page 2")
    await expect(ui.message("segunda")).to_have_count(1)
    await ui.say("da página 2")
    assert await ui.conversation() == cid

    other = WidgetUI(await context.new_page())
    await other.open(shop.page("/"))
    await other.open_panel()
    await expect(other.message("da página 2")).to_have_count(1)
    await ui.say("de uma aba")
    await expect(other.message("de uma aba")).to_have_count(1)
    await core.conversations.reply(cid, scenario.agent("ana"), "para as duas abas")
    await expect(ui.message("para as duas abas")).to_have_count(1)
    await expect(other.message("para as duas abas")).to_have_count(1)
    assert await other.texts() == await ui.texts()


async def test_an_image_is_uploaded_and_previewed_and_an_agent_file_is_a_link(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    picture = png()
    await ui.attach("foto.png", "image/png", picture)
    preview = ui.log.get_by_role("img", name="foto.png")
    await expect(preview).to_be_visible()
    assert await preview.evaluate("img => img.complete && img.naturalWidth") == 8
    src = await preview.get_attribute("src")
    assert (src or "").startswith(shop.daemon + "/widget/files/")

    cid, vid = await ui.conversation(), await ui.visitor()
    items = [i for i in await core.customers.log(vid, cid, None) if i.attachments]
    assert [(a.name, a.mime, a.size) for a in items[-1].attachments] == [
        ("foto.png", "image/png", len(picture))
    ]

    await core.conversations.claim(cid, scenario.agent("ana"))
    notes = await core.files.save(cid, b"order 1234\n", "pedido.txt", "text/plain")
    await core.conversations.reply(cid, scenario.agent("ana"), "segue", attachments=(notes,))
    link = ui.log.get_by_role("link", name="pedido.txt")
    await expect(link).to_be_visible()
    href = await link.get_attribute("href") or ""
    assert href.startswith(shop.daemon + "/widget/files/")
    download = await page.request.get(href)
    assert await download.body() == b"order 1234\n"


async def test_the_customer_sees_the_close_rates_it_and_starts_again(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    cid = await ui.conversation()
    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.close(cid, scenario.agent("ana"), "solved")
    await expect(ui.log).to_contain_text(EN["closed"])
    await expect(ui.button(EN["end_conversation"])).to_be_hidden()

    send = ui.button(EN["rate_send"])
    await expect(send).to_be_disabled()  # until a star is chosen
    await ui.panel.get_by_role("radio", name=EN["stars"].format(n=4)).check()
    await ui.field(EN["rate_comment"]).fill("Rápido e <b>gentil</b>")
    await send.click()
    await expect(ui.panel.get_by_text(EN["rate_thanks"])).to_be_visible()
    rated = await core.conversations.get(cid)
    assert (rated.rating, rated.rating_comment) == (4, "Rápido e <b>gentil</b>")

    await ui.button(EN["new_conversation"]).click()
    await expect(ui.button("Vendas")).to_be_visible()  # a new conversation, from the start
    assert await ui.conversation() != cid
    assert await ui.texts() == ["Hello!"]


async def test_writing_after_the_close_opens_a_new_conversation_in_the_queue(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    old = await ui.conversation()
    await core.conversations.claim(old, scenario.agent("ana"))
    await core.conversations.close(old, scenario.agent("ana"))
    await expect(ui.log).to_contain_text(EN["closed"])
    await ui.say("voltei")
    await expect(ui.status).to_have_text(EN["queue_position"].format(position=1))
    new = await ui.conversation()
    assert new != old
    assert await ui.texts() == ["voltei"]
    assert (await core.conversations.get(new)).previous_id == old


async def test_a_closed_department_takes_a_message_for_later(
    page: Page, shop: Shop, core: Core
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    closed = ui.button(f"Financeiro {EN['department_offline']}")
    await expect(closed).to_be_visible()  # marked, and still choosable
    await expect(ui.button("Vendas")).to_be_visible()
    await closed.click()
    await expect(ui.message("Voltamos sábado.")).to_have_count(1)
    await ui.fill_form("Maria", "maria@example.com")
    await expect(ui.status).to_contain_text(EN["queued_offline"])
    await expect(ui.status).to_contain_text(EN["queue_position"].format(position=1))
    await ui.say("Quero a segunda via do boleto")
    conversation = await core.conversations.get(await ui.conversation())
    assert (conversation.department_id, conversation.offline_message) == ("financeiro", True)


BOT = {
    "flow": {
        "bot": {
            "enabled": True,
            "prompt": "Posso ajudar com:",
            "menu": [
                {"id": "prazo", "label": "Prazo de entrega", "text": "Entregamos em 3 dias."},
                {"id": "humano", "label": "Falar com uma pessoa"},
            ],
            "answers": [{"keywords": ["troca"], "text": "Trocas em até 30 dias."}],
            "handoff_on_unknown": False,
            "unknown_text": "Não entendi.",
            "handoff_text": "Vou chamar alguém do time.",
        }
    }
}


@pytest.mark.parametrize("settings_changes", [BOT])
async def test_the_bot_answers_from_its_menu_and_hands_over_to_a_person(
    page: Page, shop: Shop, core: Core
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await ui.button("Vendas").click()
    await ui.fill_form("Maria", "maria@example.com")
    prompt = ui.message("Posso ajudar com:")
    await expect(prompt.locator(".n")).to_have_text(EN["bot"])
    await expect(ui.message_box).to_be_visible()  # the customer may also write
    await ui.say("Como faço uma troca?")
    await expect(ui.message("Trocas em até 30 dias.")).to_have_count(1)
    await prompt.get_by_role("button", name="Prazo de entrega").click()
    await expect(ui.message("Entregamos em 3 dias.")).to_have_count(1)
    await prompt.get_by_role("button", name="Falar com uma pessoa").click()
    await expect(ui.message("Vou chamar alguém do time.")).to_have_count(1)
    await expect(ui.status).to_have_text(EN["queue_position"].format(position=1))
    await expect(prompt.get_by_role("button", name="Prazo de entrega")).to_be_disabled()
    assert (await core.conversations.get(await ui.conversation())).department_id == "vendas"
