"""The queue (Fila): oldest first whatever the number of messages; positions; counters."""

from bridge.core import Core
from bridge.domain.model import ConversationState
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def test_queue_is_ordered_by_creation_time_not_by_activity(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    first = await scenario.queued("vendas", "First")
    clock.advance(60)
    second = await scenario.queued("vendas", "Second")
    clock.advance(60)
    third = await scenario.queued("vendas", "Third")
    for n in range(5):  # the newest writes a lot: it does not move up
        await scenario.say(third, f"hello {n}")
    page = await core.queries.queue(scenario.agent("ana"))
    assert [s.conversation.id for s in page.items] == [first.id, second.id, third.id]
    assert [s.position for s in page.items] == [1, 2, 3]
    assert page.total == 3


async def test_a_customer_sees_their_position_move(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    first = await scenario.queued("vendas")
    clock.advance(1)
    second = await scenario.queued("vendas")
    assert second.visitor_id is not None
    assert await core.customers.position(second.visitor_id, second.id) == 2
    await core.conversations.claim(first.id, scenario.agent("ana"))
    assert await core.customers.position(second.visitor_id, second.id) == 1


async def test_counters_count_only_the_agents_departments(scenario: Scenario, core: Core) -> None:
    await scenario.queued("vendas")
    await scenario.queued("vendas")
    await scenario.queued("suporte")
    await scenario.queued("financeiro")
    assert await core.queries.waiting_count(scenario.agent("ana")) == 2  # vendas
    assert await core.queries.waiting_count(scenario.agent("bruno")) == 3  # vendas + suporte
    assert await core.queries.waiting_count(scenario.agent("diego")) == 1  # financeiro
    assert await core.queries.waiting_count(scenario.agent("elisa")) == 4  # supervisor: all
    counters = {
        c.department_id: c.waiting for c in await core.queries.counters(scenario.agent("bruno"))
    }
    assert counters == {"vendas": 2, "suporte": 1}


async def test_queue_lists_only_accessible_departments_and_pages(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    made = []
    for dept in ["vendas", "suporte", "vendas", "financeiro", "suporte"]:
        made.append((await scenario.queued(dept)).id)
        clock.advance(10)
    bruno = scenario.agent("bruno")
    page1 = await core.queries.queue(bruno, limit=2)
    assert page1.cursor is not None
    page2 = await core.queries.queue(bruno, page1.cursor, limit=2)
    seen = [s.conversation.id for s in [*page1.items, *page2.items]]
    assert seen == [made[0], made[1], made[2], made[4]]  # no financeiro
    assert page2.cursor is None


async def test_the_queue_empties_as_chats_are_claimed(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued("suporte")
    await core.conversations.claim(c.id, scenario.agent("carla"))
    assert (await core.conversations.get(c.id)).state is ConversationState.IN_SERVICE
    assert (await core.queries.queue(scenario.agent("carla"))).items == []
