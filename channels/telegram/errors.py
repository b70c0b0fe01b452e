"""Telegram's errors, classified once (PROTOCOLS B2): what each means for the adapter.

PTB strips "Bad Request: " and capitalises the rest, so descriptions are matched lower-cased
on the stable part Telegram sends. A description we do not know is `Problem.OTHER`.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from enum import StrEnum

from telegram.error import BadRequest, RetryAfter
from telegram.warnings import PTBDeprecationWarning


class Problem(StrEnum):
    THREAD_GONE = "thread_gone"  # the topic was deleted (by hand: no update tells us)
    TOPIC_CLOSED = "topic_closed"
    NOT_MODIFIED = "not_modified"  # an identical edit, or closing a closed topic
    NOT_A_FORUM = "not_a_forum"  # a group without topics: fall back to reply chains
    NO_RIGHTS = "no_rights"
    NO_TEXT = "no_text"  # editing the text of a media message
    MESSAGE_GONE = "message_gone"  # the message to edit was deleted
    REPLY_GONE = "reply_gone"  # the message to reply to was deleted
    FILE_TOO_BIG = "file_too_big"  # getFile over 20 MB
    STALE_QUERY = "stale_query"  # a callback query answered too late
    OTHER = "other"


_MARKERS: tuple[tuple[str, Problem], ...] = (
    ("message thread not found", Problem.THREAD_GONE),
    ("topic_deleted", Problem.THREAD_GONE),
    ("topic_id_invalid", Problem.THREAD_GONE),
    ("topic_closed", Problem.TOPIC_CLOSED),
    ("topic_not_modified", Problem.NOT_MODIFIED),
    ("message is not modified", Problem.NOT_MODIFIED),
    ("the chat is not a forum", Problem.NOT_A_FORUM),
    ("not enough rights", Problem.NO_RIGHTS),
    ("there is no text in the message", Problem.NO_TEXT),
    ("message to edit not found", Problem.MESSAGE_GONE),
    ("message can't be edited", Problem.MESSAGE_GONE),
    ("message to be replied not found", Problem.REPLY_GONE),
    ("file is too big", Problem.FILE_TOO_BIG),
    ("query is too old", Problem.STALE_QUERY),
)


def problem(error: BadRequest) -> Problem:
    text = error.message.lower()
    return next((p for marker, p in _MARKERS if marker in text), Problem.OTHER)


def retry_seconds(error: RetryAfter) -> float:
    """Seconds Telegram asked us to wait (parameters.retry_after).

    PTB 22 keeps the value as a timedelta; the public property returns it as such when the
    environment sets PTB_TIMEDELTA=1, else as an int seconds with a PTBDeprecationWarning. Both
    shapes are handled; the deprecation warning is silenced for this one read only (no await
    happens inside the block, so no other task runs under the changed filter).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, seconds)
