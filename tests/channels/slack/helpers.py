"""Reading what the daemon did in the emulated Slack, waiting on the emulator's calls (never a
sleep): roots by conversation, replies in a thread, ephemeral answers, reactions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from bridge.core import Core
from bridge.daemon.app import CORE
from tests.channels.slack.customer import Customer
from tests.channels.slack.emulator import PonteSlack
from tests.emulators.slack import Call, Delivery
from tests.emulators.slack_records import JsonDict


def typed(value: str) -> JsonDict:
    """A plain_text_input's state in a view submission."""
    return {"value": {"type": "plain_text_input", "value": value}}


def select(value: str | None) -> JsonDict:
    """A static_select's state in a view submission (None: nothing chosen)."""
    option = {"value": value} if value else None
    return {"value": {"type": "static_select", "selected_option": option}}


def elements(blocks: list[JsonDict]) -> list[JsonDict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def accessories(blocks: list[JsonDict]) -> list[JsonDict]:
    return [b["accessory"] for b in blocks if "accessory" in b]


def sections(blocks: list[JsonDict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]


def card_of(call: Call, cid: str) -> bool:
    blocks = call.params.get("blocks") or []
    return any(b.get("block_id") == f"card:{cid}" for b in blocks)


def card_text(message: JsonDict) -> str:
    """Everything a root card shows, as one string."""
    return json.dumps(message.get("blocks") or [], ensure_ascii=False)


def buttons(message: JsonDict) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


class Bed:
    def __init__(self, emu: PonteSlack, daemon: TestClient[Any, Any]) -> None:
        self.emu, self.daemon = emu, daemon

    @property
    def core(self) -> Core:
        core: Core = self.daemon.app[CORE]
        return core

    async def root(self, cid: str, channel: str | None = None) -> tuple[str, str]:
        """(channel, ts) of the conversation's root card, once posted."""
        call = await self.emu.wait_for_call(
            "chat.postMessage",
            lambda c: (
                card_of(c, cid)
                and c.reply.get("ok") is True
                and (channel is None or c.params["channel"] == channel)
            ),
        )
        return str(call.params["channel"]), str(call.reply["ts"])

    async def click(self, user: str, action: str, value: str, channel: str, ts: str) -> Delivery:
        """`user` clicks a button of the message `ts` (a card, a list) in `channel`."""
        return await self.emu.click_button(
            user, action_id=action, value=value, channel=channel, message_ts=ts
        )

    async def claimed(self, customer: Customer, user: str = "U0ANA") -> tuple[str, str]:
        """A customer's new conversation, claimed from its card: (channel, root ts)."""
        cid = await customer.arrive()
        channel, ts = await self.root(cid)
        await self.click(user, "claim", cid, channel, ts)
        await customer.sees(lambda e: e["kind"] == "claimed")
        return channel, ts

    def card(self, channel: str, ts: str) -> JsonDict:
        found = [m for m in self.emu.messages(channel) if m["ts"] == ts]
        assert found, f"no root {ts} in {channel}"
        return found[0]

    async def reply(self, channel: str, ts: str, contains: str) -> Call:
        """The thread reply whose text contains `contains`, once posted."""
        return await self.emu.wait_for_call(
            "chat.postMessage",
            lambda c: (
                c.params.get("channel") == channel
                and c.params.get("thread_ts") == ts
                and contains in str(c.params.get("text"))
            ),
        )

    def thread(self, channel: str, ts: str) -> list[str]:
        return [str(m.get("text")) for m in self.emu.messages(channel, ts)]

    async def card_update(self, channel: str, ts: str, check: Callable[[str], bool]) -> Call:
        """The first chat.update of the root whose blocks pass `check`."""
        return await self.emu.wait_for_call(
            "chat.update",
            lambda c: (
                c.params.get("channel") == channel
                and c.params.get("ts") == ts
                and check(json.dumps(c.params.get("blocks") or [], ensure_ascii=False))
            ),
        )

    async def answer(self, user: str, contains: str, via: str = "response_url") -> Call:
        """A private answer to `user` containing `contains`: by its response_url, an ephemeral
        (chat.postEphemeral) or the app's DM (chat.postMessage to the user id)."""

        def matches(c: Call) -> bool:
            if contains not in str(c.params.get("text", "")):
                return False
            if c.method == "response_url":
                return True
            return user in (c.params.get("user"), c.params.get("channel"))

        return await self.emu.wait_for_call(via, matches)

    async def command(self, user: str, text: str, contains: str, channel: str = "C0VENDAS") -> Call:
        """Run /ponte `text` as `user`; the first private answer (by a response_url) posted
        after it whose text contains `contains` (the emulator's ephemerals() say to whom)."""
        earlier = {id(c) for c in self.emu.calls("response_url")}
        delivery = await self.emu.slash_command(user, "/ponte", text, channel=channel)
        assert (delivery.status, delivery.body) == (200, ""), delivery.body
        return await self.emu.wait_for_call(
            "response_url",
            lambda c: id(c) not in earlier and contains in str(c.params.get("text")),
        )

    async def reaction(self, name: str, ts: str) -> Call:
        return await self.emu.wait_for_call(
            "reactions.add", lambda c: c.params.get("name") == name and c.params["timestamp"] == ts
        )
