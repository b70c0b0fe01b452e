"""The store: every repository over one pair of Redis clients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bridge.settings import RedisSettings
from bridge.store.agents import AgentStore
from bridge.store.assignment import AssignmentStore
from bridge.store.bus import EventReader
from bridge.store.contacts import ContactStore
from bridge.store.conversations import ConversationStore
from bridge.store.files import FileStore
from bridge.store.guards import Guards
from bridge.store.inbox import Inbox
from bridge.store.indexes import IndexStore
from bridge.store.keys import Keys
from bridge.store.notices import NoticeStore
from bridge.store.outbox import Outbox
from bridge.store.scripts import Head, Scripts
from bridge.store.threads import ThreadStore
from bridge.store.timers import TimerStore
from bridge.store.visitors import VisitorStore

DAY = 24 * 3600


class Store:
    """`routes` maps each department to the agent-channel kinds that hear about it."""

    def __init__(
        self,
        redis: Redis,
        blocking: Redis,
        settings: RedisSettings,
        routes: Mapping[str, Sequence[str]],
        *,
        prefix: str | None = None,
        files_dir: str = "var/uploads",
    ) -> None:
        self.redis = redis
        self.settings = settings
        self.keys = Keys(settings.prefix if prefix is None else prefix, settings.outbox_lanes)
        self.head = Head.build(
            self.keys,
            routes,
            log_maxlen=settings.log_maxlen,
            events_maxlen=settings.events_maxlen,
            outbox_maxlen=settings.outbox_maxlen,
        )
        scripts = Scripts(redis)
        retention = settings.retention_days * DAY
        self.conversations = ConversationStore(redis, self.keys, self.head, scripts, retention)
        self.assignment = AssignmentStore(redis, self.keys, self.head, scripts, retention)
        self.indexes = IndexStore(redis, self.keys)
        self.contacts = ContactStore(redis, self.keys, scripts)
        self.visitors = VisitorStore(redis, self.keys, settings.visitor_days * DAY)
        self.threads = ThreadStore(redis, self.keys, retention)
        self.guards = Guards(redis, self.keys, scripts)
        self.outbox = Outbox(redis, self.keys)
        self.agents = AgentStore(redis, self.keys, scripts, settings.events_maxlen)
        self.timers = TimerStore(redis, self.keys, scripts)
        self.notices = NoticeStore(redis, self.keys, scripts, settings.events_maxlen)
        self.events = EventReader(blocking, self.keys)
        self.inbox = Inbox(redis, blocking, self.keys, scripts)
        self.files = FileStore(redis, self.keys, files_dir, retention)
        self.blocking = blocking

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.head.kinds

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False
