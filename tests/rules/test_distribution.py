"""Automatic distribution: the least busy online agent with access and room; waits when
nobody qualifies; atomic with several processes."""

from pathlib import Path

import pytest
from redis.asyncio import Redis

from bridge.core import Core
from bridge.domain.model import ConversationState, Presence
from bridge.settings import Settings
from tests.fakes import FakeClock
from tests.helpers.daemons import start_helper
from tests.helpers.rules_process import AUTOMATIC
from tests.scenario import Scenario
from tests.settings_factory import make_settings


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    return make_settings(prefix, {**AUTOMATIC, "widget": {"uploads": {"dir": str(tmp_path)}}})


async def online(core: Core, scenario: Scenario, *agents: str) -> None:
    for agent in agents:
        await core.agents.set_presence(scenario.agent(agent), Presence.ONLINE)


async def test_chats_go_to_the_least_busy_online_agent(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    await online(core, scenario, "ana", "bruno")
    first = await scenario.queued("vendas", "A")
    clock.advance(1)
    second = await scenario.queued("vendas", "B")
    got = {(await core.conversations.get(c.id)).assignee for c in (first, second)}
    assert got == {"ana", "bruno"}  # one each: the fewest active chats first
    third = await scenario.queued("vendas", "C")
    after_first = (await core.conversations.get(first.id)).assignee
    # the tie is broken by the longest idle: whoever got the first chat is busier for longer
    assert (await core.conversations.get(third.id)).assignee == after_first


async def test_nobody_online_means_the_chat_waits_and_is_assigned_when_someone_comes(
    scenario: Scenario, core: Core
) -> None:
    c = await scenario.queued("vendas")
    assert (await core.conversations.get(c.id)).state is ConversationState.QUEUED
    await core.agents.set_presence(scenario.agent("ana"), Presence.AWAY)
    assert (await core.conversations.get(c.id)).state is ConversationState.QUEUED
    await core.agents.set_presence(scenario.agent("bruno"), Presence.ONLINE)
    assert (await core.conversations.get(c.id)).assignee == "bruno"


async def test_capacity_is_respected_and_a_freed_seat_is_filled(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    await online(core, scenario, "ana")
    chats = []
    for n in range(3):
        chats.append(await scenario.queued("vendas", f"C{n}"))
        clock.advance(1)
    states = [(await core.conversations.get(c.id)).state for c in chats]
    assert states == [
        ConversationState.IN_SERVICE,
        ConversationState.IN_SERVICE,
        ConversationState.QUEUED,
    ]
    await core.conversations.close(chats[0].id, scenario.agent("ana"))
    assert (await core.conversations.get(chats[2].id)).assignee == "ana"


async def test_an_offline_agent_keeps_their_chats_but_gets_no_new_ones(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    await online(core, scenario, "ana")
    mine = await scenario.queued("vendas", "mine")
    await core.agents.set_presence(scenario.agent("ana"), Presence.OFFLINE)
    clock.advance(1)
    waiting = await scenario.queued("vendas", "waiting")
    assert (await core.conversations.get(mine.id)).assignee == "ana"
    assert (await core.conversations.get(waiting.id)).state is ConversationState.QUEUED


async def test_manual_departments_are_left_to_claims(scenario: Scenario, core: Core) -> None:
    await online(core, scenario, "carla")
    c = await scenario.queued("suporte")
    assert (await core.conversations.get(c.id)).state is ConversationState.QUEUED


async def test_two_processes_distributing_never_double_assign(
    scenario: Scenario, core: Core, redis: Redis, redis_url: str, prefix: str, clock: FakeClock
) -> None:
    chats = []
    for n in range(12):
        chats.append(await scenario.queued("vendas", f"C{n}"))  # nobody online yet: all wait
        clock.advance(1)
    workers = [
        await start_helper("rules_process", redis_url, prefix, "distribute", "4") for _ in range(2)
    ]
    for _ in workers:
        assert await redis.blpop([f"{prefix}test:ready"], timeout=30)
    for agent in ("ana", "bruno", "elisa"):  # room for six of the twelve, in total
        await core.agents.set_presence(scenario.agent(agent), Presence.ONLINE)
    for worker in workers:
        assert await worker.wait() == 0
    assigned = [(await core.conversations.get(c.id)).assignee for c in chats]
    taken = [a for a in assigned if a]
    assert len(taken) == 6
    assert {a: taken.count(a) for a in taken} == {"ana": 2, "bruno": 2, "elisa": 2}
    for agent in ("ana", "bruno", "elisa"):
        assert len(await redis.smembers(f"{prefix}agent:{agent}:active")) == 2
