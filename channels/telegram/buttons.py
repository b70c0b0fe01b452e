"""Inline buttons: callback_data as "<op>:<arg>:…" within Telegram's 64 bytes (PROTOCOLS B3),
and the header card's keyboard. Ids never hold ':' (conversation, contact and visitor ids are
url-safe base64; agent and department ids are [a-z0-9_-])."""

from __future__ import annotations

from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bridge.domain.model import ConversationState
from bridge.domain.views import ConversationCard
from channels.common.lists import Act
from channels.common.texts import Texts

DATA_LIMIT = 64


class Op(StrEnum):
    CLAIM = "c"
    PEEK = "pk"
    DETAILS = "d"
    SECTION = "ds"  # details: <cid>:<section>:<page>
    TRANSFER = "t"
    TRANSFER_DEPARTMENT = "td"  # <cid>:<department index>
    TRANSFER_QUEUE = "tq"  # <cid>:<department index>
    TRANSFER_AGENT = "ta"  # <cid>:<department index>:<agent index>
    CLOSE = "x"
    TRANSCRIPT = "tr"
    START_CONTACT = "sc"
    START_LEAD = "sl"
    INTERNAL = "im"
    PAGE = "pg"  # a list's next page: <token>
    CONTACT_EDIT = "ke"  # <cid>:<field letter>
    CLOSE_REASON = "xr"  # <cid>:<index in the department's close reasons, or "-" for none>
    QUICK_REPLY = "qr"  # <cid>:<quick reply name> (names are [a-z0-9_-], at most 31)
    STATUS = "st"  # <presence>
    QUEUE = "q"  # the queue list (a waiting alert's button)


# The shared list actions (channels.common.lists.Act) and the op each button carries.
FOR_ACT: dict[str, Op] = {
    Act.CLAIM: Op.CLAIM,
    Act.PEEK: Op.PEEK,
    Act.DETAILS: Op.DETAILS,
    Act.TRANSFER: Op.TRANSFER,
    Act.CLOSE: Op.CLOSE,
    Act.TRANSCRIPT: Op.TRANSCRIPT,
    Act.START_CONTACT: Op.START_CONTACT,
    Act.START_LEAD: Op.START_LEAD,
    Act.INTERNAL: Op.INTERNAL,
}


def encode(op: Op, *args: str) -> str:
    data = ":".join([op.value, *args])
    if len(data.encode()) > DATA_LIMIT:
        raise ValueError(f"callback data over {DATA_LIMIT} bytes: {data!r}")
    return data


def decode(data: str) -> tuple[Op, list[str]] | None:
    """The op and its arguments, or None for data this version does not know."""
    head, *args = data.split(":")
    try:
        return Op(head), args
    except ValueError:
        return None


def button(label: str, op: Op, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(op, *args))


def card_keyboard(card: ConversationCard, t: Texts) -> InlineKeyboardMarkup:
    """Claim while waiting; Transfer and Close until closed (or moved away); Details always."""
    c = card.conversation
    row: list[InlineKeyboardButton] = []
    active = c.state is not ConversationState.CLOSED and not card.moved_to
    if active and c.state is ConversationState.QUEUED:
        row.append(button(t("button.claim"), Op.CLAIM, c.id))
    if active:
        row.append(button(t("button.transfer"), Op.TRANSFER, c.id))
        row.append(button(t("button.close"), Op.CLOSE, c.id))
    details = [button(t("button.details"), Op.DETAILS, c.id)]
    return InlineKeyboardMarkup([row, details] if row else [details])
