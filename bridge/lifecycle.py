"""Stopping owned background tasks reliably.

`task.cancel()` once is not always enough: a cancellation that arrives while a library is
inside Python 3.11's `asyncio.wait_for` (redis-py uses it around socket writes) can be
swallowed, and the task then runs on while its owner waits forever. `stop_task` lets the task
end by itself first (its owner has set a stop flag), then cancels it until it is done.
Importable from every package: it needs only the standard library.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("ponte.tasks")


async def stop_task(task: asyncio.Task[object] | asyncio.Task[None], *, grace: float = 0.0) -> None:
    if not task.done() and grace > 0:
        await asyncio.wait({task}, timeout=grace)
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
    error = None if task.cancelled() else task.exception()
    if error is not None and not isinstance(error, ConnectionError):  # a closed peer is normal
        log.error("task.failed", exc_info=error, extra={"task": task.get_name()})
