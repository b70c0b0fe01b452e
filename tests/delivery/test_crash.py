"""A worker killed with SIGKILL mid-delivery: its lanes are taken over, nothing is lost and
nothing finished is delivered twice."""

import signal

from redis.asyncio import Redis

from bridge.core import Core
from bridge.delivery.policy import LaneSettings
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.model import ChannelKind
from bridge.store import Store
from tests.fakes import FakeClock, RecordingAgentChannel
from tests.helpers.daemons import start_helper
from tests.scenario import Scenario
from tests.waiting import until


async def test_entries_of_a_killed_worker_are_reclaimed_and_delivered_once(
    scenario: Scenario,
    store: Store,
    core: Core,
    clock: FakeClock,
    redis: Redis,
    redis_url: str,
    prefix: str,
) -> None:
    c = await scenario.queued("suporte")
    for text in ("m0", "HANG", "m2"):
        await scenario.say(c, text)
    process = await start_helper("worker_process", redis_url, prefix)
    try:
        signal_key = f"{prefix}test:signal"
        assert await redis.blpop([signal_key], timeout=20) == (signal_key, "started")
        assert await redis.blpop([signal_key], timeout=20) == (signal_key, "hanging")
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    done_by_the_dead = await redis.lrange(f"{prefix}test:calls", 0, -1)
    assert done_by_the_dead == [f"open:{c.id}", "post:m0"]

    lane = f"lane:slack:{store.keys.lane(c.id)}"

    async def lease_expired() -> bool:
        return await store.guards.lease_owner(lane) is None

    await until(lease_expired)  # the dead worker's lease runs out
    survivor = RecordingAgentChannel(ChannelKind.SLACK)
    worker = DeliveryWorker(store, core.directory, clock, [survivor], lanes=LaneSettings())
    await worker.run_until_idle()
    assert [i.text for i in survivor.items(c.id)] == ["HANG", "m2"]
    assert survivor.of("open_thread") == []  # the thread the dead worker opened is reused
    assert await store.outbox.backlog("slack", store.keys.lanes) == 0
