"""Transfer, close, rating and what happens when a customer writes after a close."""

import pytest

from bridge.core import Core
from bridge.domain.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from bridge.domain.events import EventKind
from bridge.domain.ids import AgentId, DepartmentId, new_visitor_id
from bridge.domain.model import ConversationState
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def test_transfer_to_a_department_puts_it_back_in_that_queue(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("bruno", "vendas")
    moved = await core.conversations.transfer(
        c.id, scenario.agent("bruno"), department=DepartmentId("suporte"), note="VIP"
    )
    assert (moved.state, moved.department_id, moved.assignee) == (
        ConversationState.QUEUED,
        "suporte",
        None,
    )
    assert await core.queries.waiting_count(scenario.agent("carla")) == 1
    assert await core.queries.waiting_count(scenario.agent("ana")) == 0
    details = await core.queries.details(c.id, scenario.agent("elisa"))
    transferred = next(i for i in details.timeline if i.kind is EventKind.TRANSFERRED)
    assert transferred.data["from_department"] == "vendas"
    assert transferred.data["department"] == "suporte"
    assert transferred.text == "VIP"


async def test_transfer_to_an_agent_puts_it_straight_into_their_service(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana", "vendas")
    moved = await core.conversations.transfer(c.id, scenario.agent("ana"), agent=AgentId("bruno"))
    assert (moved.state, moved.assignee) == (ConversationState.IN_SERVICE, "bruno")
    chats = await core.queries.in_service(scenario.agent("elisa"))
    assert [s.conversation.assignee for s in chats.items] == ["bruno"]


async def test_transfer_to_an_agent_without_access_is_refused(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana", "vendas")
    with pytest.raises(Forbidden, match="diego"):
        await core.conversations.transfer(
            c.id, scenario.agent("ana"), department=DepartmentId("vendas"), agent=AgentId("diego")
        )


async def test_transfer_to_an_unknown_department_or_agent_is_not_found(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.in_service("ana")
    with pytest.raises(NotFound, match="department not found: nope"):
        await core.conversations.transfer(
            c.id, scenario.agent("ana"), department=DepartmentId("nope")
        )
    with pytest.raises(NotFound, match="agent not found: zed"):
        await core.conversations.transfer(c.id, scenario.agent("ana"), agent=AgentId("zed"))


async def test_close_frees_capacity_and_moves_to_history(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service("ana")
    closed = await core.conversations.close(c.id, scenario.agent("ana"), "solved")
    assert (closed.state, closed.close_reason, closed.closed_by) == (
        ConversationState.CLOSED,
        "solved",
        "ana",
    )
    history = await core.queries.history(scenario.agent("ana"))
    assert [s.conversation.id for s in history.items] == [c.id]
    with pytest.raises(IllegalTransition, match=r"cannot close .* in state closed"):
        await core.conversations.close(c.id, scenario.agent("ana"))


async def test_rating_once_with_comment(scenario: Scenario, core: Core) -> None:
    c = await scenario.closed()
    assert c.visitor_id is not None
    await core.customers.rate(c.visitor_id, c.id, 5, "Ótimo atendimento")
    rated = await core.conversations.get(c.id)
    assert (rated.rating, rated.rating_comment) == (5, "Ótimo atendimento")
    with pytest.raises(InvalidInput, match="already rated"):
        await core.customers.rate(c.visitor_id, c.id, 1)
    with pytest.raises(InvalidInput, match="1 to 5"):
        await core.customers.rate(c.visitor_id, c.id, 9)


async def test_rating_an_open_conversation_is_illegal(scenario: Scenario, core: Core) -> None:
    c = await scenario.in_service()
    assert c.visitor_id is not None
    with pytest.raises(IllegalTransition):
        await core.customers.rate(c.visitor_id, c.id, 4)


async def test_writing_after_close_starts_a_linked_conversation_in_the_same_queue(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    old = await scenario.closed("ana", "vendas")
    assert old.visitor_id is not None
    clock.advance(3600)
    said = await core.customers.say(old.visitor_id, old.id, "Oi de novo", client_id="again-1")
    assert said.new_conversation
    assert said.conversation_id != old.id
    new = await core.conversations.get(said.conversation_id)
    assert (new.state, new.department_id, new.previous_id) == (
        ConversationState.QUEUED,
        "vendas",
        old.id,
    )
    assert new.contact_id == old.contact_id
    log = await core.customers.log(old.visitor_id, new.id, None)
    assert [i.text for i in log if i.kind is EventKind.MESSAGE] == ["Oi de novo"]
    history = await core.queries.details(new.id, scenario.agent("ana"))
    assert [h.id for h in history.history] == [old.id]


async def test_customers_cannot_touch_another_visitors_conversation(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued()
    assert c.visitor_id is not None
    before = await core.customers.log(c.visitor_id, c.id, None)
    stranger = new_visitor_id()
    with pytest.raises(NotFound):
        await core.customers.say(stranger, c.id, "hi", client_id="x1")
    with pytest.raises(NotFound):
        await core.customers.log(stranger, c.id, None)
    closed = await scenario.closed()
    with pytest.raises(NotFound):  # nor start a new one by writing after someone else's close
        await core.customers.say(stranger, closed.id, "hi", client_id="x2")
    assert await core.customers.log(c.visitor_id, c.id, None) == before  # nothing changed


async def test_a_resent_message_counts_once(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued()
    assert c.visitor_id is not None
    first = await core.customers.say(c.visitor_id, c.id, "same", client_id="abc")
    again = await core.customers.say(c.visitor_id, c.id, "same", client_id="abc")
    assert again.duplicate
    assert again.event_id == first.event_id
    log = await core.customers.log(c.visitor_id, c.id, None)
    assert [i.text for i in log].count("same") == 1


async def test_oversized_and_empty_messages_are_refused_and_nothing_is_stored(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued()
    assert c.visitor_id is not None
    before = await core.customers.log(c.visitor_id, c.id, None)
    with pytest.raises(InvalidInput, match="too long"):
        await core.customers.say(c.visitor_id, c.id, "x" * 5000, client_id="big")
    with pytest.raises(InvalidInput, match="needs text"):
        await core.customers.say(c.visitor_id, c.id, "   ", client_id="empty")
    assert await core.customers.log(c.visitor_id, c.id, None) == before
