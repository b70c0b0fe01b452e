"""Claim: atomic, one winner among many; access and capacity respected."""

import asyncio

import pytest

from bridge.core import Core
from bridge.domain.errors import AlreadyClaimed, CapacityReached, Forbidden, IllegalTransition
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import AgentActor, ConversationState, Role
from tests.scenario import Scenario


def many_agents(n: int) -> list[AgentActor]:
    return [
        AgentActor(
            AgentId(f"agent{i}"), f"Agent {i}", Role.AGENT, frozenset({DepartmentId("vendas")}), 5
        )
        for i in range(n)
    ]


async def test_fifty_concurrent_claims_have_exactly_one_winner(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued("vendas")
    agents = many_agents(60)
    results = await asyncio.gather(
        *(core.conversations.claim(c.id, a) for a in agents), return_exceptions=True
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    winner = winners[0].assignee
    assert all(isinstance(e, AlreadyClaimed) for e in losers), {type(e) for e in losers}
    assert {e.winner for e in losers if isinstance(e, AlreadyClaimed)} == {winner}
    assert all(f"already claimed by {winner}" in str(e) for e in losers)
    final = await core.conversations.get(c.id)
    assert (final.state, final.assignee) == (ConversationState.IN_SERVICE, winner)
    log = await core.queries.details(c.id, scenario.agent("elisa"))
    assert [i.kind.value for i in log.timeline].count("claimed") == 1


async def test_claims_of_many_chats_by_one_agent_stop_at_capacity(
    scenario: Scenario, core: Core
) -> None:
    chats = [await scenario.queued("vendas", f"C{i}") for i in range(6)]
    ana = scenario.agent("ana")  # max_chats 3
    results = await asyncio.gather(
        *(core.conversations.claim(c.id, ana) for c in chats), return_exceptions=True
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 3
    assert all(isinstance(e, CapacityReached) and e.limit == 3 for e in refused)


async def test_an_agent_without_access_cannot_claim(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued("financeiro")
    with pytest.raises(Forbidden) as e:
        await core.conversations.claim(c.id, scenario.agent("ana"))
    assert "no access" in str(e.value)
    assert (await core.conversations.get(c.id)).state is ConversationState.QUEUED


async def test_a_supervisor_can_claim_anywhere(scenario: Scenario, core: Core) -> None:
    c = await scenario.queued("financeiro")
    claimed = await core.conversations.claim(c.id, scenario.agent("elisa"))
    assert claimed.assignee == "elisa"


async def test_claiming_a_chat_still_in_the_automatic_stage_is_illegal(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.automatic()
    with pytest.raises(IllegalTransition, match="in state automatic"):
        await core.conversations.claim(c.id, scenario.agent("elisa"))
