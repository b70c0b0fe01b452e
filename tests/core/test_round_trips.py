"""The hot path: a customer message costs one Redis round trip, an agent's two at most."""

from collections.abc import AsyncIterator

import pytest

from bench.roundtrips import Counter, counting_client
from bridge.core import Core
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef
from bridge.settings import Settings
from bridge.settings.directory import Directory
from bridge.store import Store
from tests.fakes import FakeClock
from tests.scenario import Scenario


@pytest.fixture
async def counted(
    redis_url: str, settings: Settings, clock: FakeClock
) -> AsyncIterator[tuple[Core, Counter]]:
    if not redis_url.startswith("unix://"):
        pytest.fail("the round-trip counter needs the embedded Redis's unix socket")
    counter = Counter()
    client = counting_client(redis_url.removeprefix("unix://"), counter)
    store = Store(client, client, settings.redis, Directory(settings).routes())
    yield Core.build(store, settings, clock), counter
    await client.aclose()


async def test_a_customer_message_costs_one_round_trip(
    counted: tuple[Core, Counter], clock: FakeClock
) -> None:
    core, counter = counted
    scenario = Scenario(core, clock)
    c = await scenario.in_service("ana")
    assert c.visitor_id is not None
    before = counter.sends
    await core.customers.say(c.visitor_id, c.id, "oi", client_id="rt-1")
    assert counter.sends - before == 1  # append.lua checks the owner, stores, rings, queues


async def test_an_agent_thread_message_costs_two_round_trips(
    counted: tuple[Core, Counter], clock: FakeClock
) -> None:
    core, counter = counted
    scenario = Scenario(core, clock)
    c = await scenario.in_service("ana")
    thread = "C0VENDAS/1700000000.000100"
    await core.links.conversation_for_thread(ChannelKind.SLACK, thread)  # warms the cache
    sends = []
    for n in range(2):  # the first also loads the script into Redis (EVALSHA, NOSCRIPT, LOAD)
        source = ExternalRef(
            ChannelKind.SLACK, "C0VENDAS", f"170000000{n}.000200", "1700000000.000100"
        )
        before = counter.sends
        await core.conversations.thread_message(
            c.id, scenario.agent("ana"), "olá", author_name="Ana", source=source, event_key=f"E{n}"
        )
        sends.append(counter.sends - before)
    assert sends[-1] == 2
