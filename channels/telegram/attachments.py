"""Files agents send in a topic (photo, document, voice note): checked against Telegram's
20 MB download limit and the bridge's own upload limit before anything is downloaded, then
fetched (getFile + the file URL) and kept through core.files, which checks the real type."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message
from telegram.error import BadRequest

from bridge.domain.errors import InvalidInput
from bridge.domain.ids import ConversationId
from bridge.domain.model import Attachment
from channels.telegram.context import Context
from channels.telegram.errors import Problem, problem
from channels.telegram.sender import DOWNLOAD_LIMIT


@dataclass(frozen=True, slots=True)
class Incoming:
    file_id: str
    size: int | None
    name: str
    mime: str


def incoming(message: Message) -> Incoming | None:
    """The file a message carries (the largest size of a photo), or None."""
    if message.photo:
        p = message.photo[-1]
        return Incoming(p.file_id, p.file_size, f"photo_{p.file_unique_id}.jpg", "image/jpeg")
    if message.document is not None:
        d = message.document
        mime = d.mime_type or "application/octet-stream"
        return Incoming(d.file_id, d.file_size, d.file_name or "file", mime)
    if message.voice is not None:
        v = message.voice
        name = f"voice_{v.file_unique_id}.ogg"
        return Incoming(v.file_id, v.file_size, name, v.mime_type or "audio/ogg")
    return None


async def fetch(ctx: Context, cid: ConversationId, file: Incoming) -> Attachment:
    """Download and keep the file. Raises InvalidInput with a text for the agent when it is
    too large or of a type the bridge does not accept."""
    limit = min(ctx.core.files.max_bytes, DOWNLOAD_LIMIT)
    too_big = InvalidInput("file", ctx.t("file.too_big", name=file.name, mb=limit // 2**20))
    if file.size is not None and file.size > limit:
        raise too_big
    try:
        data = await ctx.sender.download(file.file_id)
    except BadRequest as e:
        if problem(e) is Problem.FILE_TOO_BIG:
            raise too_big from e
        raise
    return await ctx.core.files.save(cid, data, file.name, file.mime)
