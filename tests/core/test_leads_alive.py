"""Widget pings are buffered and written together: one pipeline for every visitor heard."""

from __future__ import annotations

from bridge.core import Core
from bridge.core.leads import LeadFilter
from bridge.domain.ids import VisitorId
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def online(core: Core) -> set[VisitorId]:
    page = await core.leads.online(LeadFilter(), limit=10_000)
    return {lead.visitor.id for lead in page.items}


async def test_pings_are_written_together_at_the_flush(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    crowd = [await scenario.visitor(f"https://shop.test/p{n}", f"P{n}") for n in range(1200)]
    clock.advance(61)
    assert await online(core) == set()  # quiet for a minute: offline

    for vid in crowd:
        core.leads.alive(vid)
        core.leads.alive(vid)  # a second tab of the same visitor
    assert await online(core) == set()  # buffered, not written yet
    assert await core.leads.flush() == 1200  # more than one pipeline's chunk
    assert [(await core.leads.visitor(vid)).online for vid in crowd] == [True] * 1200
    lead = await core.leads.visitor(crowd[0])
    assert (lead.pages_viewed, lead.page_url) == (1, "https://shop.test/p0")  # kept
    assert lead.last_seen == clock.now()
    assert await core.leads.flush() == 0  # nothing new


async def test_the_lifespan_writes_what_it_heard_on_the_way_out(
    scenario: Scenario, core: Core, clock: FakeClock
) -> None:
    vid = await scenario.visitor()
    clock.advance(61)
    async with core.leads.lifespan():
        core.leads.alive(vid)
    assert await online(core) == {vid}
