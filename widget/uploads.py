"""POST /widget/upload (customer files) and GET /widget/files/<id> (signed, per visitor)."""

from __future__ import annotations

from aiohttp import BodyPartReader, web

from bridge.domain.errors import BridgeError, InvalidInput
from bridge.domain.ids import parse_attachment_id, parse_conversation_id, parse_visitor_id
from widget.context import WidgetContext
from widget.operations import explain
from widget.protocol import encode, error
from widget.ws import client_ip

CHUNK = 64 * 1024


class Uploads:
    def __init__(self, ctx: WidgetContext) -> None:
        self._ctx = ctx

    async def upload(self, request: web.Request) -> web.Response:
        origin = self._ctx.origins.check(request)
        headers = self._ctx.origins.cors(origin)
        try:
            frame = await self._receive(request)
            status = 200
        except _Refused as e:
            frame, status = e.frame, e.status
        return web.Response(
            text=encode(frame), status=status, content_type="application/json", headers=headers
        )

    async def _receive(self, request: web.Request) -> dict[str, object]:
        fields: dict[str, str] = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "file":
                return await self._store(request, fields, part)
            fields[part.name or ""] = (await part.read_chunk(512)).decode(errors="replace")
        raise _Refused(error("bad_frame", "send visitor, conversation, then the file"), 400)

    async def _store(
        self, request: web.Request, fields: dict[str, str], part: BodyPartReader
    ) -> dict[str, object]:
        core, limits = self._ctx.core, self._ctx.settings.widget.rate
        try:
            vid = self._ctx.sign.visitor(fields.get("visitor"))
            cid = parse_conversation_id(fields.get("conversation"))
            await core.customers.conversation(vid, cid)
        except InvalidInput as e:
            raise _Refused(
                error("bad_visitor" if e.field == "visitor" else "invalid", e.message), 403
            ) from None
        except BridgeError as e:
            raise _Refused(explain(e), 404) from None
        ip = client_ip(request)
        allowed = await core.links.allow(f"w:up:{vid}", limits.uploads_per_hour, 3600) and (
            await core.links.allow(
                f"w:up:ip:{ip}", limits.uploads_per_hour * limits.per_ip_factor, 3600
            )
        )
        if not allowed:
            raise _Refused(error("rate_limited", "too many uploads; wait a while"), 429)
        data = await self._read_bounded(part)
        try:
            attachment = await core.files.save(
                cid, data, part.filename or "file", part.headers.get("Content-Type", "")
            )
        except BridgeError as e:
            raise _Refused(explain(e), 400) from None
        return {"t": "attachment", "attachment": attachment.to_json()}

    async def _read_bounded(self, part: BodyPartReader) -> bytes:
        limit = self._ctx.core.files.max_bytes
        data = bytearray()
        while chunk := await part.read_chunk(CHUNK):
            data += chunk
            if len(data) > limit:
                raise _Refused(
                    error("too_large", f"files are limited to {limit // 1048576} MB"), 413
                )
        return bytes(data)

    async def download(self, request: web.Request) -> web.Response:
        """Only with the signed URL the visitor's own session received."""
        q = request.query
        try:
            aid = parse_attachment_id(request.match_info["aid"])
            vid = parse_visitor_id(q.get("v"))
        except InvalidInput:
            raise web.HTTPNotFound() from None
        if not self._ctx.sign.check_file(aid, vid, q.get("exp", ""), q.get("sig", "")):
            raise web.HTTPForbidden(text="this link is not valid (or has expired)")
        try:
            cid, attachment = await self._ctx.core.files.meta(aid)
            await self._ctx.core.customers.conversation(vid, cid)
            _, data = await self._ctx.core.files.read(aid)
        except BridgeError:
            raise web.HTTPNotFound() from None
        disposition = "inline" if attachment.is_image else "attachment"
        return web.Response(
            body=data,
            content_type=attachment.mime,
            headers={
                "Content-Disposition": f'{disposition}; filename="{attachment.name}"',
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "sandbox; default-src 'none'",
                "Cache-Control": "private, max-age=3600",
                "Cross-Origin-Resource-Policy": "cross-origin",
            },
        )


class _Refused(Exception):
    def __init__(self, frame: dict[str, object], status: int) -> None:
        super().__init__(frame)
        self.frame, self.status = frame, status
