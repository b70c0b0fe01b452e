"""TelegramAdapter: the delivery worker's AgentChannel on Telegram, mounted on the daemon.

Composition only: it builds the PTB application (its HTTP clients are the adapter's one
client), the outbound side (outbound.Outbound for threads, notices.Notices for alerts and
private messages), the inbound side (intake: webhook or poller, job runner, Router and its
handlers, which share parts.Parts), and owns their lifespans, started and stopped here in
reverse order."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from aiohttp import web
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder

from bridge.core import Core
from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, DepartmentId
from bridge.domain.model import ChannelKind, Conversation
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard
from bridge.settings import TelegramSettings
from channels.common.actions import Actions
from channels.common.identity import language
from channels.common.lists import Lists
from channels.telegram.callbacks import Callbacks
from channels.telegram.closing import Closing
from channels.telegram.commands import Commands, menu
from channels.telegram.contacts import ContactEditor
from channels.telegram.context import Context
from channels.telegram.details import Details
from channels.telegram.intake import ALLOWED_UPDATES, QUEUE, Poller, Router, Webhook
from channels.telegram.messages import Messages
from channels.telegram.notices import Notices
from channels.telegram.outbound import Outbound
from channels.telegram.pager import Pager
from channels.telegram.parts import Parts
from channels.telegram.presence import Status
from channels.telegram.prompts import Prompts
from channels.telegram.replies import QuickReplies
from channels.telegram.sender import MEDIA_SECONDS, Sender, Sleep
from channels.telegram.texts import TelegramTexts
from channels.telegram.topics import Topics
from channels.telegram.transfers import Transfers

log = logging.getLogger("ponte.telegram")

WEBHOOK_PATH = "/telegram/webhook"
DAY = 24 * 3600

PtbApplication = Application[Any, Any, Any, Any, Any, Any]  # generic over PTB's context types


def build_application(settings: TelegramSettings) -> PtbApplication:
    """The PTB application, without an updater (updates come through intake) and with every
    HTTP timeout bounded. Building does no I/O."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    timeout = settings.call_timeout
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{settings.api_url.rstrip('/')}/bot")
        .base_file_url(f"{settings.effective_file_url.rstrip('/')}/bot")
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .media_write_timeout(MEDIA_SECONDS)
        .get_updates_connect_timeout(timeout)
        .get_updates_read_timeout(timeout)
        .get_updates_write_timeout(timeout)
        .get_updates_pool_timeout(timeout)
        .updater(None)
        .build()
    )


class TelegramAdapter:
    kind = ChannelKind.TELEGRAM

    def __init__(self, core: Core, *, sleep: Sleep = asyncio.sleep) -> None:
        self._core = core
        self._settings = s = core.settings.telegram
        self.application = build_application(s)
        bot = self.application.bot
        t = TelegramTexts(language(core, ChannelKind.TELEGRAM))
        self.sender = Sender(bot, core.links, s, sleep)
        topics = Topics(core.links, core.settings.redis.retention_days * DAY)
        self._outbound = Outbound(core, self.sender, topics, t)
        self._notices = Notices(core, self.sender, t, self._outbound.once)
        kind = ChannelKind.TELEGRAM
        ctx = Context(core, self.sender, topics, Actions(core, kind), Lists(core, kind), t)
        self._t = t
        self.router = self._handlers(ctx)
        self.runner = core.jobs.runner(QUEUE, self.router.handle)
        owner = f"tg-{os.getpid()}-{secrets.token_hex(4)}"
        polling = s.effective_mode == "polling"
        self.poller = Poller(bot, core, s, owner) if polling else None
        secret = s.webhook_secret.get_secret_value() if s.webhook_secret else ""
        self._webhook = Webhook(core, secret)
        core.signals.on_customer_typing(self._customer_typing)

    def _handlers(self, ctx: Context) -> Router:
        contacts = ContactEditor(ctx)
        parts = Parts(
            pager=Pager(ctx),
            details=Details(ctx),
            transfers=Transfers(ctx),
            contacts=contacts,
            prompts=Prompts(ctx, contacts),
            closing=Closing(ctx),
            status=Status(ctx),
            replies=QuickReplies(ctx),
        )
        messages = Messages(ctx, Commands(ctx, parts), parts.prompts)
        return Router(self.application.bot, messages, Callbacks(ctx, parts))

    # -- mounting -------------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        return [web.post(WEBHOOK_PATH, self._webhook.receive)]

    @asynccontextmanager
    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """getMe (a bad token stops the daemon here), the webhook or polling set up, the
        command menu, then the job runner and the poller; down in reverse."""
        async with asyncio.timeout(self._settings.call_timeout * 2):
            await self.application.initialize()
        try:
            await self._connect()
            await self._set_commands()
            async with AsyncExitStack() as stack:
                await stack.enter_async_context(self.runner.lifespan())
                if self.poller is not None:
                    await stack.enter_async_context(self.poller.lifespan())
                yield
        finally:
            await self.application.shutdown()

    async def _connect(self) -> None:
        """Webhook mode registers the webhook (when configured to); polling mode removes any
        webhook, which would otherwise make getUpdates fail with 409. A failure is logged: the
        daemon still serves the widget, and Telegram keeps a webhook set earlier."""
        s, bot = self._settings, self.application.bot
        try:
            async with asyncio.timeout(s.call_timeout):
                if self.poller is not None:
                    await bot.delete_webhook()
                elif s.set_webhook:
                    url = self._core.settings.server.public_url.rstrip("/") + WEBHOOK_PATH
                    secret = s.webhook_secret.get_secret_value() if s.webhook_secret else None
                    await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        except (TelegramError, TimeoutError) as e:
            log.error("telegram.connect_failed", extra={"error": repr(e)})

    async def _set_commands(self) -> None:
        try:
            async with asyncio.timeout(self._settings.call_timeout):
                await self.application.bot.set_my_commands(menu(self._t))
        except (TelegramError, TimeoutError) as e:  # the menu is a convenience
            log.warning("telegram.commands_failed", extra={"error": repr(e)})

    async def _customer_typing(self, conversation: Conversation) -> None:
        """ "typing…" in the conversation's topic (not in a group without topics: there it
        would show for the whole group)."""
        threads = await self._core.links.threads_of(ChannelKind.TELEGRAM, conversation.id)
        encoded = threads.get(conversation.department_id or "")
        if not encoded:
            return
        ref = ThreadRef.decode(ChannelKind.TELEGRAM, encoded)
        if ref.thread and ref.thread != ref.root:
            await self.sender.typing(int(ref.space), int(ref.thread))

    # -- AgentChannel (called by the delivery worker) ---------------------------------------------

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        return await self._outbound.open_thread(key, card, backlog)

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        await self._outbound.update_card(key, thread, card)

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        return await self._outbound.post(key, thread, item, card)

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        await self._outbound.mark(key, ref, item)

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        await self._outbound.edit(key, ref, item)

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        await self._outbound.close_thread(key, thread, card)

    async def alert(
        self,
        key: str,
        item: TimelineItem,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
    ) -> None:
        await self._notices.alert(key, item, department, agent)

    async def notify_agent(
        self, key: str, agent: AgentId, text: str, *, sender: AgentId | None = None
    ) -> None:
        await self._notices.notify_agent(key, agent, text)
