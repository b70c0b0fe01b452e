"""The measuring side of bench/widget_bench.py: widget tabs over real WebSockets that send
`say` frames and timestamp, with time.perf_counter in this one process, the `ack` and the
agent's reply coming back; the same tabs against a bare echo server give the baseline."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import aiohttp

from bench.widget_crowd import ORIGIN, hello

Frame = dict[str, Any]
Mark = tuple[str, str]  # (what arrived: "ack" or "reply", the message's token)
REPLY = "re m "  # the simulated agent answers "re <text>"; the text is "m <token>"


def widget_marks(frame: Frame) -> Mark | None:
    if frame["t"] == "ack":
        return "ack", str(frame["id"])
    text = str(frame.get("text", ""))
    if frame["t"] == "event" and frame["author"] == "agent" and text.startswith(REPLY):
        return "reply", text.removeprefix(REPLY)
    return None


def echo_marks(frame: Frame) -> Mark | None:
    return ("reply", str(frame["id"])) if frame["t"] == "say" else None


def say(token: str) -> str:
    return json.dumps({"t": "say", "id": token, "text": f"m {token}", "attachments": []})


class Probe:
    """Send times and arrival times of one measurement, by token. What arrives is named
    ("ack", "reply", …); a latency is its arrival time minus the token's send time."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.arrived: defaultdict[str, dict[str, float]] = defaultdict(dict)
        self._changed = asyncio.Event()

    def send(self, token: str) -> None:
        self.sent[token] = time.perf_counter()

    def mark(self, what: str, token: str, at: float) -> None:
        start = self.sent.get(token)
        if start is not None:
            self.arrived[what][token] = at - start
            self._changed.set()

    async def settle(self, within: float, what: str = "reply") -> None:
        """Until every sent message has its `what`, or `within` seconds."""
        try:
            async with asyncio.timeout(within):
                while len(self.arrived[what]) < len(self.sent):
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return

    def latencies(self, what: str) -> list[float]:
        return list(self.arrived[what].values())

    def lost(self, what: str) -> int:
        return len(self.sent) - len(self.arrived[what])


class Listener:
    """What every tab's reader reports to: the probe of the measurement running now (the one
    its sends go to), or for some marks another probe (`elsewhere`: by what arrived)."""

    def __init__(self, marks: Callable[[Frame], Mark | None]) -> None:
        self.marks = marks
        self.probe = Probe()
        self.elsewhere: dict[str, Probe] = {}
        self.errors: Counter[str] = Counter()  # error frames by code, closed tabs

    def heard(self, frame: Frame, at: float) -> None:
        mark = self.marks(frame)
        if mark is not None:
            self.elsewhere.get(mark[0], self.probe).mark(*mark, at)
        elif frame["t"] == "error":
            self.errors[f"error frame {frame.get('code')}"] += 1


class Tab:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse, listener: Listener) -> None:
        self.ws, self._listener = ws, listener
        self._reader: asyncio.Task[None] | None = None
        self._sends: set[asyncio.Task[None]] = set()
        self._closing = False

    def listen(self) -> None:
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            at = time.perf_counter()
            self._listener.heard(json.loads(message.data), at)
        if not self._closing:
            self._listener.errors[f"tab closed by the server: {self.ws.close_code}"] += 1

    def send(self, token: str) -> None:
        """Start sending one message (the pacer must not wait for the socket)."""
        probe = self._listener.probe
        task = asyncio.create_task(self._send(probe, token))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def _send(self, probe: Probe, token: str) -> None:
        probe.send(token)
        try:
            await self.ws.send_str(say(token))
        except aiohttp.ClientConnectionResetError:
            self._listener.errors["tab closed by the server: send failed"] += 1

    async def close(self) -> None:
        self._closing = True
        await self.ws.close()
        if self._reader is not None:
            await self._reader


async def until_frame(ws: aiohttp.ClientWebSocketResponse, check: Callable[[Frame], bool]) -> Frame:
    async with asyncio.timeout(30):
        while True:
            message = await ws.receive()
            if message.type is not aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"closed during setup: {message.type} {message.data!r}")
            frame: Frame = json.loads(message.data)
            if frame["t"] == "error":
                raise RuntimeError(f"setup refused: {frame}")
            if check(frame):
                return frame


def state_is(key: str, value: str) -> Callable[[Frame], bool]:
    return lambda f: f["t"] == "state" and f["conversation"][key] == value


async def queued_tab(http: aiohttp.ClientSession, url: str, listener: Listener) -> tuple[Tab, str]:
    """A tab whose customer chose `vendas` and filled the form: (tab, conversation id)."""
    ws = await http.ws_connect(f"{url}/widget/ws", headers={"Origin": ORIGIN})
    await ws.send_str(hello())
    await until_frame(ws, lambda f: f["t"] == "welcome")
    await ws.send_str(json.dumps({"t": "start"}))
    await until_frame(ws, state_is("state", "automatic"))
    await ws.send_str(json.dumps({"t": "department", "department": "vendas"}))
    await until_frame(ws, state_is("step", "form"))
    values = {"name": "Bench", "email": "bench@shop.test"}
    await ws.send_str(json.dumps({"t": "form", "values": values}))
    frame = await until_frame(ws, state_is("state", "queued"))
    return Tab(ws, listener), str(frame["conversation"]["id"])


async def echo_tab(http: aiohttp.ClientSession, url: str, listener: Listener) -> Tab:
    ws = await http.ws_connect(url)
    return Tab(ws, listener)
