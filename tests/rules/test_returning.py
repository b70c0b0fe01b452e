"""Reopening after a close, and the last agent's priority for a returning contact."""

from pathlib import Path
from typing import Any

import pytest

from bridge.core import Core
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.errors import Reserved
from bridge.domain.events import EventKind
from bridge.domain.model import ChannelKind, ConversationState, Presence
from bridge.settings import Settings
from tests.fakes import FakeClock, RecordingAgentChannel
from tests.scenario import Scenario
from tests.settings_factory import make_settings


def departments(vendas: dict[str, Any], suporte: dict[str, Any]) -> dict[str, Any]:
    return {
        "departments": [
            {"id": "vendas", "name": "Vendas", "slack_channel": "C0VENDAS", "rules": vendas},
            {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE", "rules": suporte},
            {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
        ]
    }


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    rules = departments({"reopen": "within 30"}, {"reopen": "always", "last_agent_minutes": 10})
    return make_settings(
        prefix,
        {
            **rules,
            "rules": {"reopen": "never", "last_agent_minutes": 0},
            "widget": {"uploads": {"dir": str(tmp_path)}},
        },
    )


async def test_within_the_window_the_same_conversation_reopens_with_the_same_online_agent(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    await core.agents.set_presence(scenario.agent("ana"), Presence.ONLINE)
    c = await scenario.closed("ana", "vendas")
    assert c.visitor_id is not None
    clock.advance(20 * 60)
    said = await core.customers.say(c.visitor_id, c.id, "esqueci uma coisa", client_id="r1")
    assert said.reopened
    assert said.conversation_id == c.id
    again = await core.conversations.get(c.id)
    assert (again.state, again.assignee, again.reopened) == (ConversationState.IN_SERVICE, "ana", 1)
    log = await core.customers.log(c.visitor_id, c.id, None)
    assert [i.kind for i in log][-2:] == [EventKind.REOPENED, EventKind.MESSAGE]
    history = await core.queries.history(scenario.agent("ana"))
    assert c.id not in [s.conversation.id for s in history.items]


async def test_an_offline_last_agent_means_back_in_the_queue(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.closed("ana", "vendas")  # Ana never said she is online
    assert c.visitor_id is not None
    clock.advance(60)
    await core.customers.say(c.visitor_id, c.id, "oi de novo", client_id="r2")
    again = await core.conversations.get(c.id)
    assert (again.state, again.assignee) == (ConversationState.QUEUED, None)
    assert await core.queries.waiting_count(scenario.agent("ana")) == 1


async def test_after_the_window_a_new_conversation_starts(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    c = await scenario.closed("ana", "vendas")
    assert c.visitor_id is not None
    clock.advance(31 * 60)
    said = await core.customers.say(c.visitor_id, c.id, "voltei", client_id="r3")
    assert said.new_conversation
    assert said.conversation_id != c.id
    assert (await core.conversations.get(c.id)).state is ConversationState.CLOSED


async def test_never_always_starts_a_new_conversation(scenario: Scenario, core: Core) -> None:
    c = await scenario.closed("diego", "financeiro")  # global rule: never
    assert c.visitor_id is not None
    said = await core.customers.say(c.visitor_id, c.id, "oi", client_id="r4")
    assert said.new_conversation


async def test_a_returning_contact_is_reserved_for_the_last_agent_for_a_while(
    scenario: Scenario,
    core: Core,
    clock: FakeClock,
    worker: DeliveryWorker,
    slack: RecordingAgentChannel,
) -> None:
    # suporte reopens always; force a new conversation by closing, then starting over
    first = await scenario.closed("bruno", "suporte")
    assert first.visitor_id is not None
    new = await core.customers.start_after(first)
    assert new.reserved_for == "bruno"
    with pytest.raises(Reserved, match="reserved for bruno"):
        await core.conversations.claim(new.id, scenario.agent("elisa"))
    page = await core.queries.queue(scenario.agent("elisa"))
    assert page.items[0].conversation.reserved_at(clock.now()) == "bruno"
    await worker.run_until_idle()
    told = [a for a in slack.of("alert") if a.extra["agent"] == "bruno"]
    assert len(told) == 1
    assert told[0].item is not None
    assert told[0].item.data["notice"] == "reserved"
    clock.advance(11 * 60)  # the priority ends: anyone with access may claim
    claimed = await core.conversations.claim(new.id, scenario.agent("elisa"))
    assert claimed.assignee == "elisa"


async def test_the_reserved_agent_may_claim_at_once(scenario: Scenario, core: Core) -> None:
    first = await scenario.closed("bruno", "suporte")
    new = await core.customers.start_after(first)
    claimed = await core.conversations.claim(new.id, scenario.agent("bruno"))
    assert claimed.assignee == "bruno"


async def test_a_reply_does_not_take_a_chat_reserved_for_someone_else(
    scenario: Scenario, core: Core
) -> None:
    from bridge.domain.access import ThreadMessage
    from bridge.domain.refs import ExternalRef

    first = await scenario.closed("bruno", "suporte")
    new = await core.customers.start_after(first)
    source = ExternalRef(ChannelKind.SLACK, "C0SUPORTE", "9.1")
    written = await core.conversations.thread_message(
        new.id, scenario.agent("elisa"), "eu pego", author_name="Elisa", source=source
    )
    assert written.outcome is ThreadMessage.NOTE  # stays internal; the chat stays reserved
    assert (await core.conversations.get(new.id)).state is ConversationState.QUEUED
    mine = ExternalRef(ChannelKind.SLACK, "C0SUPORTE", "9.2")
    by_bruno = await core.conversations.thread_message(
        new.id, scenario.agent("bruno"), "oi de novo", author_name="Bruno", source=mine
    )
    assert by_bruno.outcome is ThreadMessage.CLAIM_AND_REPLY
