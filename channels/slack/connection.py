"""The adapter's live parts, opened in its lifespan and closed in reverse: one aiohttp session
for every call, the Web API client on it, the bolt app with its listeners, the job runner that
does the acked work, the Home refresher, and the Socket Mode link when configured.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bridge.core import Core
from bridge.core.jobs import Handler
from bridge.domain.model import ChannelKind
from channels.common.actions import Actions
from channels.common.texts import Texts
from channels.slack.answer import Responder
from channels.slack.forms import Forms
from channels.slack.home import Home
from channels.slack.inbound import Inbound
from channels.slack.kit import QUEUE, Kit
from channels.slack.listeners import Listeners
from channels.slack.quick import QuickReplies
from channels.slack.tasks import Tasks
from channels.slack.web import CLIENT_TIMEOUT, SlackWeb, Sleep

log = logging.getLogger("ponte.slack")


@dataclass(frozen=True, slots=True)
class Connection:
    kit: Kit
    bolt: AsyncApp


def job_table(kit: Kit) -> dict[str, Handler]:
    """Every job type and its handler: one list to read."""
    inbound, quick = Inbound(kit), QuickReplies(kit)
    tasks = Tasks(kit, quick)
    return {
        "thread": inbound.thread,
        "edit": inbound.edit,
        "delete": inbound.delete,
        "dm": inbound.direct,
        "home": tasks.home,
        "claim": tasks.claim,
        "peek": tasks.peek,
        "transcript": tasks.transcript,
        "list": tasks.show_list,
        "more": tasks.show_list,
        "transfer": tasks.transfer,
        "close": tasks.close,
        "start_contact": tasks.start_contact,
        "start_lead": tasks.start_lead,
        "internal": tasks.internal,
        "status": tasks.status,
        "quick_reply": quick.send,
    }


def dispatcher(table: dict[str, Handler]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def handle(job: dict[str, Any]) -> None:
        handler = table.get(str(job.get("type")))
        if handler is None:
            log.warning("slack.job_unknown", extra={"type": job.get("type")})
            return  # a job from a newer version: set aside by being done, not retried forever
        await handler(job)

    return handle


def _secret(value: Any) -> str:
    return str(value.get_secret_value()) if value is not None else ""


@asynccontextmanager
async def connect(core: Core, t: Texts, home: Home, sleep: Sleep) -> AsyncIterator[Connection]:
    s = core.settings.slack
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())
        client = AsyncWebClient(
            token=_secret(s.bot_token),
            base_url=s.api_url,
            session=session,
            # Calls Ponte makes are bounded by SlackWeb.call; this guards bolt's own auth.test
            # and Socket Mode's apps.connections.open, and each request of an upload.
            timeout=max(CLIENT_TIMEOUT, int(s.call_timeout)),
        )
        web = SlackWeb(client, core.links, s, sleep)
        responder = Responder(web, session, s.call_timeout)
        actions = Actions(core, ChannelKind.SLACK)
        kit = Kit(core, t, actions, web, responder, home, session)
        bolt = _bolt(kit, client)
        runner = core.jobs.runner(QUEUE, dispatcher(job_table(kit)))
        await stack.enter_async_context(runner.lifespan())
        await stack.enter_async_context(home.refreshing(web))
        if s.mode == "socket":
            await stack.enter_async_context(_socket(bolt, _secret(s.app_token)))
        yield Connection(kit, bolt)


def _bolt(kit: Kit, client: AsyncWebClient) -> AsyncApp:
    s = kit.core.settings.slack
    http = s.mode == "http"
    app = AsyncApp(
        name="ponte",
        client=client,
        signing_secret=_secret(s.signing_secret),
        # Listeners only store a job, so the answer can wait for them: work is in Redis
        # before Slack hears "ok", and no detached task holds it.
        process_before_response=True,
        # Socket Mode is not signed; over HTTP every request is checked (401 when not).
        request_verification_enabled=http,
    )
    Listeners(kit).register(app, s.command)
    Forms(kit).register(app)
    QuickReplies(kit).register(app)
    return app


@asynccontextmanager
async def _socket(bolt: AsyncApp, app_token: str) -> AsyncIterator[None]:
    """Socket Mode: the URL comes from apps.connections.open on the same api_url (the client's
    base URL), so a GovSlack or test base URL covers it too."""
    handler = AsyncSocketModeHandler(bolt, app_token=app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it unannotated
    try:
        yield
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]  # bolt leaves it unannotated
