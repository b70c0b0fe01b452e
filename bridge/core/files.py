"""Attachments both ways: checked (size, real type) before they are kept, read back by id."""

from __future__ import annotations

import filetype

from bridge.domain.errors import InvalidInput, NotFound
from bridge.domain.ids import AttachmentId, ConversationId, new_attachment_id
from bridge.domain.model import Attachment
from bridge.settings import Settings
from bridge.store import Store

TEXT_TYPES = ("text/plain", "text/csv")


def sniff(data: bytes, declared: str) -> str:
    """The real type from the bytes, not the name. Text has no magic number: it must decode."""
    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    if declared in TEXT_TYPES and b"\x00" not in data[:4096]:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return declared
    return "application/octet-stream"


def safe_name(name: str) -> str:
    cleaned = "".join(c for c in name if c.isprintable() and c not in '/\\<>:"|?*').strip(". ")
    return cleaned[:120] or "file"


class Files:
    def __init__(self, store: Store, settings: Settings) -> None:
        self._store, self._uploads = store, settings.widget.uploads

    @property
    def max_bytes(self) -> int:
        return self._uploads.max_bytes

    def check(self, data: bytes, name: str, declared: str) -> Attachment:
        """A new attachment for these bytes, or InvalidInput saying why they are refused."""
        if len(data) > self._uploads.max_bytes:
            limit = self._uploads.max_bytes // (1024 * 1024)
            raise InvalidInput("file", f"the file is larger than the {limit} MB limit")
        if not data:
            raise InvalidInput("file", "the file is empty")
        mime = sniff(data, declared)
        if mime not in self._uploads.types:
            raise InvalidInput("file", f"files of type {mime} are not accepted")
        return Attachment(new_attachment_id(), safe_name(name), mime, len(data))

    async def save(self, cid: ConversationId, data: bytes, name: str, declared: str) -> Attachment:
        attachment = self.check(data, name, declared)
        await self._store.files.save(cid, attachment, data)
        return attachment

    async def meta(self, aid: AttachmentId) -> tuple[ConversationId, Attachment]:
        found = await self._store.files.meta(aid)
        if found is None:
            raise NotFound("file", aid)
        return found

    async def read(self, aid: AttachmentId) -> tuple[Attachment, bytes]:
        _, attachment = await self.meta(aid)
        try:
            return attachment, await self._store.files.read(aid)
        except FileNotFoundError:
            raise NotFound("file", aid) from None
