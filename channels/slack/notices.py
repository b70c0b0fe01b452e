"""Notices from Ponte itself, outside any thread (AgentChannel.alert): the waiting alert in a
department's channel or a supervisor's DM, and the reservation for the last agent in their DM.

The words come from channels.common.describe.notice_text; Slack adds what the reader can do
next: open the queue (a waiting alert), or claim or peek at the reserved conversation.
"""

from __future__ import annotations

from bridge.domain.events import TimelineItem
from bridge.settings import Settings
from channels.common.describe import notice_text
from channels.common.lists import Act
from channels.common.texts import Texts
from channels.slack.listing import shortcut_action
from channels.slack.mrkdwn import escape
from channels.slack.render import Block, actions, button, section


def blocks(item: TimelineItem, t: Texts, settings: Settings) -> tuple[str, list[Block]]:
    """Fallback text and blocks of one notice (`item.data["notice"]` says which)."""
    shown = escape(notice_text(item, t, settings))
    found = [section(shown)]
    buttons = _buttons(item, t)
    if buttons:
        found.append(actions(buttons))
    return shown, found


def _buttons(item: TimelineItem, t: Texts) -> list[Block]:
    d = item.data
    match d.get("notice"):
        case "waiting":
            # The Home's queue shortcut: the list comes back privately to whoever clicks.
            return [button(shortcut_action("queue"), t("button.queue"), "queue", "primary")]
        case "reserved" if d.get("conversation"):
            cid = d["conversation"]
            return [
                button(Act.CLAIM, t("button.claim"), cid, "primary"),
                button(Act.PEEK, t("button.peek"), cid),
            ]
        case _:
            return []
