"""The GC tuner: what was alive is frozen (full collections skip it), and at every full period
it is unfrozen and collected, so cycles that died meanwhile are still freed."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator, Iterator

import pytest

from bridge.daemon.gc_tuning import GcTuner


class Ticks:
    """Stands in for asyncio.sleep: each tick() lets one sleep of the tuner return."""

    def __init__(self) -> None:
        self._ticks: asyncio.Queue[None] = asyncio.Queue()
        self.asleep = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.asleep.set()
        await self._ticks.get()

    async def tick(self) -> None:
        self.asleep.clear()
        self._ticks.put_nowait(None)
        await self.asleep.wait()  # the tuner did its work and sleeps again


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def dead_cycle() -> weakref.ref[Node]:
    """A reference cycle nothing points at: only the cyclic collector can free it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def manual_gc() -> Iterator[None]:
    gc.disable()  # no automatic collection in between: each step is the tuner's
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.fixture
async def ticks(manual_gc: None) -> AsyncIterator[Ticks]:
    clock = Ticks()
    tuner = GcTuner(60, 180, sleep=clock)
    async with tuner.lifespan():
        await clock.asleep.wait()
        yield clock
    assert gc.get_freeze_count() == 0  # stopping gives every object back to the collector


async def test_frozen_cycles_wait_for_the_full_collection(ticks: Ticks) -> None:
    gc.collect()
    cycle = dead_cycle()
    await ticks.tick()  # 60 s: frozen
    assert gc.get_freeze_count() > 0
    gc.collect()
    assert cycle() is not None  # a full collection skips what is frozen

    await ticks.tick()  # 120 s
    assert cycle() is not None
    await ticks.tick()  # 180 s: unfrozen, collected in full, frozen again
    assert cycle() is None
    assert gc.get_freeze_count() > 0


async def test_cycles_newer_than_the_freeze_are_collected_as_usual(ticks: Ticks) -> None:
    await ticks.tick()
    cycle = dead_cycle()
    gc.collect()
    assert cycle() is None


async def test_zero_seconds_leaves_the_collector_alone(manual_gc: None) -> None:
    tuner = GcTuner(0, 900)
    async with tuner.lifespan():
        assert not tuner.enabled
        assert gc.get_freeze_count() == 0
