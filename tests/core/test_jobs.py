"""Durable inbound jobs: deduplicated, done once, retried, set aside, reclaimed from the dead."""

from typing import Any

from bridge.core import Core
from bridge.core.jobs import JobRunner
from bridge.store import Store


async def test_jobs_are_deduplicated_and_done_in_order(core: Core) -> None:
    seen: list[int] = []

    async def handle(job: dict[str, Any]) -> None:
        seen.append(job["n"])

    runner = core.jobs.runner("t", handle)
    assert await core.jobs.put("t", {"n": 1}, dedupe="Ev1")
    assert not await core.jobs.put("t", {"n": 1}, dedupe="Ev1")  # Slack's retry of Ev1
    assert await core.jobs.put("t", {"n": 2})
    assert await runner.run_until_idle() == 2
    assert seen == [1, 2]
    assert await core.jobs.size("t") == 0


async def test_a_failing_job_is_retried_then_set_aside(
    core: Core, store: Store, redis: Any
) -> None:
    attempts: list[int] = []

    async def handle(job: dict[str, Any]) -> None:
        attempts.append(job["n"])
        if job["n"] == 1 and len(attempts) < 3:
            raise RuntimeError("flaky")
        if job["n"] == 2:
            raise RuntimeError("always")

    async def no_sleep(seconds: float) -> None:
        return None

    runner = core.jobs.runner("r", handle, attempts=3, sleep=no_sleep)
    await core.jobs.put("r", {"n": 1})
    await core.jobs.put("r", {"n": 2})
    await runner.run_until_idle()
    assert attempts == [1, 1, 1, 2, 2, 2]
    dead = await redis.xrange(store.keys.inbox_dead("r"))
    assert len(dead) == 1
    assert "always" in dead[0][1]["reason"]


async def test_jobs_of_a_dead_consumer_are_reclaimed(core: Core, store: Store) -> None:
    await store.inbox.ensure_group("q")
    await core.jobs.put("q", {"n": 7})
    # a consumer reads the job and dies before finishing it
    taken = await store.inbox.wait("q", "dead-consumer", 10, 1)
    assert [p for _, p in taken] == ['{"n":7}']
    done: list[int] = []

    async def handle(job: dict[str, Any]) -> None:
        done.append(job["n"])

    survivor = JobRunner(store, "q", handle, reclaim_ms=0)
    assert await survivor.run_until_idle() == 0  # not its job yet
    await store.inbox.reclaim("q", survivor.consumer, 0)
    assert await survivor.run_until_idle() == 1
    assert done == [7]


async def test_a_job_given_up_is_reported(core: Core) -> None:
    reports: list[tuple[dict[str, Any], str]] = []

    async def handle(job: dict[str, Any]) -> None:
        raise ValueError("broken payload")

    async def report(job: dict[str, Any], reason: str) -> None:
        reports.append((job, reason))

    async def no_sleep(seconds: float) -> None:
        return None

    runner = core.jobs.runner("x", handle, attempts=2, sleep=no_sleep, on_dead=report)
    await core.jobs.put("x", {"user": "U0ANA"})
    await runner.run_until_idle()
    assert reports == [({"user": "U0ANA"}, "ValueError('broken payload')")]
