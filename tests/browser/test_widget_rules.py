"""The customer's side of the service rules: the inactivity warning and the close that follows,
a conversation reopened by writing after the close, and automatic assignment. Timers are fired
through the core with the test clock. See test_widget_flow.py for how these tests run."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Page, expect

from bridge.core import Core
from bridge.domain.events import EventKind
from bridge.domain.model import ConversationState, Presence
from tests.browser.conftest import Shop, departments
from tests.browser.widget_ui import EN, RECORDER, Heard, WidgetUI
from tests.fakes import FakeClock
from tests.scenario import Scenario

INACTIVITY = {"rules": {"inactivity_warn_minutes": 10, "inactivity_close_minutes": 5}}


def automatic_sales() -> dict[str, Any]:
    found = departments()
    found[0] |= {"rules": {"distribution": "automatic"}}
    return {"departments": found}


@pytest.mark.parametrize("settings_changes", [INACTIVITY])
async def test_a_silent_customer_is_warned_then_the_conversation_closes(
    page: Page, shop: Shop, core: Core, scenario: Scenario, clock: FakeClock
) -> None:
    shop.head = RECORDER
    heard = Heard(page)
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    cid = await ui.conversation()
    await core.conversations.claim(cid, scenario.agent("ana"))
    await expect(ui.log).to_contain_text(EN["claimed"].format(agent="Ana"))
    await ui.button(EN["close_panel"]).click()

    clock.advance(9 * 60)
    await core.timers.run_due()
    clock.advance(2 * 60)
    await core.timers.run_due()  # the daemon's own timer loop may fire it first: once either way
    warning = ui.log.get_by_text(EN["inactivity_warning"])
    await expect(ui.host.locator(".b")).to_have_text("1")  # it counts as unread
    await ui.open_panel()
    await expect(warning).to_be_visible()
    assert [m["author"] for m in await heard.of("message")] == ["bot"]  # a notice, not a message

    clock.advance(5 * 60)
    await core.timers.run_due()
    await expect(ui.log).to_contain_text(EN["closed"])
    assert await heard.wait("conversation:closed") == [{"conversation": cid}]
    closed = await core.conversations.get(cid)
    assert (closed.state, closed.close_reason) == (ConversationState.CLOSED, "inactivity")


@pytest.mark.parametrize("settings_changes", [{"rules": {"reopen": "always"}}])
async def test_writing_after_the_close_reopens_the_conversation(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    ana = scenario.agent("ana")
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.reach_queue()
    cid = await ui.conversation()
    await core.conversations.claim(cid, ana)
    await core.conversations.close(cid, ana)
    await expect(ui.log).to_contain_text(EN["closed"])

    await ui.say("voltei")  # Ana is not online: back in the queue
    await expect(ui.log.get_by_text(EN["reopened"], exact=True)).to_be_visible()
    await expect(ui.status).to_have_text(EN["queue_position"].format(position=1))
    await expect(ui.panel.get_by_role("radio")).to_have_count(0)  # no rating while it is open
    assert await ui.conversation() == cid

    await core.conversations.claim(cid, ana)
    await core.conversations.close(cid, ana)
    await expect(ui.panel.get_by_role("radio")).to_have_count(5)
    await core.agents.set_presence(ana, Presence.ONLINE)
    await ui.say("mais uma coisa")  # straight back to Ana
    await expect(ui.log.get_by_text(EN["reopened_agent"].format(agent="Ana"))).to_be_visible()
    await expect(ui.status).to_have_text("")
    again = await core.conversations.get(cid)
    assert (again.state, again.assignee, again.reopened) == (ConversationState.IN_SERVICE, "ana", 2)


@pytest.mark.parametrize("settings_changes", [automatic_sales()])
async def test_an_automatic_assignment_reads_like_a_claim(
    page: Page, shop: Shop, core: Core, scenario: Scenario
) -> None:
    await core.agents.set_presence(scenario.agent("ana"), Presence.ONLINE)
    ui = await WidgetUI(page).open(shop.page("/"))
    await ui.open_panel()
    await ui.button(EN["start"]).click()
    await ui.button("Vendas").click()
    await ui.fill_form("Maria", "maria@example.com")
    await expect(ui.log).to_contain_text(EN["claimed"].format(agent="Ana"))
    await expect(ui.status).to_have_text("")
    cid, vid = await ui.conversation(), await ui.visitor()
    [claimed] = [i for i in await core.customers.log(vid, cid, None) if i.kind is EventKind.CLAIMED]
    assert claimed.data["automatic"] == "1"
