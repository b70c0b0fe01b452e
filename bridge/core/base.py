"""What every conversation operation shares: its collaborators, reading, bounded retries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bridge.core.distribution import Distributor
from bridge.core.scheduler import Scheduler
from bridge.core.stats import Stats
from bridge.domain.errors import InvalidInput, NotFound, Unavailable
from bridge.domain.ids import ConversationId
from bridge.domain.model import Attachment, Conversation
from bridge.domain.text import clean_message
from bridge.ports import Clock, Observer
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.scripts import Stale

T = TypeVar("T")
STALE_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Deps:
    store: Store
    directory: Directory
    clock: Clock
    stats: Stats
    observer: Observer
    scheduler: Scheduler
    distributor: Distributor


class ConversationOps:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._store, self._directory, self._clock = deps.store, deps.directory, deps.clock

    async def get(self, cid: ConversationId) -> Conversation:
        found = await self._store.conversations.get(cid)
        if found is None:
            raise NotFound("conversation", cid)
        return found

    async def _retrying(
        self, cid: ConversationId, step: Callable[[Conversation], Awaitable[T]]
    ) -> T:
        """Run a write that re-checks what it read; when the conversation moved meanwhile
        (another process transferred it), read again and retry, a bounded number of times."""
        for _ in range(STALE_RETRIES):
            try:
                return await step(await self.get(cid))
            except Stale:
                continue
        raise Unavailable(f"conversation {cid} keeps changing; try again")

    def _text(self, text: str, attachments: tuple[Attachment, ...] = ()) -> str:
        body = clean_message(text, limit=self._directory.settings.limits.message_chars)
        if not body and not attachments:
            raise InvalidInput("text", "a message needs text or an attachment")
        return body
