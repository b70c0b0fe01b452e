"""Keeps the cyclic garbage collector's full passes off the hot path.

With thousands of widget connections open, a process holds about a million objects the
collector tracks (some 94 per connection), and a full collection in CPython 3.11 walks them
all: about 400 ms with 10,000 connections (bench/widget_gc.py), while no message moves.

Every `freeze_seconds` the tuner moves the objects alive then into the permanent generation
(`gc.freeze`), so the collections that follow scan only what is newer. Every `full_seconds` it
unfreezes them and runs one full collection, so cycles that died in the meantime are still
freed: one long pause every quarter of an hour instead of one every half minute. Objects
freed by reference counting, nearly all of them, are freed at once, frozen or not.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from bridge.lifecycle import stop_task

log = logging.getLogger("ponte.gc")

Sleep = Callable[[float], Awaitable[None]]


class GcTuner:
    def __init__(
        self, freeze_seconds: float, full_seconds: float, *, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._freeze, self._full, self._sleep = freeze_seconds, full_seconds, sleep

    @property
    def enabled(self) -> bool:
        return self._freeze > 0

    async def run(self) -> None:
        since_full = 0.0
        try:
            while True:
                await self._sleep(self._freeze)
                since_full += self._freeze
                if since_full >= self._full:
                    since_full = 0.0
                    self._full_collection()
                gc.freeze()
        finally:
            gc.unfreeze()

    def _full_collection(self) -> None:
        started = time.perf_counter()
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        found = gc.collect()
        ms = round((time.perf_counter() - started) * 1000, 1)
        log.info("gc.full_collection", extra={"objects": frozen, "freed": found, "ms": ms})

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        if not self.enabled:
            yield
            return
        task = asyncio.create_task(self.run(), name="gc-tuner")
        try:
            yield
        finally:
            await stop_task(task)
