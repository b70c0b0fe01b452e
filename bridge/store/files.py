"""Attachments: bytes in a local folder (never in Redis), metadata in Redis for access checks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bridge.domain.ids import AttachmentId, ConversationId
from bridge.domain.model import Attachment
from bridge.store import replies
from bridge.store.keys import Keys


class FileStore:
    def __init__(self, redis: Redis, keys: Keys, folder: str, ttl_seconds: int) -> None:
        self._redis, self._keys, self._ttl = redis, keys, ttl_seconds
        self._folder = Path(folder)

    def _path(self, aid: AttachmentId) -> Path:
        return self._folder / aid[2:4] / aid

    async def save(self, cid: ConversationId, attachment: Attachment, data: bytes) -> None:
        """Write the bytes first, then the metadata: a crash leaves an orphan file, never a
        reference to missing bytes."""
        path = self._path(attachment.id)
        await asyncio.to_thread(_write, path, data)
        fields: dict[Any, Any] = {
            "cid": cid,
            "name": attachment.name,
            "mime": attachment.mime,
            "size": attachment.size,
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.file(attachment.id), mapping=fields)
            pipe.expire(self._keys.file(attachment.id), self._ttl)
            await pipe.execute()

    async def meta(self, aid: AttachmentId) -> tuple[ConversationId, Attachment] | None:
        body = replies.fields(await self._redis.hgetall(self._keys.file(aid)))
        if not body:
            return None
        attachment = Attachment(
            aid, body.get("name", ""), body.get("mime", ""), int(body.get("size", 0))
        )
        return ConversationId(body["cid"]), attachment

    async def read(self, aid: AttachmentId) -> bytes:
        return await asyncio.to_thread(self._path(aid).read_bytes)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)
