"""Real daemon processes: several share one Redis and see each other's events; SIGTERM shuts
one down gracefully, in order."""

import signal
from pathlib import Path

import aiohttp

from tests.helpers.daemons import spawn_daemon
from tests.widget_client import WidgetClient


async def test_two_daemon_processes_on_one_redis_see_each_others_events(
    tmp_path: Path, prefix: str, redis_url: str
) -> None:
    a = await spawn_daemon(tmp_path / "a", prefix, redis_url)
    b = await spawn_daemon(tmp_path / "b", prefix, redis_url)
    try:
        async with aiohttp.ClientSession() as http:
            on_a = WidgetClient(http, a.url)
            await on_a.connect()
            await on_a.queued("vendas")
            on_b = WidgetClient(
                http, b.url
            )  # the same visitor in a tab served by the other process
            await on_b.connect(visitor=on_a.visitor)
            await on_a.say("escrito no processo A")
            await on_b.wait_event(lambda e: e["text"] == "escrito no processo A")
            await on_b.say("escrito no processo B")
            await on_a.wait_event(lambda e: e["text"] == "escrito no processo B")
            await on_a.close()
            await on_b.close()
    finally:
        assert await a.stop(signal.SIGTERM) == 0
        assert await b.stop(signal.SIGTERM) == 0


async def test_sigterm_shuts_down_gracefully_in_order(
    tmp_path: Path, prefix: str, redis_url: str
) -> None:
    daemon = await spawn_daemon(tmp_path, prefix, redis_url)
    async with aiohttp.ClientSession() as http:
        tab = WidgetClient(http, daemon.url)
        await tab.connect()
        assert await daemon.stop(signal.SIGTERM) == 0
        closed = await tab.ws.receive() if tab.ws else None
        assert closed is not None
        assert closed.type is aiohttp.WSMsgType.CLOSE
        assert closed.data == 1001  # going away: the browser reconnects elsewhere
    events = [r["event"] for r in daemon.records()]
    order = [
        "widget.closed",
        "delivery.stopped",
        "events.stopped",
        "redis.closed",
        "daemon.stopped",
    ]
    assert [e for e in events if e in order] == order
