"""The automatic stage through the core: greeting, department, form, bot, hand-off."""

from typing import Any

import pytest

from bridge.core import Core
from bridge.domain.events import EventKind
from bridge.domain.flow import FlowStep
from bridge.domain.model import Author, ConversationState
from bridge.settings import Settings
from tests.scenario import Scenario
from tests.settings_factory import make_settings

BOT: dict[str, Any] = {
    "flow": {
        "bot": {
            "enabled": True,
            "prompt": "Can I help?",
            "menu": [
                {"id": "hours", "label": "Hours", "text": "9 to 5"},
                {"id": "human", "label": "A person"},
            ],
            "answers": [{"keywords": ["prazo"], "text": "Two days."}],
            "handoff_text": "Passing you on.",
        }
    },
    "departments": [
        {
            "id": "vendas",
            "name": "Vendas",
            "slack_channel": "C0VENDAS",
            "greeting": "Sales here!",
            "hours": {"sun": ["00:00-00:01"]},
            "offline_message": "We are closed; leave a message.",
        },
        {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE", "greeting": "Support!"},
        {"id": "financeiro", "name": "Financeiro"},
    ],
}


@pytest.fixture
def settings(prefix: str) -> Settings:
    return make_settings(prefix, BOT)


async def test_the_whole_automatic_stage(scenario: Scenario, core: Core) -> None:
    c = await scenario.automatic()
    vid = c.visitor_id
    assert vid is not None
    assert (c.state, c.flow_step) == (ConversationState.AUTOMATIC, FlowStep.DEPARTMENT.value)
    auto = await core.queries.automatic()
    assert [s.conversation.id for s in auto.items] == [c.id]

    await core.customers.choose_department(vid, c.id, "suporte")
    errors = await core.customers.submit_form(vid, c.id, {"name": "", "email": "nope"})
    assert errors.errors == {"name": "required", "email": "email"}
    ok = await core.customers.submit_form(vid, c.id, {"name": "João", "email": "joao@x.com"})
    assert ok.step is FlowStep.BOT

    await core.customers.say(vid, c.id, "qual o prazo?", client_id="q1")
    await core.customers.pick(vid, c.id, "hours")
    still = await core.conversations.get(c.id)
    assert still.state is ConversationState.AUTOMATIC
    await core.customers.pick(vid, c.id, "human")
    queued = await core.conversations.get(c.id)
    assert (queued.state, queued.department_id) == (ConversationState.QUEUED, "suporte")
    assert (await core.queries.automatic()).items == []

    log = await core.customers.log(vid, c.id, None)
    bot = [i.text for i in log if i.kind is EventKind.MESSAGE and i.actor.author is Author.BOT]
    assert bot == ["Hello!", "Support!", "Can I help?", "Two days.", "9 to 5", "Passing you on."]
    menu = next(i for i in log if i.text == "Can I help?")
    assert menu.data["options"] == "hours=Hours|human=A person"
    contact = await core.queries.contact(queued.contact_id)
    assert (contact.name, contact.email) == ("João", "joao@x.com")


async def test_a_department_outside_business_hours_still_takes_the_message(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.automatic()
    assert c.visitor_id is not None
    await core.customers.choose_department(c.visitor_id, c.id, "vendas")
    await core.customers.submit_form(c.visitor_id, c.id, {"name": "Ana", "email": "a@b.co"})
    await core.customers.pick(c.visitor_id, c.id, "human")
    queued = await core.conversations.get(c.id)
    assert queued.state is ConversationState.QUEUED
    assert queued.offline_message
    texts = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert "We are closed; leave a message." in texts


async def test_a_double_submit_from_two_tabs_applies_once(scenario: Scenario, core: Core) -> None:
    c = await scenario.automatic()
    assert c.visitor_id is not None
    await core.customers.choose_department(c.visitor_id, c.id, "suporte")
    await core.customers.choose_department(c.visitor_id, c.id, "vendas")  # the form step now
    current = await core.conversations.get(c.id)
    assert current.department_id == "suporte"
    kinds = [i.kind for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert kinds.count(EventKind.DEPARTMENT_CHOSEN) == 1


async def test_a_visitor_has_one_open_conversation(scenario: Scenario, core: Core) -> None:
    vid = await scenario.visitor()
    first = await core.customers.start(vid)
    second = await core.customers.start(vid)
    assert first.id == second.id
