"""A process doing rule work against a shared Redis, for the multi-process tests:
`python -m tests.helpers.rules_process REDIS_URL PREFIX timers|distribute SECONDS`.
timers: fires the timers under `probe|…` (each firing is recorded in <prefix>test:fired);
distribute: runs automatic distribution of the vendas queue over and over."""

from __future__ import annotations

import asyncio
import sys
import time

from redis.asyncio import Redis

from bridge.core import Core
from bridge.core.timers import TimerRunner
from bridge.ports import SystemClock
from bridge.settings.directory import Directory
from bridge.store import Store
from tests.settings_factory import make_settings

AUTOMATIC = {
    "departments": [
        {"id": "vendas", "name": "Vendas", "rules": {"distribution": "automatic"}},
        {"id": "suporte", "name": "Suporte"},
        {"id": "financeiro", "name": "Financeiro"},
    ],
    "agents": [
        {"id": "ana", "name": "Ana", "departments": ["vendas"], "max_chats": 2},
        {"id": "bruno", "name": "Bruno", "departments": ["vendas"], "max_chats": 2},
        {"id": "carla", "name": "Carla", "departments": ["suporte"], "max_chats": 2},
        {"id": "elisa", "name": "Elisa", "role": "supervisor", "max_chats": 2},
    ],
}


async def main(url: str, prefix: str, what: str, seconds: float) -> None:
    settings = make_settings(prefix, AUTOMATIC)
    redis = Redis.from_url(url, decode_responses=True)
    store = Store(redis, redis, settings.redis, Directory(settings).routes())
    core = Core.build(store, settings, SystemClock())
    await redis.rpush(f"{prefix}test:ready", what)
    end = time.monotonic() + seconds
    if what == "timers":

        async def probe(arg: str) -> None:
            await redis.rpush(f"{prefix}test:fired", arg)

        runner = TimerRunner(store, SystemClock(), {"probe": probe})
        while time.monotonic() < end:
            await runner.run_due()
    else:
        while time.monotonic() < end:
            await core.distributor.dispatch(core.directory.department_ids[0])
    await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
