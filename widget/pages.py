"""widget.js, the widget's config, and the demo shop page."""

from __future__ import annotations

from importlib import resources
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bridge.settings import Settings
from widget.context import WidgetContext
from widget.i18n import STRINGS, resolve
from widget.operations import sign_user
from widget.origins import origin_of

DEMO_USER = "demo-customer-1"
REFUSED_JS = 'console.error("Ponte: this site ({origin}) may not embed the chat widget.");\n'


class Pages:
    def __init__(self, ctx: WidgetContext) -> None:
        self._ctx = ctx
        self._script: bytes | None = None

    def _source(self) -> bytes:
        if self._script is None:  # read once, on the first request (no I/O at start-up)
            self._script = resources.files("widget").joinpath("static/widget.js").read_bytes()
        return self._script

    async def script(self, request: web.Request) -> web.Response:
        referer_origin = origin_of(request.headers.get("Referer", ""))
        own = origin_of(self._ctx.settings.server.public_url)
        if (
            referer_origin
            and referer_origin != own
            and not self._ctx.origins.allows(referer_origin)
        ):
            body = REFUSED_JS.format(origin=referer_origin.replace('"', ""))
            return web.Response(text=body, content_type="application/javascript")
        return web.Response(
            body=self._source(),
            content_type="application/javascript",
            headers={"Cache-Control": "public, max-age=300"},
        )

    async def config(self, request: web.Request) -> web.Response:
        origin = self._ctx.origins.check(request)
        body = widget_config(self._ctx, request.query.get("lang"))
        return web.json_response(body, headers=self._ctx.origins.cors(origin))

    @aiohttp_jinja2.template("demo.html")
    async def demo(self, request: web.Request) -> dict[str, Any]:
        """The demo shop. When the default site identifies users, a demo user signed by the
        server shows the identity API the way a real site would (its server signs, the page
        passes the signature on)."""
        secret = self._ctx.identity_secret("default")
        identity = {"id": DEMO_USER, "hmac": sign_user(secret, DEMO_USER)} if secret else None
        return {
            "title": self._ctx.settings.widget.title,
            "site": "default",
            "demo_identity": identity,
        }


def widget_config(ctx: WidgetContext, requested: str | None) -> dict[str, Any]:
    s: Settings = ctx.settings
    lang = resolve(s.widget.language, requested)
    now = ctx.core.clock.now()
    directory = ctx.core.directory
    departments = [
        {"id": d.id, "name": d.name, "open": directory.is_open(d.department_id, now)}
        for d in s.departments
        if d.choosable
    ]
    form = [f.model_dump(mode="json") for f in s.flow.form]
    return {
        "title": s.widget.title,
        "color": s.widget.color,
        "language": lang,
        "strings": STRINGS[lang],
        "departments": departments,
        "choose_department": s.flow.choose_department and len(departments) > 1,
        "form": form,
        "uploads": {"max_bytes": s.widget.uploads.max_bytes, "types": s.widget.uploads.types},
        "max_message": s.limits.message_chars,
    }
