"""A Slack emulator: a real aiohttp server speaking the Slack Web API wire format, and the
sender of signed Events API / interactivity requests (or Socket Mode envelopes) to the app.

The real `AsyncWebClient(base_url=emulator.api_url)` and slack-bolt talk to it over HTTP."""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.emulators.slack_api import ChatApi, DirectoryApi, Handler
from tests.emulators.slack_assets import Files, Triggers, Urls, Views
from tests.emulators.slack_control import Faults, Recorder
from tests.emulators.slack_http import HttpSurface, ResponseContext
from tests.emulators.slack_outbound import Attempt, Outbox
from tests.emulators.slack_payloads import (
    Actor,
    block_actions,
    changed_event,
    deleted_event,
    home_opened_event,
    message_event,
    rich_text_blocks,
    slash_fields,
    user_message,
    view_submission,
)
from tests.emulators.slack_records import BotIdentity, Call, Delivery, JsonDict, Kind, Outbound
from tests.emulators.slack_socket import SocketLink
from tests.emulators.slack_state import Channel, Workspace
from tests.emulators.slack_surfaces import FilesApi, ViewsApi

__all__ = ["Call", "Delivery", "Outbound", "SlackEmulator"]


class SlackEmulator:
    """See tests/emulators/test_slack_emulator.py for usage with the real clients."""

    def __init__(
        self,
        *,
        signing_secret: str = "test-signing-secret",
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-test",
        team_id: str = "T0001",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        echo_bot_messages: bool = True,
        ack_timeout: float = 10.0,
    ) -> None:
        self.identity = BotIdentity(
            signing_secret, bot_token, app_token, team_id, bot_user_id, bot_id
        )
        self.echo_bot_messages = echo_bot_messages
        self._urls = Urls(team_id)
        self._ws = Workspace(self.identity)
        self._triggers = Triggers()
        self._views = Views(self.identity)
        self._files = Files(self._urls)
        self._faults = Faults()
        self._recorder = Recorder()
        self._socket = SocketLink(self._urls, self.identity.app_id, ack_timeout)
        self._outbox = Outbox(self.identity, self._socket, ack_timeout)
        self._ephemerals: list[JsonDict] = []
        controls = (self._faults, self._recorder)
        self._http = HttpSurface(
            self._ws, self._handlers(), controls, self._files, self._echo, self._ephemerals
        )
        self._runner: web.AppRunner | None = None

    def _handlers(self) -> dict[str, Handler]:
        chat = ChatApi(self._ws, self._urls, self._ephemerals)
        return {
            **DirectoryApi(self._ws).methods(),
            **chat.methods(),
            **ViewsApi(self._ws, self._triggers, self._views).methods(),
            **FilesApi(self._ws, chat, self._files, self._urls).methods(),
            **self._socket.methods(),
        }

    # lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port."""
        app = web.Application()
        app.add_routes([*self._http.routes(), web.get("/link/", self._socket.handle)])
        self._runner = web.AppRunner(app, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self._urls.root = f"http://127.0.0.1:{port}"
        await self._outbox.open()

    async def close(self) -> None:
        """Cancel pending background deliveries, cut delays short, drop sockets, unbind."""
        self._http.closing.set()
        await self._outbox.close()
        await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        return self._urls.api()

    @property
    def request_url(self) -> str | None:
        return self._outbox.request_url

    @request_url.setter
    def request_url(self, url: str | None) -> None:
        self._outbox.request_url = url

    # workspace

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        email: str | None = None,
        real_name: str | None = None,
        is_bot: bool = False,
    ) -> None:
        self._ws.add_user(user_id, name, email=email, real_name=real_name, is_bot=is_bot)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        bot_is_member: bool = True,
        members: Iterable[str] = (),
    ) -> None:
        everyone = set(members) | ({self.identity.bot_user_id} if bot_is_member else set())
        self._ws.add_channel(Channel(channel_id, name, is_private=is_private, members=everyone))

    def messages(self, channel: str, thread_ts: str | None = None) -> list[JsonDict]:
        """Channel roots, or a thread's replies without its root; oldest first, as now."""
        if thread_ts is None:
            return self._ws.roots(channel)
        return self._ws.replies(channel, thread_ts)

    def ephemerals(self, user: str | None = None) -> list[JsonDict]:
        """chat.postEphemeral posts and ephemeral response_url posts (`user`: who clicked)."""
        found = [e for e in self._ephemerals if user is None or e["user"] == user]
        return copy.deepcopy(found)

    def responses(self) -> list[JsonDict]:
        return copy.deepcopy(self._http.responses.posted)

    def views(self, user: str | None = None) -> list[JsonDict]:
        """Snapshots of modals as opened, pushed or updated, in order."""
        return self._views.history(user)

    def home(self, user: str) -> JsonDict | None:
        return self._views.home(user)

    def files(self) -> dict[str, JsonDict]:
        """Files with bytes (key `content`): uploaded by the app or added by a test."""
        return self._files.snapshot()

    def add_file(
        self, file_id: str, name: str, content: bytes, mimetype: str, *, user: str
    ) -> JsonDict:
        return self._files.add(file_id, name, content, mimetype, user)

    def issue_trigger(self, user: str, *, age: float = 0.0) -> str:
        """A trigger_id as if an interaction by `user` happened `age` seconds ago."""
        return self._triggers.issue(user, age=age)

    # recording and failure injection

    def calls(self, method: str | None = None) -> list[Call]:
        return self._recorder.select(method)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109  # a bounded wait is what this helper is for
    ) -> Call:
        """The first matching call, already recorded or yet to come; TimeoutError names the
        methods seen instead."""
        try:
            async with asyncio.timeout(timeout):
                return await self._recorder.wait_for(method, predicate)
        except TimeoutError as exc:
            seen = self._recorder.seen()
            raise TimeoutError(f"no matching {method} call in {timeout} s; seen {seen}") from exc

    def deliveries(self) -> list[Outbound]:
        """Everything sent to the app, with its answer or transport error, in completion order."""
        return list(self._outbox.records)

    async def drain(self) -> None:
        await self._outbox.drain()

    def fail_next(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        self._faults.fail_next(
            method, error=error, status=status, retry_after=retry_after, times=times
        )

    def set_delay(self, method: str, seconds: float) -> None:
        self._faults.set_delay(method, seconds)

    def set_rate_limit(self, method: str, per_second: float | None) -> None:
        self._faults.set_rate_limit(method, per_second)

    # socket mode

    async def wait_for_socket(
        self,
        connections: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109  # a bounded wait is what this helper is for
    ) -> None:
        """Until `connections` Socket Mode connections were accepted in total and one is open."""
        async with asyncio.timeout(timeout):
            await self._socket.wait_connected(connections)

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        await self._socket.disconnect(reason)

    # sending to the app

    def _echo(self, event: JsonDict) -> None:
        if self.echo_bot_messages:
            self._outbox.deliver_later(Kind.EVENTS_API, self._outbox.envelope(event))

    async def send_event(
        self,
        event: JsonDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        signature: str | None = None,
        timestamp: int | None = None,
    ) -> Delivery:
        envelope = self._outbox.envelope(event, event_id)
        attempt = Attempt(retry_num, retry_reason, signature, timestamp)
        return await self._outbox.deliver(Kind.EVENTS_API, envelope, attempt)

    async def user_posts(
        self,
        user: str,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        files: list[JsonDict] | None = None,
    ) -> tuple[str, Delivery]:
        room = self._ws.channel(channel)
        parent = None if thread_ts is None else self._ws.thread_root(room.id, thread_ts)
        message = user_message(self.identity, user, text, self._ws.clock.next(), thread_ts)
        if files:
            message.update(subtype="file_share", files=copy.deepcopy(files), upload=False)
            for shared in files:
                self._files.share(shared["id"], room.id)
        self._ws.store(room.id, message)
        parent_user = None if parent is None else parent.get("user")
        return message["ts"], await self.send_event(message_event(room, message, parent_user))

    async def user_edits(self, user: str, channel: str, ts: str, new_text: str) -> Delivery:
        room = self._ws.channel(channel)
        message = self._ws.require(room.id, ts)
        if message.get("user") != user:
            raise ValueError(f"message {ts} in {channel} is by {message.get('user')}, not {user}")
        previous = copy.deepcopy(message)
        edited_at = self._ws.clock.next()
        message.update(text=new_text, blocks=rich_text_blocks(new_text))
        message["edited"] = {"user": user, "ts": edited_at}
        return await self.send_event(changed_event(room, previous, message, edited_at))

    async def user_deletes(self, user: str, channel: str, ts: str) -> Delivery:
        room = self._ws.channel(channel)
        message = self._ws.remove(room.id, ts)
        return await self.send_event(deleted_event(room, message, self._ws.clock.next()))

    def _actor(self, user: str, target: tuple[str, str] | None) -> Actor:
        token = secrets.token_hex(12)
        self._http.responses.contexts[token] = ResponseContext(user, target)
        name = self._ws.user(user)["name"]
        trigger_id = self._triggers.issue(user)
        return Actor(user, name, trigger_id, self._urls.response(token))

    async def click_button(
        self,
        user: str,
        *,
        action_id: str,
        value: str,
        channel: str | None = None,
        message_ts: str | None = None,
        block_id: str | None = None,
        view_id: str | None = None,
    ) -> Delivery:
        action = {
            "action_id": action_id,
            "block_id": block_id or secrets.token_hex(3),
            "value": value,
            "text": {"type": "plain_text", "text": value},
        }
        if view_id is not None:
            container: JsonDict = {"type": "view", "view_id": view_id}
            extra: JsonDict = {"view": self._views.current(view_id)}
            target = None
        elif channel is not None and message_ts is not None:
            container, extra = self._message_surface(channel, message_ts)
            target = (channel, message_ts)
        else:
            raise ValueError("click_button needs view_id, or channel and message_ts")
        payload = block_actions(self.identity, self._actor(user, target), action, container, extra)
        return await self._outbox.deliver(Kind.INTERACTIVE, payload, Attempt())

    def _message_surface(self, channel: str, message_ts: str) -> tuple[JsonDict, JsonDict]:
        """Container and channel/message of a click; an unknown ts reads as an ephemeral."""
        message = self._ws.find(channel, message_ts)
        container: JsonDict = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": message is None,
        }
        if message is not None and message.get("thread_ts", message_ts) != message_ts:
            container["thread_ts"] = message["thread_ts"]
        extra: JsonDict = {"channel": {"id": channel, "name": self._ws.channel_name(channel)}}
        extra["message"] = copy.deepcopy(message or {"type": "message", "ts": message_ts})
        return container, extra

    async def submit_view(
        self, user: str, view_id: str, values: dict[str, dict[str, JsonDict]]
    ) -> Delivery:
        """Submit an open modal; an `update`/`push` ack is applied to the emulator's views."""
        view = self._views.current(view_id)
        payload = view_submission(self.identity, self._actor(user, None), view, values)
        delivery = await self._outbox.deliver(Kind.INTERACTIVE, payload, Attempt())
        if delivery.status == 200 and delivery.body.startswith("{"):
            self._views.apply_ack(view_id, json.loads(delivery.body))
        return delivery

    async def slash_command(
        self, user: str, command: str, text: str, *, channel: str = "C0GENERAL"
    ) -> Delivery:
        where = (channel, self._ws.channel_name(channel))
        fields: dict[str, Any] = slash_fields(
            self.identity, self._actor(user, None), command, text, where
        )
        return await self._outbox.deliver(Kind.SLASH_COMMANDS, fields, Attempt())

    async def open_home(self, user: str) -> Delivery:
        dm = self._ws.channel(user)
        event = home_opened_event(user, dm.id, self._views.home(user), self._ws.clock.next())
        return await self.send_event(event)
