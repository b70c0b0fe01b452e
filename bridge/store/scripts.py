"""The Lua scripts, loaded once, and the shared head of their KEYS and ARGV."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from bridge.domain.errors import (
    AlreadyClaimed,
    CapacityReached,
    Forbidden,
    IllegalTransition,
    NotFound,
    Reserved,
    Unavailable,
)
from bridge.domain.events import EventKind
from bridge.domain.ids import ConversationId
from bridge.domain.states import Action, allowed_from, lua_table
from bridge.store.keys import Keys

TRANSITIONS: Final = (
    "create",
    "append",
    "enqueue",
    "claim",
    "assign",
    "reply",
    "transfer",
    "close",
    "reopen",
)
STANDALONE: Final = (
    "contact",
    "lease",
    "release",
    "bucket",
    "internal",
    "inbox",
    "notice",
    "timers",
    "timer_done",
)

Reply = list[str]


class Stale(Exception):
    """The conversation changed between the caller's read and the script: read again, retry."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Statistics a script counts in the same step: fields of a department's day hash."""

    department: str
    day: str  # YYYY-MM-DD in the department's time zone
    fields: tuple[str, ...]

    @property
    def joined(self) -> str:
        return ",".join(self.fields)


@dataclass(frozen=True, slots=True)
class EventSpec:
    """An event for a script: its JSON, kind, and routing ("" = log only; "post:*"; …)."""

    json: str
    kind: EventKind
    routing: str = ""


def _source(name: str) -> str:
    return resources.files("bridge.store.lua").joinpath(f"{name}.lua").read_text("utf-8")


class Scripts:
    """Each script registered once (EVALSHA, falling back to EVAL after a server restart)."""

    def __init__(self, redis: Redis) -> None:
        prelude = _source("prelude").replace("__NEXT__", lua_table())
        self._scripts: dict[str, AsyncScript] = {
            name: redis.register_script(prelude + "\n" + _source(name)) for name in TRANSITIONS
        }
        self._scripts.update({name: redis.register_script(_source(name)) for name in STANDALONE})

    async def run(self, name: str, keys: Sequence[str], args: Sequence[str | int]) -> Reply:
        result = await self._scripts[name](keys=list(keys), args=list(args))
        if isinstance(result, list):
            return [str(x) for x in result]
        return [str(result)]  # a script replying with one value


@dataclass(frozen=True, slots=True)
class Head:
    """The KEYS and ARGV every transition script starts with (see lua/prelude.lua)."""

    keys: Keys
    kinds: tuple[str, ...]
    routes: str  # json {department: [kind, ...]}
    limits: str

    @classmethod
    def build(
        cls,
        keys: Keys,
        routes: Mapping[str, Sequence[str]],
        *,
        log_maxlen: int,
        events_maxlen: int,
        outbox_maxlen: int,
    ) -> Head:
        kinds = tuple(sorted({k for kinds in routes.values() for k in kinds}))
        payload = json.dumps({d: list(k) for d, k in routes.items() if k}, sort_keys=True)
        return cls(keys, kinds, payload, f"{log_maxlen},{events_maxlen},{outbox_maxlen}")

    def key_list(self, cid: ConversationId, *own: str) -> list[str]:
        outboxes = [self.keys.outbox_for(kind, cid) for kind in self.kinds]
        head = [self.keys.conversation(cid), self.keys.log(cid), self.keys.doorbell()]
        return [*head, *outboxes, *own]

    def arg_list(self, cid: str, now_ms: int, *own: str | int) -> list[str | int]:
        return [cid, ",".join(self.kinds), self.routes, self.limits, now_ms, *own]


MISSING_KEY = "none"  # a key name for unused script slots; never written


class TransitionStore:
    """What the stores that run transition scripts share: clients, key names, the prelude."""

    def __init__(
        self, redis: Redis, keys: Keys, head: Head, scripts: Scripts, ref_ttl: int
    ) -> None:
        self._redis, self._keys, self._head, self._scripts = redis, keys, head, scripts
        self._ref_ttl = ref_ttl

    def _unused(self) -> str:
        return self._keys.kv(MISSING_KEY)

    def _stats(self, tally: Tally | None) -> str:
        return self._keys.stats(tally.department, tally.day) if tally else self._unused()


def event_args(events: Sequence[EventSpec]) -> list[str | int]:
    args: list[str | int] = [len(events)]
    for event in events:
        args += [event.json, event.kind.value, event.routing]
    return args


def raise_for(reply: Reply, cid: str, action: Action, *, who: str = "") -> None:
    """Turn a script's refusal into the domain error it stands for; return on success."""
    match reply[0]:
        case "missing":
            raise NotFound("conversation", cid)
        case "state":
            expected = " or ".join(s.value for s in allowed_from(action))
            raise IllegalTransition(cid, reply[1], action.value, expected)
        case "taken":
            raise AlreadyClaimed(cid, reply[1])
        case "forbidden":
            raise Forbidden(who, f"{action.value} {cid}", "no access to its department")
        case "capacity":
            raise CapacityReached(who, int(reply[1]))
        case "full":
            raise Unavailable(f"the {reply[1]} delivery queue is full; try again shortly")
        case "stale":
            raise Stale(cid)
        case "reserved":
            raise Reserved(cid, reply[1], reply[2])
        case _:
            return
