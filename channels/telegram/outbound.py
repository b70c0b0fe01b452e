"""The AgentChannel side: what the delivery worker asks of Telegram, one conversation's calls
never overlapping and always in order.

Each call may take several Bot API requests (a topic and its header; a long text in pieces and
its files). Every request that posts something keeps a receipt under the worker's key, so a
retry after a 429 or a crash in the middle resumes where it stopped instead of posting twice.
A timeout after Telegram accepted a message can still duplicate it: a rare visible duplicate
is preferred to a lost message."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from telegram import Message
from telegram.error import BadRequest

from bridge.core import Core
from bridge.domain.errors import NotFound
from bridge.domain.events import TimelineItem
from bridge.domain.model import Attachment, Author, ChannelKind, ConversationState
from bridge.domain.refs import ExternalRef, ThreadRef
from bridge.domain.views import ConversationCard
from bridge.ports import DeliveryFailed, ThreadGone
from channels.common.texts import Texts
from channels.telegram.buttons import card_keyboard
from channels.telegram.errors import Problem, problem
from channels.telegram.html import CAPTION_LIMIT, NEWLINE, Html, italic, text
from channels.telegram.render import (
    card_html,
    edited_html,
    item_messages,
    topic_name,
    transcript,
)
from channels.telegram.sender import PHOTO_LIMIT, UPLOAD_LIMIT, Place, Sender
from channels.telegram.topics import Topics

log = logging.getLogger("ponte.telegram")

RECEIPT_TTL = 7 * 24 * 3600
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
NO_TOPIC = "0"  # the receipt of "create a topic" in a group without topics


@contextmanager
def port_errors() -> Iterator[None]:
    """A BadRequest no step handled becomes the port's error: a deleted topic (or a fallback
    thread's deleted root) is ThreadGone, so the worker opens a new thread; anything else
    cannot be fixed by retrying."""
    try:
        yield
    except BadRequest as e:
        if problem(e) in (Problem.THREAD_GONE, Problem.REPLY_GONE):
            raise ThreadGone(e.message) from e
        raise DeliveryFailed(e.message) from e


def place_of(thread: ThreadRef) -> Place:
    """A forum topic (thread id != header id), or a fallback thread: replies to the root."""
    chat = int(thread.space)
    if thread.thread != thread.root:
        return Place(chat, topic=int(thread.thread))
    return Place(chat, reply_to=int(thread.root), strict=True)


@dataclass
class _Posting:
    """One post's progress: whether it had to reopen a closed topic."""

    reopened: bool = False


