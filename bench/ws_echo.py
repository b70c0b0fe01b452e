"""The baseline server of bench/widget_bench.py: a bare aiohttp WebSocket echo, configured as
the widget's endpoint is (no compression, 30 s heartbeat), in a process of its own:

    python -m bench.ws_echo PORT

Every text frame comes back unchanged. Prints `{"ready": true}` once listening; end of input
stops it.
"""

from __future__ import annotations

import asyncio
import json
import sys

from aiohttp import WSMsgType, web

from bench.services import commands


async def echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=30.0, compress=False)
    await ws.prepare(request)
    async for message in ws:
        if message.type is WSMsgType.TEXT:
            await ws.send_str(message.data)
    return ws


async def main(port: int) -> None:
    app = web.Application()
    app.add_routes([web.get("/ws", echo)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(json.dumps({"ready": True}), flush=True)
    try:
        stdin = await commands()
        while await stdin.readline():
            pass
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
