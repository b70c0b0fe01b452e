"""Idle widget connections for bench/widget_bench.py, in a process of their own:

    python -m bench.widget_crowd URL [--path /widget/ws] [--ping 25] [--concurrency 50]

Commands are JSON lines on stdin: `{"open": K}` opens K more connections (each sends `hello`
and waits for its `welcome`) and answers `{"open": total, "failed": n, "seconds": s}`; end of
input closes them all. An idle connection does what an idle widget.js tab does: it answers the
server's WebSocket pings and sends a `ping` frame every `--ping` seconds (0: never), starting at
a random phase so the crowd's pings spread evenly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from contextlib import suppress
from typing import Any

import aiohttp

from bench.services import commands, raise_fd_limit

ORIGIN = "http://shop.test"


def hello() -> str:
    page = {"url": "http://shop.test/", "title": "Shop", "referrer": ""}
    frame = {"t": "hello", "visitor": None, "site": "default", "conversation": None}
    return json.dumps({**frame, "last": None, "page": page})


async def welcomed(
    http: aiohttp.ClientSession, url: str, path: str = "/widget/ws"
) -> aiohttp.ClientWebSocketResponse:
    """A new connection that has sent hello and received its welcome (or, from the echo
    server of the baseline, its hello back)."""
    ws = await http.ws_connect(f"{url}{path}", headers={"Origin": ORIGIN})
    await ws.send_str(hello())
    async with asyncio.timeout(30):
        while True:
            message = await ws.receive()
            if message.type is not aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"closed before welcome: {message.type}")
            if json.loads(message.data)["t"] in ("welcome", "hello"):
                return ws


class Crowd:
    def __init__(self, http: aiohttp.ClientSession, url: str, path: str, ping: float) -> None:
        self._http, self._url, self._path, self._ping = http, url, path, ping
        self._sockets: list[aiohttp.ClientWebSocketResponse] = []
        self._held: set[asyncio.Task[None]] = set()
        self._pinger: asyncio.Task[None] | None = None
        self.failed = 0
        self.dropped = 0  # connections the server closed while idle

    async def open(self, count: int, concurrency: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)
        start = time.perf_counter()

        async def one() -> None:
            async with gate:
                try:
                    ws = await welcomed(self._http, self._url, self._path)
                except (aiohttp.ClientError, ConnectionError, TimeoutError, OSError):
                    self.failed += 1
                    return
            self._sockets.append(ws)
            task = asyncio.create_task(self._read(ws))
            self._held.add(task)
            task.add_done_callback(self._held.discard)

        await asyncio.gather(*(one() for _ in range(count)))
        if self._ping and self._pinger is None:
            self._pinger = asyncio.create_task(self._pings())
        return {
            "open": len(self._held),
            "failed": self.failed,
            "dropped": self.dropped,
            "seconds": round(time.perf_counter() - start, 2),
        }

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read, so the server's WebSocket pings get their pong (aiohttp answers inside)."""
        async for _ in ws:
            pass
        self.dropped += 1

    async def _pings(self) -> None:
        """Each connection's `ping` frame once every `ping` seconds, spread over ticks (one
        task for the crowd rather than a timer per connection)."""
        tick, turn = 0.1, 0
        while True:
            await asyncio.sleep(tick)
            share = math.ceil(len(self._sockets) * tick / self._ping)
            for _ in range(share):
                turn = (turn + 1) % len(self._sockets)
                ws = self._sockets[turn]
                if not ws.closed:
                    await ws.send_str('{"t": "ping"}')

    async def close(self) -> None:
        tasks = [*self._held, *([self._pinger] if self._pinger else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
        for ws in self._sockets:
            await ws.close()


async def main(url: str, path: str, ping: float, concurrency: int) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        crowd = Crowd(http, url, path, ping)
        stdin = await commands()
        try:
            while line := await stdin.readline():
                command = json.loads(line)
                answer = await crowd.open(int(command["open"]), concurrency)
                print(json.dumps(answer), flush=True)
        finally:
            await crowd.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--path", default="/widget/ws")
    parser.add_argument("--ping", type=float, default=25.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--fd-limit", type=int, default=65536)
    args = parser.parse_args()
    raise_fd_limit(args.fd_limit)
    asyncio.run(main(args.url.rstrip("/"), args.path, args.ping, args.concurrency))