class Outbound:
    kind = ChannelKind.TELEGRAM

    def __init__(self, core: Core, sender: Sender, topics: Topics, t: Texts) -> None:
        self._core, self._sender, self._topics, self._t = core, sender, topics, t

    async def once(self, key: str, call: Callable[[], Awaitable[str]]) -> str:
        """Run `call` once per key; a repeat returns what the first run returned."""
        name = f"tg:done:{key}"
        done = await self._core.links.get_value(name)
        if done is not None:
            return done
        value = await call()
        await self._core.links.set_value(name, value, RECEIPT_TTL)
        return value

    def _chat(self, card: ConversationCard) -> int:
        dept = card.department_id or card.conversation.department_id
        found = self._core.directory.department(dept) if dept else None
        if found is None or found.telegram_chat is None:
            raise DeliveryFailed(f"department {dept or '(none)'} has no telegram_chat")
        return found.telegram_chat

    # -- threads ------------------------------------------------------------------------------

    async def open_thread(
        self, key: str, card: ConversationCard, backlog: Sequence[TimelineItem]
    ) -> ThreadRef:
        """A topic named "customer · #number" with the header card (a root message with
        replies in a group without topics), then the automatic-stage transcript."""
        chat = self._chat(card)
        with port_errors():
            topic = int(await self.once(f"{key}:topic", lambda: self._new_topic(chat, card)))
            place = Place(chat, topic or None)
            header = int(await self.once(f"{key}:header", lambda: self._header(place, card)))
            thread = topic or header
            await self._topics.remember(chat, thread, card.conversation.id)
            inside = place if topic else place.replying(header, strict=True)
            await self._backlog(key, inside, backlog, card)
        return ThreadRef(ChannelKind.TELEGRAM, str(chat), str(thread), str(header))

    async def _new_topic(self, chat: int, card: ConversationCard) -> str:
        try:
            return str(await self._sender.create_topic(chat, topic_name(card)))
        except BadRequest as e:
            match problem(e):
                case Problem.NOT_A_FORUM:
                    return NO_TOPIC
                case Problem.NO_RIGHTS:
                    raise DeliveryFailed(
                        f"the bot may not create topics in {chat}: make it an admin "
                        "with the right to manage topics"
                    ) from e
                case _:
                    raise

    async def _header(self, place: Place, card: ConversationCard) -> str:
        html = card_html(card, self._t, self._core.settings)
        sent = await self._sender.send(place, html, card_keyboard(card, self._t))
        return str(sent.message_id)

    async def _backlog(
        self, key: str, place: Place, backlog: Sequence[TimelineItem], card: ConversationCard
    ) -> None:
        if not backlog:
            return
        # A first thread shows the automatic stage; a replaced topic or a transfer's new
        # thread also shows what came after the queue.
        queued = card.conversation.queued_at
        later = any(
            item.actor.author is Author.AGENT or (queued is not None and item.at > queued)
            for item in backlog
        )
        title = self._t("event.transcript_moved" if later else "event.transcript")
        settings = self._core.settings
        messages = transcript(title, backlog, self._t, settings, card.contact.display_name)
        for n, html in enumerate(messages):
            await self.once(f"{key}:backlog:{n}", partial(self._text, place, html))

    async def update_card(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        """Edit the header card. A conversation the customer reopened gets its topic reopened
        first (once per reopening), so the team can write in it before the next post."""
        with port_errors():
            await self._reopen_topic(thread, card)
            await self._edit_card(thread, card)

    async def _reopen_topic(self, thread: ThreadRef, card: ConversationCard) -> None:
        c, place = card.conversation, place_of(thread)
        if not c.reopened or c.state is ConversationState.CLOSED or place.topic is None:
            return
        topic = place.topic

        async def reopen() -> str:
            await self._sender.set_topic(place.chat, topic, closed=False)
            return "ok"

        await self.once(f"{c.id}:reopened:{c.reopened}:{thread.thread}", reopen)

    async def _edit_card(self, thread: ThreadRef, card: ConversationCard) -> None:
        html, keyboard = card_html(card, self._t, self._core.settings), card_keyboard(card, self._t)
        try:
            await self._sender.edit(int(thread.space), int(thread.root), html, keyboard)
        except BadRequest as e:
            if problem(e) is not Problem.MESSAGE_GONE:
                raise
            if card.conversation.state is ConversationState.CLOSED:
                log.info("telegram.card_gone", extra={"cid": card.conversation.id})
                return  # a closed conversation's deleted thread is not worth recreating
            raise ThreadGone("the header message was deleted") from e

    async def close_thread(self, key: str, thread: ThreadRef, card: ConversationCard) -> None:
        """Show the closed card and close the topic (a fallback thread only gets the card)."""
        place = place_of(thread)
        with port_errors():
            await self._edit_card(thread, card)
            if place.topic is None:
                return
            try:
                await self._sender.set_topic(place.chat, place.topic, closed=True)
            except BadRequest as e:
                if problem(e) is not Problem.THREAD_GONE:
                    raise
                log.info("telegram.topic_gone", extra={"cid": card.conversation.id})

    # -- items --------------------------------------------------------------------------------

    async def post(
        self, key: str, thread: ThreadRef, item: TimelineItem, card: ConversationCard
    ) -> ExternalRef:
        """The item's text (split when long) and files, in order. A closed topic is reopened
        for it, and closed again when the conversation is closed (a late rating)."""
        place, posting = place_of(thread), _Posting()
        name = card.contact.display_name
        messages = item_messages(item, self._t, self._core.settings, name)
        files = item.attachments
        caption = messages[0] if files and len(messages) == 1 else Html()
        if caption.length > CAPTION_LIMIT:
            caption = Html()
        sends: list[Callable[[], Awaitable[Message]]] = []
        if not caption:
            sends += [partial(self._sender.send, place, m) for m in messages]
        for n, attachment in enumerate(files):
            sends.append(partial(self._file, place, attachment, caption if n == 0 else Html()))
        with port_errors():
            ids = [
                await self.once(f"{key}:{n}", partial(self._sent, place, send, posting))
                for n, send in enumerate(sends)
            ]
            if posting.reopened and card.conversation.state is ConversationState.CLOSED:
                await self._sender.set_topic(place.chat, place.topic or 0, closed=True)
        return ExternalRef(ChannelKind.TELEGRAM, thread.space, ids[0], str(place.topic or ""))

    async def _sent(
        self, place: Place, send: Callable[[], Awaitable[Message]], posting: _Posting
    ) -> str:
        try:
            return str((await send()).message_id)
        except BadRequest as e:
            if problem(e) is not Problem.TOPIC_CLOSED or place.topic is None:
                raise
        await self._sender.set_topic(place.chat, place.topic, closed=False)
        posting.reopened = True
        return str((await send()).message_id)

    async def _text(self, place: Place, html: Html) -> str:
        return str((await self._sender.send(place, html)).message_id)

    async def _file(self, place: Place, attachment: Attachment, caption: Html) -> Message:
        try:
            meta, data = await self._core.files.read(attachment.id)
        except NotFound:
            missing = self._t("tg.file_missing", name=attachment.name)
            return await self._sender.send(place, caption + NEWLINE + italic(missing))
        if meta.size > UPLOAD_LIMIT:
            big = self._t("tg.file_too_big_out", name=meta.name, mb=meta.size // 2**20)
            return await self._sender.send(place, caption + NEWLINE + italic(big))
        photo = meta.mime in PHOTO_TYPES and meta.size <= PHOTO_LIMIT
        return await self._sender.send_file(place, data, meta.name, photo=photo, caption=caption)

    async def mark(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """An agent's message that stayed an internal note gets a short "🔒" reply; a message
        that reached the customer needs no mark."""
        if not item.internal:
            return
        topic = int(ref.thread) if ref.thread else None
        place = Place(int(ref.space), topic, int(ref.message))
        html = text("🔒 ") + italic(self._t("note.kept"))
        try:
            await self.once(f"{key}:mark", lambda: self._text(place, html))
        except BadRequest as e:  # the mark is a courtesy: a vanished topic does not need it
            log.info("telegram.mark_skipped", extra={"reason": e.message})

    async def edit(self, key: str, ref: ExternalRef, item: TimelineItem) -> None:
        """Our copy of an edited or deleted message: edited in place; a file's caption is
        answered with a reply instead; a copy deleted by hand is left alone."""
        chat, message_id = int(ref.space), int(ref.message)
        html = edited_html(item, self._t)
        with port_errors():
            try:
                await self._sender.edit(chat, message_id, html)
            except BadRequest as e:
                match problem(e):
                    case Problem.NO_TEXT:
                        place = Place(chat, int(ref.thread) if ref.thread else None, message_id)
                        await self.once(f"{key}:edit", lambda: self._text(place, html))
                    case Problem.MESSAGE_GONE:
                        log.info("telegram.edit_skipped", extra={"reason": e.message})
                    case _:
                        raise
