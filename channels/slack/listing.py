"""The /ponte lists (channels.common.lists views) as Block Kit messages, paged with More.

Rows hold customer data (names, e-mail, pages): every title and detail is escaped. Buttons
reuse the shared action ids; Slack wants action ids unique per block, and each row has its
own actions block.
"""

from __future__ import annotations

from channels.common.commands import Name
from channels.common.lists import ListView
from channels.common.texts import Texts
from channels.slack.mrkdwn import clip, escape
from channels.slack.payloads import more_value
from channels.slack.render import Block, actions, button, header, section

MORE = "more"
HOME_LIST = "home_list"
ROWS_PER_MESSAGE = 20  # two blocks a row, within the 50 blocks of a message


def blocks(view: ListView, t: Texts, text: str) -> tuple[str, list[Block]]:
    """Fallback text and blocks; `text` is the command as typed, for the More button."""
    if view.command.name is Name.HELP:
        return help_message(t)
    out = [header(view.title)]
    if not view.rows:
        out.append(section(escape(view.empty)))
    # Statistics have a long line per period: one under the other reads better.
    stats = view.command.name is Name.STATS
    joint, limit = ("\n", 1000) if stats else (" · ", 300)
    for row in view.rows[:ROWS_PER_MESSAGE]:
        details = joint.join(clip(d, limit) for d in row.details)
        body = f"*{escape(clip(row.title, 300))}*"
        out.append(section(f"{body}\n{escape(details)}" if details else body))
        if row.buttons:
            out.append(actions([button(b.action, b.label, b.value) for b in row.buttons]))
    if view.cursor:
        more = button(MORE, t("button.more"), more_value(text, view.cursor))
        out.append(actions([more], block_id="more"))
    return escape(view.title), out


def help_message(t: Texts, note: str = "") -> tuple[str, list[Block]]:
    """The commands, after `note` (what was wrong with the one typed, when it was)."""
    text = escape(t("help"))
    if note:
        text = f"{escape(note)}\n\n{text}"
    return text, [section(text)]


# The App Home's buttons (command, label key): each posts that list in the app's DM with the
# agent. Action ids must be unique within a block, hence one per shortcut.
SHORTCUTS = (
    ("queue", "button.queue"),
    ("chats", "list.chats"),
    ("auto", "list.auto"),
    ("contacts", "list.contacts"),
    ("agents", "list.agents"),
    ("history", "list.history"),
    ("leads", "list.leads"),
    ("stats", "stats.title"),
)


def shortcut_action(command: str) -> str:
    return f"{HOME_LIST}:{command}"


def shortcuts(t: Texts) -> Block:
    return actions([button(shortcut_action(c), t(key), c) for c, key in SHORTCUTS])
