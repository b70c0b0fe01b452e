"""What a client frame asks of the core, transport-neutral and stateless: the WebSocket
session and the POST fallback both use it."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from bridge.domain.errors import (
    BridgeError,
    IllegalTransition,
    InvalidInput,
    NotFound,
    Unavailable,
)
from bridge.domain.ids import ConversationId, VisitorId, parse_attachment_id
from bridge.domain.model import Attachment
from widget.context import WidgetContext
from widget.protocol import BadFrame, Frame, error


@dataclass
class Reply:
    frames: list[dict[str, Any]] = field(default_factory=list)
    conversation: ConversationId | None = None  # the conversation the visitor is in now


def explain(e: BridgeError, ref: str = "") -> dict[str, Any]:
    match e:
        case InvalidInput():
            return error("invalid", e.message, field=e.field, ref=ref)
        case NotFound():
            return error("not_found", str(e), ref=ref)
        case IllegalTransition():
            return error("state", str(e), ref=ref)
        case Unavailable():
            return error("unavailable", str(e), ref=ref)
        case _:
            return error("invalid", str(e), ref=ref)


class Operations:
    def __init__(self, ctx: WidgetContext) -> None:
        self._ctx = ctx
        self._core = ctx.core

    async def run(
        self,
        vid: VisitorId,
        cid: ConversationId | None,
        frame: Frame,
        ip: str,
        site: str = "default",
    ) -> Reply:
        """Apply one client frame. Errors come back as error frames; nothing half-done."""
        reply = Reply(conversation=cid)
        ref = frame.text("id", 64)
        try:
            if frame.t == "identify":
                await self._identify(vid, frame, site, reply)
            else:
                await self._dispatch(vid, frame, ip, reply)
        except BadFrame as e:
            reply.frames.append(error(e.code, e.message, ref=ref))
        except BridgeError as e:
            reply.frames.append(explain(e, ref))
        return reply

    async def _dispatch(self, vid: VisitorId, frame: Frame, ip: str, reply: Reply) -> None:
        customers = self._core.customers
        match frame.t:
            case "start":
                await self._limit(
                    "conv", vid, ip, self._ctx.settings.widget.rate.conversations_per_hour, 3600
                )
                page = frame.mapping("page") if frame.body.get("page") else {}
                c = await customers.start(vid, page_url=page.get("url", ""))
                reply.conversation = c.id
            case "department":
                outcome = await customers.choose_department(
                    vid, self._cid(reply), frame.text("department", 40)
                )
                _errors(reply, outcome.errors)
            case "form":
                outcome = await customers.submit_form(
                    vid, self._cid(reply), frame.mapping("values")
                )
                _errors(reply, outcome.errors)
            case "pick":
                await customers.pick(vid, self._cid(reply), frame.text("item", 40))
            case "say":
                await self._say(vid, frame, ip, reply)
            case _:
                await self._other(vid, frame, reply)

    async def _other(self, vid: VisitorId, frame: Frame, reply: Reply) -> None:
        match frame.t:
            case "rate":
                rating = frame.body.get("rating")
                if not isinstance(rating, int) or isinstance(rating, bool):
                    raise BadFrame("bad_frame", "rating must be a number from 1 to 5")
                await self._core.customers.rate(
                    vid, self._cid(reply), rating, frame.text("comment", 1000)
                )
            case "close":
                await self._core.customers.close(vid, self._cid(reply))
            case "ping":
                self._core.leads.alive(vid)  # written with the others within a second
                reply.frames.append({"t": "pong"})
            case "page":
                page = frame.mapping("page")
                await self._core.leads.visit(
                    vid,
                    url=page.get("url", ""),
                    title=page.get("title", ""),
                    referrer=page.get("referrer", ""),
                )
            case "typing":  # before any conversation there is nobody to tell
                if reply.conversation is not None:
                    await self._core.signals.customer_typing(vid, reply.conversation)
            case _:
                return

    async def _identify(self, vid: VisitorId, frame: Frame, site: str, reply: Reply) -> None:
        """A logged-in customer, vouched for by the site: HMAC-SHA256(site secret, user id). An
        identity without a valid HMAC is ignored: the visitor stays anonymous."""
        user = frame.mapping_any("user")
        user_id = str(user.get("id", ""))[:128]
        secret = self._ctx.identity_secret(site)
        if not secret or not user_id or not verify(secret, user_id, frame.text("hmac", 128)):
            reply.frames.append({"t": "identified", "verified": False, "ref": frame.text("id", 64)})
            return
        given = user.get("fields")
        fields: dict[str, Any] = given if isinstance(given, dict) else {}
        await self._core.customers.identify(
            vid,
            site,
            user_id,
            name=_str(user, "name"),
            email=_str(user, "email"),
            phone=_str(user, "phone"),
            fields={str(k): str(v)[:500] for k, v in fields.items()},
        )
        reply.frames.append({"t": "identified", "verified": True, "ref": frame.text("id", 64)})

    async def _say(self, vid: VisitorId, frame: Frame, ip: str, reply: Reply) -> None:
        client_id = frame.text("id", 64)
        if not client_id:
            raise BadFrame("bad_frame", "say needs an id")
        await self._limit("msg", vid, ip, self._ctx.settings.widget.rate.messages_per_minute, 60)
        limit = self._ctx.settings.limits.message_chars
        text = frame.text("text", limit * 4)
        attachments = await self._attachments(vid, frame.strings("attachments"))
        said = await self._core.customers.say(
            vid, self._cid(reply), text, client_id=client_id, attachments=attachments
        )
        self._ctx.observer.message_in("widget")
        reply.conversation = said.conversation_id
        ack: dict[str, Any] = {
            "t": "ack",
            "id": client_id,
            "event": said.event_id,
            "conversation": said.conversation_id,
        }
        if said.duplicate:
            ack["duplicate"] = True
        reply.frames.append(ack)

    async def _attachments(self, vid: VisitorId, ids: list[str]) -> tuple[Attachment, ...]:
        """Only files this visitor uploaded to one of their conversations."""
        found = []
        for raw in ids:
            cid, attachment = await self._core.files.meta(parse_attachment_id(raw))
            await self._core.customers.conversation(vid, cid)  # NotFound when not theirs
            found.append(attachment)
        return tuple(found)

    async def _limit(
        self, what: str, vid: VisitorId, ip: str, per_visitor: int, window: int
    ) -> None:
        factor = self._ctx.settings.widget.rate.per_ip_factor
        links = self._core.links
        if not await links.allow(f"w:{what}:{vid}", per_visitor, window) or not await links.allow(
            f"w:{what}:ip:{ip}", per_visitor * factor, window
        ):
            raise BadFrame("rate_limited", "too many requests; wait a moment")

    @staticmethod
    def _cid(reply: Reply) -> ConversationId:
        if reply.conversation is None:
            raise InvalidInput("conversation", "start a conversation first")
        return reply.conversation


def sign_user(secret: str, user_id: str) -> str:
    """What a site's server computes for a logged-in user: HMAC-SHA256(secret, id), hex."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, user_id: str, given: str) -> bool:
    return hmac.compare_digest(sign_user(secret, user_id), given.lower())


def _str(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return value[:200] if isinstance(value, str) else ""


def _errors(reply: Reply, errors: dict[str, str] | Any) -> None:
    if errors:
        reply.frames.append({"t": "errors", "errors": dict(errors)})
