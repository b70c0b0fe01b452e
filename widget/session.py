"""One live connection (a browser tab), whatever the transport: who the visitor is, which
conversation it shows, the last event it has. Frames go out through a bounded queue; a full
queue closes the connection and the browser resumes from its last id."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.events import EventKind
from bridge.domain.ids import ConversationId, EventId, VisitorId, event_id_key, parse_event_id
from bridge.domain.model import ConversationState
from widget.context import WidgetContext
from widget.operations import Operations, explain
from widget.protocol import BadFrame, Frame, encode, error, event_frame, state_frame

QUEUE_SIZE = 256
PAGE = 200
# kinds after which the customer's view of the conversation (state, step, position) changes
_STATE_KINDS = frozenset(
    {
        "created",
        "department_chosen",
        "form_submitted",
        "queued",
        "claimed",
        "transferred",
        "closed",
        "rated",
        "message",
        "reopened",
    }
)

Sender = Callable[[str], Awaitable[None]]


class Overflow(Exception):
    """The browser does not read fast enough: drop the connection, it will resume."""


class Wakeup:
    """A one-waiter asyncio.Event: what a session's sender sleeps on. Holds a future only
    while someone waits (an asyncio.Event keeps a deque of waiters, ~0.8 KiB; with 10,000
    idle connections that adds up)."""

    __slots__ = ("_rung", "_waiter")

    def __init__(self) -> None:
        self._rung = False
        self._waiter: asyncio.Future[None] | None = None

    def ring(self) -> None:
        self._rung = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self) -> None:
        """Returns at once when rung since the last wait, else when rung; then unrung."""
        if not self._rung:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        self._rung = False


class Session:
    """One live widget connection (a WebSocket, or an SSE stream with its POSTs). Slotted and
    lean: an idle connection's memory is mostly this, times thousands."""

    __slots__ = (
        "_ctx",
        "_dirty",
        "_lock",
        "_on_switch",
        "_ops",
        "_outgoing",
        "_position_stale",
        "_state_sent",
        "_wakeup",
        "cid",
        "ip",
        "last",
        "queued",
        "site",
        "token",
        "vid",
    )

    def __init__(
        self, ctx: WidgetContext, ip: str, on_switch: Callable[[Session], None] | None = None
    ) -> None:
        self._ctx, self._ops, self.ip = ctx, Operations(ctx), ip
        self._on_switch = on_switch
        self.vid: VisitorId | None = None
        self.token = ""
        self.site = "default"
        self.cid: ConversationId | None = None
        self.last: EventId | None = None
        self.queued = False
        self._outgoing: list[dict[str, Any]] = []  # at most QUEUE_SIZE frames wait here
        self._wakeup = Wakeup()
        self._dirty = False  # the log may have new entries
        self._position_stale = False
        self._state_sent: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    # -- outgoing ---------------------------------------------------------------------------

    def send(self, frame: dict[str, Any]) -> None:
        if len(self._outgoing) >= QUEUE_SIZE:
            raise Overflow()
        self._outgoing.append(frame)
        self._wakeup.ring()

    def notify(self, *, position_only: bool = False) -> None:
        """Something changed for this session (called by the channel; never blocks)."""
        if position_only:
            self._position_stale = True
        else:
            self._dirty = True
        self._wakeup.ring()

    async def run_sender(
        self, write: Sender, keepalive: Sender | None = None, idle_seconds: float = 20.0
    ) -> None:
        """Owned by the connection: writes queued frames, pumps the log when woken. With
        `keepalive`, writes it after `idle_seconds` of silence (SSE comments)."""
        while True:
            if keepalive is None:
                await self._wakeup.wait()
            else:
                try:
                    async with asyncio.timeout(idle_seconds):
                        await self._wakeup.wait()
                except TimeoutError:
                    await keepalive(": keepalive\n\n")
                    continue
            if self._dirty or self._position_stale:
                await self.pump()
            while self._outgoing:  # oldest first; at most QUEUE_SIZE more wait meanwhile
                await write(encode(self._outgoing.pop(0)))

    # -- incoming ---------------------------------------------------------------------------

    async def hello(self, frame: Frame) -> None:
        """Identify the visitor and find their conversation; the caller registers the session
        with the channel and then pumps, so no event falls between the two."""
        await self._identify(frame.text("visitor", 200))
        self.site = self._ctx.site(frame.text("site", 40))
        assert self.vid is not None
        page = frame.mapping("page") if frame.body.get("page") else {}
        await self._ctx.core.leads.visit(
            self.vid,
            url=page.get("url", ""),
            title=page.get("title", ""),
            referrer=page.get("referrer", ""),
        )
        current = await self._ctx.core.customers.current(self.vid)
        if current is not None:
            self.cid = current.id
            asked = frame.text("conversation", 40)
            last = frame.text("last", 45)
            self.last = parse_event_id(last) if last and asked == current.id else None
        self.send(
            {
                "t": "welcome",
                "visitor": self.token,
                "conversation": state_frame(current, None)["conversation"] if current else None,
            }
        )
        await self.pump(force_state=True)

    async def _identify(self, token: str) -> None:
        if token:
            try:
                self.vid, self.token = self._ctx.sign.visitor(token), token
                return
            except InvalidInput as e:
                self.send(error("bad_visitor", e.message))
        self.vid, self.token = self._ctx.sign.new_visitor()

    async def handle(self, frame: Frame) -> None:
        """Apply a client frame, then show its effects at once (no wait for the doorbell)."""
        if self.vid is None:
            raise BadFrame("bad_frame", "send hello first")
        reply = await self._ops.run(self.vid, self.cid, frame, self.ip, self.site)
        if reply.conversation != self.cid:
            self.switch(reply.conversation)
        for out in reply.frames:
            self.send(out)
        self.notify()

    def switch(self, cid: ConversationId | None) -> None:
        """Show another conversation (a new one after a close, or started in another tab)."""
        if cid == self.cid:
            return
        self.cid, self.last, self._state_sent = cid, None, None
        if self._on_switch is not None:
            self._on_switch(self)

    # -- the log ----------------------------------------------------------------------------

    async def pump(self, *, force_state: bool = False) -> None:
        """Send every customer-visible event after `last`, in order, then the state if it
        changed. Serialized per session; safe to call when nothing is new."""
        async with self._lock:
            self._dirty = False
            try:
                changed = await self._send_new_events()
                if changed or force_state or self._position_stale:
                    await self._send_state()
            except BridgeError as e:
                self.send(explain(e))

    async def _send_new_events(self) -> bool:
        if self.vid is None or self.cid is None:
            return False
        changed = False
        while True:
            items = await self._ctx.core.customers.log(self.vid, self.cid, self.last, PAGE)
            for item in items:
                if self.last is not None and event_id_key(item.id) <= event_id_key(self.last):
                    continue
                self.send(event_frame(item, self.cid, self._file_url))
                self.last = item.id
                changed = (
                    changed or item.kind.value in _STATE_KINDS or item.kind is EventKind.MESSAGE
                )
            if len(items) < PAGE:
                return changed

    def _file_url(self, attachment: Any) -> str:
        assert self.vid is not None
        return self._ctx.file_url(attachment, self.vid)

    async def _send_state(self) -> None:
        self._position_stale = False
        if self.vid is None or self.cid is None:
            return
        c = await self._ctx.core.customers.conversation(self.vid, self.cid)
        position = None
        if c.state is ConversationState.QUEUED:
            position = await self._ctx.core.customers.position(self.vid, self.cid)
        self.queued = c.state is ConversationState.QUEUED
        frame = state_frame(c, position)
        if frame != self._state_sent:
            self.send(frame)
            self._state_sent = frame
