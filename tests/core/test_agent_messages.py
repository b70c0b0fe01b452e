"""Thread messages: the holder replies, others write notes, waiting chats claim on reply."""

from collections.abc import Awaitable, Callable

import pytest

from bridge.core import Core
from bridge.domain.access import ThreadMessage
from bridge.domain.errors import Forbidden
from bridge.domain.events import EventKind
from bridge.domain.model import ChannelKind, ConversationState
from bridge.domain.refs import ExternalRef
from tests.scenario import Scenario


def ref(ts: str) -> ExternalRef:
    return ExternalRef(ChannelKind.SLACK, "C0VENDAS", ts, "1000.1")


async def test_the_holder_replies_to_the_customer(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    written = await core.conversations.thread_message(
        c.id, scenario.agent("ana"), "Olá, Maria!", author_name="Ana", source=ref("1.1")
    )
    assert written.outcome is ThreadMessage.REPLY
    assert c.visitor_id is not None
    seen = await core.customers.log(c.visitor_id, c.id, None)
    assert "Olá, Maria!" in [i.text for i in seen]
    assert (await core.conversations.get(c.id)).first_response_at is not None


async def test_notes_never_reach_the_customer(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    by_prefix = await core.conversations.thread_message(
        c.id,
        scenario.agent("ana"),
        "cliente VIP",
        author_name="Ana",
        source=ref("1.2"),
        as_note=True,
    )
    by_other = await core.conversations.thread_message(
        c.id, scenario.agent("bruno"), "posso ajudar?", author_name="Bruno", source=ref("1.3")
    )
    by_stranger = await core.conversations.thread_message(
        c.id, None, "quem é?", author_name="Zé do canal", source=ref("1.4")
    )
    assert {by_prefix.outcome, by_other.outcome, by_stranger.outcome} == {ThreadMessage.NOTE}
    assert c.visitor_id is not None
    seen = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert not {"cliente VIP", "posso ajudar?", "quem é?"} & set(seen)
    timeline = (await core.queries.details(c.id, scenario.agent("ana"))).timeline
    notes = [i for i in timeline if i.kind is EventKind.NOTE]
    assert [n.actor.name for n in notes] == ["Ana", "Bruno", "Zé do canal"]


async def test_a_reply_in_a_waiting_chat_claims_it_first(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued("vendas")
    written = await core.conversations.thread_message(
        c.id, scenario.agent("ana"), "Oi!", author_name="Ana", source=ref("2.1")
    )
    assert written.outcome is ThreadMessage.CLAIM_AND_REPLY
    assert (await core.conversations.get(c.id)).assignee == "ana"


async def test_a_redelivered_vendor_event_acts_once(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    ana = scenario.agent("ana")
    first = await core.conversations.thread_message(
        c.id, ana, "uma vez", author_name="Ana", source=ref("3.1"), event_key="Ev1"
    )
    again = await core.conversations.thread_message(
        c.id, ana, "uma vez", author_name="Ana", source=ref("3.1"), event_key="Ev1"
    )
    assert first.outcome is ThreadMessage.REPLY
    assert again.outcome is None
    assert c.visitor_id is not None
    texts = [i.text for i in await core.customers.log(c.visitor_id, c.id, None)]
    assert texts.count("uma vez") == 1


async def test_reply_command_requires_holding_the_chat(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    with pytest.raises(Forbidden, match="held by Ana"):
        await core.conversations.reply(c.id, scenario.agent("bruno"), "eu respondo")


async def test_edits_and_deletes_of_a_reply_reach_the_customer(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana")
    await core.conversations.thread_message(
        c.id, scenario.agent("ana"), "preço: 10", author_name="Ana", source=ref("4.1")
    )
    assert await core.conversations.edit(ref("4.1"), "preço: 12", "Ana")
    assert await core.conversations.edit(ref("4.1"), None, "Ana")
    assert not await core.conversations.edit(ref("9.9"), "unknown", "Ana")
    assert c.visitor_id is not None
    log = await core.customers.log(c.visitor_id, c.id, None)
    edit, delete = [i for i in log if i.kind in (EventKind.EDITED, EventKind.DELETED)]
    original = next(i for i in log if i.text == "preço: 10")
    assert (edit.text, edit.data["target"]) == ("preço: 12", original.id)
    assert delete.data["target"] == original.id


async def test_peek_reads_without_taking_and_leaves_a_timeline_entry(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued("vendas")
    await scenario.say(c, "alguém aí?")
    peek = await core.conversations.peek(c.id, scenario.agent("bruno"))
    assert "alguém aí?" in [i.text for i in peek.items]
    after = await core.conversations.get(c.id)
    assert (after.state, after.assignee) == (ConversationState.QUEUED, None)
    timeline = (await core.queries.details(c.id, scenario.agent("elisa"))).timeline
    assert [i.data.get("agent") for i in timeline if i.kind is EventKind.PEEKED] == ["bruno"]
    assert c.visitor_id is not None
    seen = await core.customers.log(c.visitor_id, c.id, None)
    assert EventKind.PEEKED not in {i.kind for i in seen}


@pytest.mark.parametrize("operation", ["peek", "note", "transfer", "close", "details"])
async def test_agents_cannot_touch_departments_they_may_not_access(
    operation: str, scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued("financeiro")
    ana = scenario.agent("ana")
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "peek": lambda: core.conversations.peek(c.id, ana),
        "note": lambda: core.conversations.note(c.id, ana, "x"),
        "transfer": lambda: core.conversations.transfer(
            c.id, ana, agent=None, department=c.department_id
        ),
        "close": lambda: core.conversations.close(c.id, ana),
        "details": lambda: core.queries.details(c.id, ana),
    }
    with pytest.raises(Forbidden, match="no access to financeiro"):
        await calls[operation]()
    assert (await core.conversations.get(c.id)).state is ConversationState.QUEUED
