"""What an outbox entry asks of an agent channel, as a list of steps. Pure."""

from __future__ import annotations

from enum import StrEnum

from bridge.domain.events import EventKind, TimelineItem


class Step(StrEnum):
    ENSURE = "ensure"  # open the thread (card + backlog) when it does not exist yet
    CARD = "card"  # update the root card
    MOVED_CARD = "moved"  # update the old thread's card: transferred elsewhere
    POST = "post"  # post the item as a thread reply
    MARK = "mark"  # the item came from this channel: show what became of it
    EDIT = "edit"  # edit or delete our copy of an earlier item
    CLOSE = "close"  # close the thread
    NOTIFY = "notify"  # a direct message to one agent
    ALERT = "alert"  # a notice to a department's channel or to one agent


_CARD_AND_LINE = frozenset(
    {
        EventKind.CLAIMED,
        EventKind.TRANSFERRED,
        EventKind.RATED,
        EventKind.QUEUED,
        EventKind.RESERVED,
        EventKind.REOPENED,
    }
)


def plan(op: str, item: TimelineItem, kind: str) -> list[Step]:
    """The steps for entry `op` about `item`, in channel `kind`. Threads are opened only by
    steps that need one (ENSURE); a close or a move of a thread that never existed is a no-op."""
    from_here = item.data.get("source_kind") == kind
    match op:
        case "notify":
            return [Step.NOTIFY]
        case "alert":
            return [Step.ALERT]
        case "open" if item.kind is EventKind.REOPENED:
            return [Step.ENSURE, Step.CARD, Step.POST]  # the thread exists: say it reopened
        case "open":
            return [Step.ENSURE, Step.CARD]
        case "moved":
            return [Step.MOVED_CARD, Step.POST]
        case "close":
            return [Step.POST, Step.CLOSE]
        case _:
            return _post_plan(item, from_here)


def _post_plan(item: TimelineItem, from_here: bool) -> list[Step]:
    if item.kind in (EventKind.EDITED, EventKind.DELETED):
        return [] if from_here else [Step.EDIT]
    if item.kind in (EventKind.MESSAGE, EventKind.NOTE):
        return [Step.ENSURE, Step.MARK if from_here else Step.POST]
    if item.kind in _CARD_AND_LINE:
        return [Step.ENSURE, Step.CARD, Step.POST]
    return [Step.ENSURE, Step.CARD]
