"""Why round trips stall with many idle connections: the garbage collector, measured in-process.

    python -m bench.widget_gc [--connections 10000] [--watch 30] [--ping 25]

Runs the daemon's app (create_app, as `python -m bridge run` builds it) in this process, so
gc.callbacks can time every collection, then a bare aiohttp echo app the same way. For each:
the GC-tracked objects per idle connection and the time of a full collection with none and
with all the connections open. For the daemon it then watches `--watch` seconds of the idle
crowd (widget pings every `--ping` s): collections per generation with their longest pause,
and the event loop's lag (a 10 ms sleep's overshoot).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.latency import percentile
from bench.services import Helper, bench_prefix, raise_fd_limit, redis_server, settings_of
from bench.widget_bench import CHANGES
from bench.ws_echo import echo
from bridge.daemon.app import create_app
from tests.helpers.daemons import free_port, write_config


class Collections:
    """Every collection's generation and pause, from gc.callbacks."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((int(info["generation"]), time.perf_counter() - self._start))

    def summary(self) -> str:
        parts = []
        for generation in (0, 1, 2):
            pauses = [p for g, p in self.pauses if g == generation]
            longest = max(pauses, default=0.0) * 1000
            parts.append(f"gen{generation}: {len(pauses)} (longest {longest:.1f} ms)")
        return ", ".join(parts)


@contextmanager
def watching() -> Iterator[Collections]:
    found = Collections()
    gc.callbacks.append(found)
    try:
        yield found
    finally:
        gc.callbacks.remove(found)


def full_collection_ms() -> float:
    start = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - start) * 1000


async def lag(samples: list[float]) -> None:
    while True:
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        samples.append(time.perf_counter() - start - 0.01)


async def served(app: web.Application, path: str, args: argparse.Namespace, watch: float) -> str:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    url = f"http://127.0.0.1:{free_port()}"
    await web.TCPSite(runner, "127.0.0.1", int(url.rsplit(":", 1)[1])).start()
    crowd = await Helper.start(
        "bench.widget_crowd", [url, "--path", path, "--ping", str(args.ping)]
    )
    try:
        await crowd.ask({"open": 100})  # warm-up, not counted
        gc.collect()
        before, empty_ms = len(gc.get_objects()), full_collection_ms()
        opened = int((await crowd.ask({"open": args.connections}))["open"]) - 100
        gc.collect()
        per = (len(gc.get_objects()) - before) / max(1, opened)
        line = (
            f"{per:.0f} GC-tracked objects per connection; full collection "
            f"{empty_ms:.0f} ms with 100 connections, {full_collection_ms():.0f} ms with "
            f"{opened + 100}"
        )
        return line + (await observe(watch) if watch else "")
    finally:
        await crowd.stop()
        await runner.cleanup()


async def observe(seconds: float) -> str:
    samples: list[float] = []
    probe = asyncio.create_task(lag(samples))
    with watching() as collections:
        await asyncio.sleep(seconds)
    probe.cancel()
    ms = [s * 1000 for s in samples]
    return (
        f"\n  {seconds:g} s idle: {collections.summary()}; event loop lag p50 "
        f"{percentile(ms, 50):.2f} ms, p99 {percentile(ms, 99):.2f} ms, max {max(ms):.0f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    raise_fd_limit(65536)
    with tempfile.TemporaryDirectory(prefix="ponte-gc-bench-") as folder:
        async with redis_server(Path(folder) / "redis") as server:
            config = write_config(Path(folder) / "daemon", bench_prefix(), CHANGES)
            app = create_app(settings_of(config), env={"REDIS_URL": server.url})
            print("daemon app:", await served(app, "/widget/ws", args, args.watch), flush=True)
            bare = web.Application()
            bare.add_routes([web.get("/ws", echo)])
            print("bare aiohttp echo:", await served(bare, "/ws", args, 0.0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--watch", type=float, default=30.0)
    parser.add_argument("--ping", type=float, default=25.0)
    asyncio.run(main(parser.parse_args()))
