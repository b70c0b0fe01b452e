"""GET /healthz: 200 when Redis answers, 503 when it does not."""

from __future__ import annotations

from aiohttp import web

from bridge.store import Store


def routes(store: Store, node: str) -> list[web.RouteDef]:
    async def healthz(request: web.Request) -> web.Response:
        if await store.ping():
            return web.json_response({"status": "ok", "redis": "ok", "node": node})
        body = {"status": "unavailable", "redis": "down", "node": node}
        return web.json_response(body, status=503)

    return [web.get("/healthz", healthz)]
