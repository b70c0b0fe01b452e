"""The widget on the customer's page: accessibility and the keyboard, a phone screen, the host
page's hostile CSS, the closed shadow root, unread badge and hidden-tab alerts, and text that
looks like HTML. See test_widget_flow.py for how these tests run."""

from __future__ import annotations

import re

from playwright.async_api import FloatRect, Page, expect

from bridge.core import Core
from tests.browser.conftest import NewContext, Shop
from tests.browser.widget_ui import EN, WidgetUI, first_pixel, png
from tests.scenario import Scenario
from widget.i18n import STRINGS

COLOR = (0x0B, 0x7A, 0x75)  # the settings' default widget colour, #0b7a75
HOTPINK = "rgb(255, 105, 180)"

UNLABELLED = """root => [...root.querySelectorAll("button, input, textarea, select")]
    .filter(el => !el.hidden && !el.getAttribute("aria-label") && !el.textContent.trim()
        && !(el.id && root.querySelector(`label[for="${el.id}"]`)))
    .map(el => el.outerHTML)"""


def close_to(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour, strict=True))


async def test_keyboard_alone_from_the_launcher_to_a_sent_message(
    page: Page, shop: Shop, core: Core
) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await expect(ui.launcher).to_have_attribute("aria-expanded", "false")
    await page.keyboard.press("Tab")  # the shop's own link comes first
    await expect(page.get_by_role("link", name="Next page")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(ui.launcher).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(ui.panel).to_be_visible()
    await expect(ui.launcher).to_have_attribute("aria-expanded", "true")

    start = ui.button(EN["start"])
    await expect(start).to_be_focused()
    await page.keyboard.press("Enter")
    departments = ui.panel.get_by_role("group", name=EN["choose_department"])
    await expect(departments.get_by_role("button")).to_have_count(3)
    await expect(ui.button("Vendas")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(ui.button("Suporte")).to_be_focused()
    await page.keyboard.press("Enter")

    await expect(ui.field("Name")).to_be_focused()
    await page.keyboard.type("Maria")
    await page.keyboard.press("Tab")
    await expect(ui.field("E-mail")).to_be_focused()
    await page.keyboard.type("maria@example.com")
    await page.keyboard.press("Enter")  # submits the form

    await expect(ui.message_box).to_be_focused()
    await page.keyboard.type("Olá, pelo teclado")
    await page.keyboard.press("Enter")
    await ui.sent("Olá, pelo teclado")
    assert await ui.message_box.input_value() == ""

    await page.keyboard.press("Escape")
    await expect(ui.panel).to_be_hidden()
    await expect(ui.launcher).to_be_focused()
    await expect(ui.launcher).to_have_attribute("aria-expanded", "false")


async def test_roles_and_labels(page: Page, shop: Shop, core: Core, scenario: Scenario) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.open_panel()
    await expect(ui.log).to_have_attribute("aria-live", "polite")
    await expect(ui.button(EN["close_panel"])).to_be_visible()
    assert await ui.shadow(UNLABELLED) == []
    await ui.button(EN["start"]).click()
    await expect(ui.button("Vendas")).to_be_visible()
    assert await ui.shadow(UNLABELLED) == []
    await ui.button("Vendas").click()
    for label in ("Name", "E-mail"):
        await expect(ui.field(label)).to_have_attribute("aria-required", "true")
    assert await ui.field("E-mail").get_attribute("type") == "email"
    assert await ui.shadow(UNLABELLED) == []
    await ui.fill_form("Maria", "maria@example.com")
    await expect(ui.button(EN["send"])).to_be_visible()
    await expect(ui.button(EN["attach"])).to_be_visible()
    assert await ui.shadow(UNLABELLED) == []
    cid = await ui.conversation()
    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.close(cid, scenario.agent("ana"))
    await expect(ui.panel.get_by_role("radio")).to_have_count(5)
    assert await ui.shadow(UNLABELLED) == []


async def test_it_fits_a_phone_screen(new_context: NewContext, shop: Shop) -> None:
    context = await new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    ui = await WidgetUI(await context.new_page()).open(shop.page("/"))
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await ui.button("Vendas").click()
    await ui.fill_form("Maria", "maria@example.com")
    await expect(ui.message_box).to_be_visible()
    panel = await ui.panel.bounding_box()
    assert panel == {"x": 0, "y": 0, "width": 360, "height": 640}  # full screen below 480 px
    for part in (ui.message_box, ui.button(EN["send"]), ui.button(EN["close_panel"])):
        box = await part.bounding_box()
        assert box is not None
        assert min(box["x"], box["y"]) >= 0
        assert box["x"] + box["width"] <= 360
        assert box["y"] + box["height"] <= 640
    await expect(ui.launcher).to_be_hidden()  # the panel covers the screen; its header closes it
    await ui.button(EN["close_panel"]).click()
    await expect(ui.launcher).to_be_visible()


async def test_the_hosts_hostile_css_does_not_reach_the_widget(page: Page, shop: Shop) -> None:
    ui = await WidgetUI(page).open(shop.page("/"))
    link = page.get_by_role("link", name="Next page")
    page_font = await link.evaluate("a => getComputedStyle(a).fontFamily")
    assert page_font == "serif"  # the page's own styles do apply to the page
    look = """(root, selector) => {
        const el = root.querySelector(selector), s = getComputedStyle(el);
        return [s.backgroundColor, s.fontSize, s.letterSpacing, s.fontFamily.includes("serif")
            && !s.fontFamily.includes("sans"), el.getBoundingClientRect().width];
    }"""
    assert await ui.shadow(look, ".l") == ["rgb(11, 122, 117)", "14px", "normal", False, 56]
    await ui.open_panel()
    background, size, spacing, serif, _ = await ui.shadow(look, ".pb")
    assert (background, size, spacing, serif) == ("rgb(11, 122, 117)", "14px", "normal", False)
    assert HOTPINK not in await ui.shadow(
        "root => [...root.querySelectorAll('button')].map(b => getComputedStyle(b).backgroundColor)"
    )


async def test_the_real_widget_lives_in_a_closed_shadow_root(
    new_context: NewContext, shop: Shop
) -> None:
    context = await new_context(open_shadow=False)
    page = await context.new_page()
    await page.goto(shop.page("/"))
    await page.wait_for_function("() => document.getElementById('ponte-widget')")
    assert await page.evaluate("() => document.getElementById('ponte-widget').shadowRoot") is None
    # the launcher is drawn in the widget's colour, not the page's hotpink: a pixel left of its
    # icon (56 px circle, 20 px from the bottom-right corner of a 1280 x 800 viewport)
    clip: FloatRect = {"x": 1280 - 48 - 18, "y": 800 - 48, "width": 1, "height": 1}
    await expect(page.locator("#ponte-widget")).to_be_attached()
    pixel = first_pixel(await page.screenshot(clip=clip))
    assert close_to(pixel, COLOR), pixel
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.id") == "ponte-widget"
    await page.keyboard.press("Enter")  # opens the panel: its header shows, in the colour
    header: FloatRect = {"x": 1280 - 20 - 300, "y": 800 - 88 - 600 + 4, "width": 1, "height": 1}
    assert close_to(first_pixel(await page.screenshot(clip=header)), COLOR)


async def test_unread_badge_and_the_hidden_tab_alerts(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    await page.add_init_script(
        """(() => {
            window.__beeps = 0;
            const make = AudioContext.prototype.createOscillator;
            AudioContext.prototype.createOscillator = function () {
                window.__beeps++; return make.call(this);
            };
        })();"""
    )
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    cid = await ui.conversation()
    await ui.button(EN["close_panel"]).click()
    badge = ui.host.locator(".b")
    await expect(badge).to_be_hidden()

    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.reply(cid, scenario.agent("ana"), "Oi, tudo bem?")
    await expect(badge).to_have_text("1")
    unread = f"{EN['open']}, {EN['unread'].format(count=1)}"
    await expect(ui.host.get_by_role("button", name=unread)).to_be_visible()

    await ui.set_hidden(True)
    await core.conversations.reply(cid, scenario.agent("ana"), "Ainda está aí?")
    await expect(page).to_have_title(EN["new_message_title"])
    await expect(badge).to_have_text("2")
    assert await page.evaluate("() => window.__beeps") >= 1
    await ui.set_hidden(False)
    await expect(page).to_have_title("Shop — home")

    await ui.host.get_by_role("button", name=re.compile(EN["open"])).click()
    await expect(badge).to_be_hidden()
    await expect(ui.launcher).to_have_accessible_name(EN["open"])
    await ui.button(EN["close_panel"]).click()
    await page.reload()  # what was read stays read
    await expect(ui.host.locator(".l")).to_be_visible()
    await core.conversations.reply(cid, scenario.agent("ana"), "Mais uma")
    await expect(badge).to_have_text("1")


async def test_text_that_looks_like_html_is_shown_as_text_and_never_runs(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    attack = "<img src=x onerror=alert(1)>"
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue(name="<b>Maria</b>")
    await ui.say(attack)
    await ui.attach("<img src=x onerror=alert(2)>.png", "image/png", png())
    # the server keeps a safe form of the name; either way it is only ever text (alt, link name)
    await expect(ui.log.get_by_role("img", name=re.compile(r"alert\(2\)\.png$"))).to_be_visible()
    cid = await ui.conversation()
    await core.conversations.claim(cid, scenario.agent("ana"))
    await core.conversations.reply(cid, scenario.agent("ana"), "<script>alert(3)</script><i>oi</i>")
    await expect(ui.message("<script>alert(3)</script><i>oi</i>")).to_have_count(1)

    await page.reload()  # and again from the replayed log
    await expect(ui.message(attack)).to_have_count(1)
    await expect(ui.message("<script>alert(3)</script><i>oi</i>")).to_have_count(1)
    injected = await ui.shadow(
        "root => root.querySelectorAll('img[src=x], script, b, i, .m img:not([src^=http])').length"
    )
    assert injected == 0
    assert await page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    # no dialog ever opened: the `new_context` fixture fails the test if one did


async def test_a_portuguese_browser_gets_the_portuguese_widget(
    new_context: NewContext, shop: Shop
) -> None:
    pt = STRINGS["pt-BR"]
    context = await new_context(locale="pt-BR")
    page = await context.new_page()
    await page.goto(shop.page("/"))
    launcher = page.locator("#ponte-widget").get_by_role("button", name=pt["open"])
    await launcher.click()
    panel = page.locator("#ponte-widget").get_by_role("dialog")
    await panel.get_by_role("button", name=pt["start"]).click()
    await expect(panel.get_by_text(pt["choose_department"])).to_be_visible()
    await expect(panel.get_by_role("button", name=pt["close_panel"])).to_be_visible()
