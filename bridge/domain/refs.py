"""Where things live in an agent channel: threads and messages, as opaque references."""

from __future__ import annotations

from dataclasses import dataclass

from bridge.domain.model import ChannelKind


def thread_key(value: str) -> str:
    """ "space/thread" from a ThreadRef's key or its full encoding ("space/thread/root"): what
    an inbound message knows (a Slack channel and thread ts, a Telegram chat and topic id)."""
    space, _, rest = value.partition("/")
    return f"{space}/{rest.partition('/')[0]}"


@dataclass(frozen=True, slots=True)
class ThreadRef:
    """Where a conversation lives in an agent channel: a Slack thread (channel, root ts) or a
    Telegram topic (chat id, message_thread_id; or a root message id in a group without topics)."""

    kind: ChannelKind
    space: str
    thread: str
    root: str = ""  # the message carrying the card (Slack: the thread ts; Telegram: header id)

    @property
    def key(self) -> str:
        return f"{self.space}/{self.thread}"

    def encode(self) -> str:
        return f"{self.space}/{self.thread}/{self.root}"

    @classmethod
    def decode(cls, kind: ChannelKind, value: str) -> ThreadRef:
        space, thread, root = ([*value.split("/"), "", ""])[:3]
        return cls(kind, space, thread, root)


@dataclass(frozen=True, slots=True)
class ExternalRef:
    """One message in an agent channel (Slack: channel + ts; Telegram: chat id + message id)."""

    kind: ChannelKind
    space: str
    message: str
    thread: str = ""

    @property
    def key(self) -> str:
        return f"{self.space}/{self.message}"

    def encode(self) -> str:
        return f"{self.space}/{self.message}/{self.thread}"

    @classmethod
    def decode(cls, kind: ChannelKind, value: str) -> ExternalRef:
        space, message, thread = ([*value.split("/"), "", ""])[:3]
        return cls(kind, space, message, thread)
