"""What the Telegram tests share: who is who in the emulated world, the daemon under test with
ways to find its topics and messages, and the customer (a widget tab over a real WebSocket)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from bridge.core import Core
from bridge.domain.ids import AttachmentId, ConversationId
from bridge.domain.model import ChannelKind
from bridge.domain.refs import ThreadRef
from bridge.store import Store
from channels.telegram.adapter import TelegramAdapter
from channels.telegram.topics import Topics
from tests.emulators.telegram import TelegramEmulator
from tests.emulators.telegram_wire import Call, JsonDict
from tests.waiting import until
from tests.widget_client import Frame, WidgetClient

VENDAS, FINANCEIRO = -1001, -1003  # the departments' groups in tests/settings_factory.py
CARLA, DIEGO, ELISA, STRANGER = 1003, 1004, 1005, 7777
AGENT_USERS = {CARLA: "Carla", DIEGO: "Diego", ELISA: "Elisa", STRANGER: "Zé"}


def telegram_changes(emu: TelegramEmulator, tmp_path: Path) -> dict[str, Any]:
    root = emu.base_url.removesuffix("/bot")
    return {
        "widget": {"uploads": {"dir": str(tmp_path / "uploads")}},
        "telegram": {
            "api_url": root,
            # the fake clock stands still, so the shared buckets never refill: no pacing here
            # (tests/channels/telegram/test_delivery.py covers it with a clock that moves)
            "messages_burst": 100_000,
            "group_messages_burst": 100_000,
            "poll_timeout": 1,
            "poll_lease_ms": 900,
        },
    }


def sent_to(chat: int, thread: int | None = None, *, text: str = "") -> Callable[[Call], bool]:
    """A predicate for a successful send into `chat` (and topic), containing `text`."""

    def match(call: Call) -> bool:
        p = call.params
        in_thread = thread is None or p.get("message_thread_id") == thread
        shown = str(p.get("text") or p.get("caption") or "")
        return call.status == 200 and p.get("chat_id") == chat and in_thread and text in shown

    return match


def replying_to(message_id: int) -> Callable[[Call], bool]:
    """A predicate for a successful send that replies to message `message_id`."""

    def match(call: Call) -> bool:
        reply = call.params.get("reply_parameters") or {}
        return call.status == 200 and reply.get("message_id") == message_id

    return match


@dataclass
class Topic:
    chat: int
    thread: int
    header: int

    @property
    def ref(self) -> str:
        return f"{self.chat}/{self.thread}/{self.header}"


@dataclass
class Daemon:
    client: TestClient[Any, Any]
    adapter: TelegramAdapter
    emu: TelegramEmulator
    core: Core
    tabs: list[Customer] = field(default_factory=list)

    async def topic(self, chat: int, number: int, *, after: int = 0) -> Topic:
        """The topic opened for conversation `number` in `chat` (the after-th one), found
        from the createForumTopic call and the header card posted in it."""
        created = await self.emu.wait_for_call(
            "createForumTopic",
            lambda c: (
                c.status == 200
                and c.params["chat_id"] == chat
                and c.params["name"].endswith(f"#{number}")
                and c.result["message_thread_id"] > after
            ),
        )
        thread = created.result["message_thread_id"]
        header = await self.emu.wait_for_call(
            "sendMessage",
            lambda c: sent_to(chat, thread)(c) and "reply_markup" in c.params,
        )

        async def mapped() -> bool:  # written just after the header: agents may write there
            return bool(await self.core.links.get_value(Topics.key_for(chat, thread)))

        await until(mapped)
        return Topic(chat, thread, header.result["message_id"])

    async def posted(self, chat: int, thread: int | None, text: str) -> Call:
        return await self.emu.wait_for_call("sendMessage", sent_to(chat, thread, text=text))

    async def answer(self, update: JsonDict) -> JsonDict:
        """The toast of a button press, once the bridge has answered it."""
        query_id = update["callback_query"]["id"]
        await self.emu.wait_for_call(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id
        )
        answer = self.emu.callback_answer(query_id)
        assert answer is not None
        return answer

    async def edited(self, chat: int, message_id: int, text: str) -> Call:
        return await self.emu.wait_for_call(
            "editMessageText",
            lambda c: (
                c.status == 200
                and c.params["chat_id"] == chat
                and c.params["message_id"] == message_id
                and text in c.params["text"]
            ),
        )

    async def thread_ref(self, cid: str) -> ThreadRef:
        threads = await self.core.links.threads_of(ChannelKind.TELEGRAM, ConversationId(cid))
        (encoded,) = threads.values()
        return ThreadRef.decode(ChannelKind.TELEGRAM, encoded)

    async def backlog(self, kind: str) -> int:
        """Outbox entries of `kind` not delivered (no adapter runs for Slack here)."""
        from bridge.daemon.app import STORE

        assert self.client.app is not None
        store: Store = self.client.app[STORE]
        return await store.outbox.backlog(kind, store.keys.lanes)

    def customer(self) -> Customer:
        tab = Customer(
            WidgetClient(self.client.session, str(self.client.make_url(""))),
            self.client.session,
            str(self.client.make_url("")),
        )
        self.tabs.append(tab)
        return tab


class Customer:
    """The customer, in one place: what a browser tab of the widget does."""

    def __init__(self, tab: WidgetClient, http: aiohttp.ClientSession, base: str) -> None:
        self.tab, self._http, self._base = tab, http, base.rstrip("/")

    async def queue(
        self, department: str = "vendas", name: str = "Maria", email: str = "maria@x.com"
    ) -> tuple[ConversationId, int]:
        """Open the widget, choose the department and fill the form: (conversation, number)."""
        await self.tab.connect()
        state = await self.tab.queued(department, name, email)
        return ConversationId(str(state["id"])), int(state["number"])

    async def say(self, text: str, attachments: list[str] | None = None) -> Frame:
        ack = await self.tab.say(text, attachments)
        assert ack["t"] == "ack", ack
        return ack

    async def upload(self, data: bytes, name: str, mime: str) -> AttachmentId:
        form = aiohttp.FormData()
        form.add_field("visitor", str(self.tab.visitor))
        form.add_field("conversation", str(self.tab.conversation))
        form.add_field("file", data, filename=name, content_type=mime)
        async with self._http.post(
            f"{self._base}/widget/upload", data=form, headers={"Origin": self.tab.origin}
        ) as response:
            body = await response.json()
        assert response.status == 200, body
        return AttachmentId(body["attachment"]["id"])

    async def rate(self, rating: int, comment: str = "") -> None:
        await self.tab.send({"t": "rate", "rating": rating, "comment": comment})
        await self.tab.wait_event(lambda e: e["kind"] == "rated")

    async def sees(self, text: str) -> Frame:
        return await self.tab.wait_event(lambda e: e["kind"] == "message" and e["text"] == text)

    def texts(self) -> list[str]:
        return self.tab.texts()

    @staticmethod
    def client_id() -> str:
        return uuid.uuid4().hex


def buttons(call: Call) -> list[tuple[str, str]]:
    """(label, callback_data) of every inline button a sent or edited message carries."""
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


# Service rules for the tests of issue 7: Vendas alerts after 5 minutes, requires a close
# reason and reopens within 30 minutes; Financeiro distributes automatically, reserves a
# returning customer for the last agent for 10 minutes and lets the reason be left out.
RULES: dict[str, Any] = {
    "rules": {"close_reasons": ["resolvido", "sem resposta", "venda feita"]},
    "departments": [
        {
            "id": "vendas",
            "name": "Vendas",
            "slack_channel": "C0VENDAS",
            "telegram_chat": VENDAS,
            "rules": {
                "waiting_alert_minutes": 5,
                "close_reason_required": True,
                "reopen": "within 30",
            },
        },
        {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE"},
        {
            "id": "financeiro",
            "name": "Financeiro",
            "telegram_chat": FINANCEIRO,
            "rules": {"distribution": "automatic", "last_agent_minutes": 10},
        },
    ],
    "quick_replies": [
        {"name": "ola", "text": "Olá {contact.name}, aqui é {agent.name} de {department.name}!"},
        {"name": "pix", "text": "Chave Pix: loja@x.com", "departments": ["financeiro"]},
    ],
}
