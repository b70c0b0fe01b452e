"""The widget's routes and lifespan, for the daemon's composition root to mount."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bridge.core import Core
from bridge.domain.events import DoorbellEvent
from bridge.settings import Settings
from widget.channel import WidgetChannel
from widget.context import NoObserver, Observer, WidgetContext
from widget.identity import Signer
from widget.origins import Origins
from widget.pages import Pages
from widget.sse import SseEndpoint
from widget.uploads import Uploads
from widget.ws import WebSocketEndpoint


class Widget:
    """Everything the widget serves. Implements CustomerChannel through its WidgetChannel."""

    def __init__(self, core: Core, settings: Settings, observer: Observer | None = None) -> None:
        origins = Origins(settings.server.allowed_origins)
        self.ctx = WidgetContext(core, settings, origins, observer or NoObserver())
        self.channel = WidgetChannel()
        self._ws = WebSocketEndpoint(self.ctx, self.channel)
        self._sse = SseEndpoint(self.ctx, self.channel)
        self._uploads = Uploads(self.ctx)
        self._pages = Pages(self.ctx)

    def on_event(self, event: DoorbellEvent) -> None:
        self.channel.on_event(event)

    def setup(self, app: web.Application) -> None:
        """Templates for the pages (aiohttp-jinja2, autoescaped), the routes, the shutdown."""
        loader = jinja2.PackageLoader("widget", "templates")
        aiohttp_jinja2.setup(app, loader=loader, autoescape=jinja2.select_autoescape(["html"]))
        app.add_routes(self.routes())
        app.on_shutdown.append(self._ws.close_all)
        app.on_shutdown.append(self._sse.close_all)

    def routes(self) -> list[web.RouteDef]:
        routes = [
            web.get("/widget.js", self._pages.script),
            web.get("/widget/config", self._pages.config),
            web.get("/widget/ws", self._ws.handle),
            web.get("/widget/sse", self._sse.stream),
            web.post("/widget/send", self._sse.send),
            web.post("/widget/upload", self._uploads.upload),
            web.options("/widget/upload", self._sse.preflight),
            web.options("/widget/send", self._sse.preflight),
            web.get("/widget/files/{aid}", self._uploads.download),
        ]
        if self.ctx.settings.server.demo_page:
            routes.append(web.get("/", self._pages.demo))
        return routes

    @asynccontextmanager
    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """Needs Redis: the signing secret comes from the config or is shared through Redis."""
        configured = self.ctx.settings.widget.secret
        secret = configured.get_secret_value() if configured else ""
        if not secret:
            secret = await self.ctx.core.links.shared_secret("widget")
        self.ctx.signer = Signer(secret)
        yield
