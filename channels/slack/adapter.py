"""SlackAdapter: the AgentChannel the delivery worker posts through, mounted on the daemon.

Outbound (this module): each conversation is a thread in its department's channel. The root
carries the card (kept current with chat.update); timeline items follow as replies. Every post
is paced per channel through a bucket shared by all processes and idempotent on the worker's
key (see SlackWeb.post_once), so a retry after a crash or a timeout does not post twice.

Inbound (listeners, forms, inbound, tasks): POST /slack/events, or Socket Mode.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from bridge.core import Core
from bridge.domain.errors import NotFound
from bridge.domain.events import TimelineItem
from bridge.domain.ids import AgentId, ConversationId, DepartmentId
from bridge.domain.model import Attachment, ChannelKind
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard
from bridge.ports import DeliveryFailed, ThreadGone
from channels.common.identity import language
from channels.common.lists import Act
from channels.slack import notices, render
from channels.slack.connection import Connection, connect
from channels.slack.home import Home
from channels.slack.inbound import PEER_TTL, peer_key
from channels.slack.mrkdwn import escape
from channels.slack.render import Block, Origin
from channels.slack.texts import SlackTexts
from channels.slack.web import SlackWeb, Sleep

log = logging.getLogger("ponte.slack")

SLACK = ChannelKind.SLACK
ORIGIN_TTL = 400 * 24 * 3600  # a thread's "transferred from" link lives as long as the thread


def origin_key(channel: str, ts: str) -> str:
    return f"slack:origin:{channel}/{ts}"


class SlackAdapter:
    kind = SLACK

    def __init__(self, core: Core, *, sleep: Sleep = asyncio.sleep) -> None:
        self._core, self._sleep = core, sleep
        self._t = SlackTexts(language(core, SLACK))
        self._home = Home(core, self._t, core.settings.slack.home_refresh_seconds)
        self._connection: Connection | None = None

    # -- mounting ----------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        if self._core.settings.slack.mode == "socket":
            return []  # Socket Mode requests are unsigned: accept none over HTTP
        return [web.post("/slack/events", self._events)]

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Events, interactivity and slash commands; bolt verifies the signature (401)."""
        if self._connection is None:
            return web.Response(status=503, text="starting")
        response = await self._connection.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    @asynccontextmanager
    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        async with connect(self._core, self._t, self._home, self._sleep) as connection:
            self._connection = connection
            try:
                yield
            finally:
                self._connection = None

    @property
    def _web(self) -> SlackWeb:
        if self._connection is None:
            raise RuntimeError("the Slack adapter is not running")
        return self._connection.kit.web

    # -- AgentChannel ------------------------------------------------------------------------------

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        """The root (card and buttons) in the department's channel, then what happened before
        (the automatic stage, or the conversation so far after a transfer) as replies."""
        c, t = card.conversation, self._t
        department = card.department_id or c.department_id
        channel = self._channel(department)
        origin = await self._origin(c.id, department)
        text, blocks = self._card(card, origin)
        ts = await self._web.post_once(f"{key}:root", channel, text, blocks=blocks)
        # The worker maps the thread only when this returns, after the backlog: an agent may
        # answer the root before that, so map it now.
        await self._core.links.map_thread(c.id, ThreadRef(SLACK, channel, ts, ts))
        if origin is not None:
            await self._core.links.set_value(origin_key(channel, ts), origin.encode(), ORIGIN_TTL)
        title = t("event.transcript_moved") if origin else t("event.transcript")
        settings = self._core.settings
        for n, chunk in enumerate(render.transcript(backlog, t, settings, title)):
            await self._web.post_once(f"{key}:backlog:{n}", channel, chunk, thread_ts=ts)
        self._home.touch([department])
        log.info("slack.thread_opened", extra={"cid": c.id, "channel": channel})
        return ThreadRef(SLACK, channel, ts, ts)

    def _card(self, card: ConversationCard, origin: Origin | None) -> tuple[str, list[Block]]:
        reserved = render.reservation(card, self._t, self._core.settings)
        return render.card(card, self._t, origin=origin, reserved=reserved)

    def _channel(self, department: str | None) -> str:
        found = self._core.settings.department(department) if department else None
        if found is None or not found.slack_channel:
            raise DeliveryFailed(f"department {department} has no Slack channel")
        return found.slack_channel

    async def _origin(self, cid: ConversationId, department: str | None) -> Origin | None:
        """The latest thread of this conversation in another department (a transfer)."""
        threads = await self._core.links.threads_of(SLACK, cid)
        for other, encoded in reversed(list(threads.items())):
            if other == department:
                continue
            ref = ThreadRef.decode(SLACK, encoded)
            permalink = await self._web.permalink(ref.space, ref.root)
            if permalink:
                return Origin(self._core.settings.department_name(other), permalink)
        return None

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        """chat.update of the root, never a new post. ThreadGone when it was deleted."""
        stored = await self._core.links.get_value(origin_key(thread.space, thread.root))
        text, blocks = self._card(card, Origin.decode(stored))
        await self._web.update(thread.space, thread.root, text, blocks)
        self._home.touch([card.conversation.department_id, *self._departments_in(thread.space)])

    def _departments_in(self, channel: str) -> list[str]:
        return [d.id for d in self._core.settings.departments if d.slack_channel == channel]

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        """The item as a reply; its files uploaded after it, into the same thread."""
        text = render.line(item, self._t, self._core.settings) or "…"
        ts = await self._web.post_once(f"{key}:text", thread.space, text, thread_ts=thread.thread)
        for n, attachment in enumerate(item.attachments):
            await self._upload(f"{key}:file:{n}", thread, attachment)
        return ExternalRef(SLACK, thread.space, ts, thread.thread)

    async def _upload(self, key: str, thread: ThreadRef, attachment: Attachment) -> None:
        try:
            found, data = await self._core.files.read(attachment.id)
        except NotFound as e:
            raise DeliveryFailed(f"file {attachment.name} is no longer stored") from e
        await self._web.upload_once(key, thread.space, thread.thread, data, found.name)

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """A message written in Slack that stayed internal gets a 🔒, so the thread sees it did
        not reach the customer. Replies that went out are left as they are."""
        if not item.internal:
            return
        try:
            await self._web.react(ref.space, ref.message, "lock")
        except ThreadGone:
            return  # the agent deleted the message meanwhile

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """Our copy of a message edited or deleted elsewhere (another channel's agent)."""
        try:
            await self._web.update(
                ref.space, ref.message, render.edited(item, self._t, self._core.settings)
            )
        except ThreadGone:
            return  # our copy was deleted by hand: nothing left to change

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        await self.update_card(key, thread, card)

    async def alert(
        self,
        key: str,
        item: TimelineItem,
        *,
        department: DepartmentId | None = None,
        agent: AgentId | None = None,
    ) -> None:
        """A notice from Ponte: in the department's channel, or as a DM to one agent (a
        supervisor's waiting alert, a reservation), with buttons to act on it (notices.py).
        Idempotent on `key`, like every post."""
        target = self._channel(department) if department is not None else self._user(agent)
        text, blocks = notices.blocks(item, self._t, self._core.settings)
        await self._web.post_once(key, target, text, blocks=blocks)
        log.info("slack.alert", extra={"notice": item.data.get("notice"), "to": target})

    def _user(self, agent: AgentId | None) -> str:
        user = self._core.directory.identity(agent, SLACK) if agent else None
        if not user:
            raise DeliveryFailed(f"agent {agent} has no Slack user")
        return user

    async def notify_agent(
        self, key: str, agent: AgentId, text: str, *, sender: AgentId | None = None
    ) -> None:
        """Internal chat: a DM from the app, with a Reply button when the sender is known;
        the recipient's plain DMs to the app then go back to the sender."""
        user = self._user(agent)
        author = self._core.directory.agent(sender) if sender else None
        body = text.removeprefix(f"{author.name}: ") if author else text
        name = author.name if author else ""
        shown = escape(self._t("internal.from", name=name, text=body) if author else text)
        blocks = [render.section(shown)]
        if author is not None:
            reply = render.button(Act.INTERNAL, self._t("button.reply"), author.id)
            blocks.append(render.actions([reply]))
        await self._web.post_once(key, user, shown, blocks=blocks)
        if author is not None:
            await self._core.links.set_value(peer_key(agent), author.id, PEER_TTL)
