"""Waiting for state that another process changes, where there is no event to await (a lease
running out, another worker's progress). Everything inside one process waits on events."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def until(
    check: Callable[[], Awaitable[bool]], within: float = 10.0, every: float = 0.05
) -> None:
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110  # no event exists across processes
            await asyncio.sleep(every)
