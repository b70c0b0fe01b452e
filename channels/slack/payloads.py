"""Slack payloads decoded at the edge into the small JSON jobs Ponte stores and works from.

Pure functions: a listener decodes, stores the job and acks; a job handler reads only these
fields. Anything Ponte does not act on decodes to None and is acked without a trace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from channels.slack.answer import Answer

Json = dict[str, Any]
THREAD_SUBTYPES = (None, "thread_broadcast", "file_share")


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _from_bot(message: Mapping[str, Any]) -> bool:
    """Ponte's own posts (and other bots'): bolt drops our own, this drops the rest too."""
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message"


def _in_thread(message: Mapping[str, Any]) -> bool:
    """A thread reply: `thread_ts` present and not its own ts (a root has thread_ts == ts)."""
    thread_ts = message.get("thread_ts")
    return bool(thread_ts) and thread_ts != message.get("ts")


def message_job(event: Mapping[str, Any]) -> Json | None:
    """The job for a `message` event, by subtype; None for what Ponte ignores."""
    subtype = event.get("subtype")
    if subtype in THREAD_SUBTYPES:
        return _posted(event)
    if subtype == "message_changed":
        return _changed(event)
    if subtype == "message_deleted":
        return _deleted(event)
    return None


def _posted(event: Mapping[str, Any]) -> Json | None:
    if _from_bot(event) or not event.get("user"):
        return None
    base = {"channel": _str(event.get("channel")), "ts": _str(event.get("ts"))}
    base["user"], base["text"] = _str(event.get("user")), _str(event.get("text"))
    if event.get("channel_type") == "im":
        return {"type": "dm", **base} if base["text"].strip() else None
    if not _in_thread(event):
        return None
    files = [_file(f) for f in event.get("files") or [] if isinstance(f, dict)]
    return {"type": "thread", "thread_ts": _str(event.get("thread_ts")), "files": files, **base}


def _file(f: Mapping[str, Any]) -> Json:
    size = f.get("size")
    return {
        "id": _str(f.get("id")),
        "name": _str(f.get("name")) or _str(f.get("title")) or "file",
        "mimetype": _str(f.get("mimetype")) or "application/octet-stream",
        "size": size if isinstance(size, int) else 0,
        "url": _str(f.get("url_private_download")) or _str(f.get("url_private")),
    }


def _changed(event: Mapping[str, Any]) -> Json | None:
    message = event.get("message") or {}
    previous = event.get("previous_message") or {}
    if _from_bot(message) or not _in_thread(message) or not message.get("user"):
        return None
    if message.get("text") == previous.get("text"):
        return None  # an unfurl or a reply count changed, not the words
    return {
        "type": "edit",
        "channel": _str(event.get("channel")),
        "ts": _str(message.get("ts")),
        "thread_ts": _str(message.get("thread_ts")),
        "user": _str(message.get("user")),
        "text": _str(message.get("text")),
    }


def _deleted(event: Mapping[str, Any]) -> Json | None:
    previous = event.get("previous_message") or {}
    if _from_bot(previous) or not _in_thread(previous):
        return None
    return {
        "type": "delete",
        "channel": _str(event.get("channel")),
        "ts": _str(event.get("deleted_ts")) or _str(previous.get("ts")),
        "thread_ts": _str(previous.get("thread_ts")),
        "user": _str(previous.get("user")),
    }


# -- interactions ------------------------------------------------------------------------------


def answer_of(body: Mapping[str, Any]) -> Answer:
    """Where to answer whoever clicked: the response_url, and the thread of the message. A
    click inside a modal of ours answers where the modal was opened from."""
    container = body.get("container") or {}
    user = _str((body.get("user") or {}).get("id"))
    if container.get("type") == "view":
        opened_from = metadata(body.get("view") or {}).get("answer")
        if isinstance(opened_from, dict):
            return Answer.from_json({**opened_from, "user": user})
    channel = _str((body.get("channel") or {}).get("id")) or _str(container.get("channel_id"))
    thread = ""
    if container.get("type") == "message" and not container.get("is_ephemeral"):
        thread = _str(container.get("thread_ts")) or _str(container.get("message_ts"))
    return Answer(
        user=user,
        response_url=_str(body.get("response_url")),
        channel=channel,
        thread_ts=thread,
    )


def message_answer(body: Mapping[str, Any]) -> Answer:
    """Where to answer a message shortcut: the thread of the message it was used on (the
    message's own ts when it is a root)."""
    message = body.get("message") or {}
    thread = _str(message.get("thread_ts")) or _str(message.get("ts"))
    return Answer(
        user=_str((body.get("user") or {}).get("id")),
        response_url=_str(body.get("response_url")),
        channel=_str((body.get("channel") or {}).get("id")),
        thread_ts=thread or _str(body.get("message_ts")),
    )


def action_value(body: Mapping[str, Any]) -> str:
    found = body.get("actions") or [{}]
    return _str(found[0].get("value")) if isinstance(found[0], dict) else ""


def interaction_key(body: Mapping[str, Any]) -> str:
    """Dedupe key of one click: Slack does not resend interactions, but a job put twice (a
    listener retried after a Redis hiccup) must act once."""
    found = body.get("actions") or [{}]
    action_ts = _str(found[0].get("action_ts")) if isinstance(found[0], dict) else ""
    user = _str((body.get("user") or {}).get("id"))
    return f"act:{user}:{action_ts or _str(body.get('trigger_id'))}"


def command_job(command: Mapping[str, Any]) -> Json:
    answer = Answer(
        user=_str(command.get("user_id")),
        response_url=_str(command.get("response_url")),
        channel=_str(command.get("channel_id")),
    )
    return {"type": "list", "text": _str(command.get("text")), "answer": answer.to_json()}


def more_value(text: str, cursor: str) -> str:
    """The More button's value: the command to run again and where to continue."""
    return json.dumps({"t": text[:1500], "c": cursor}, separators=(",", ":"))


def more_job(value: str, answer: Answer) -> Json:
    try:
        data = json.loads(value)
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return {
        "type": "more",
        "text": _str(data.get("t")),
        "cursor": _str(data.get("c")),
        "answer": answer.to_json(),
    }


def metadata(view: Mapping[str, Any]) -> Json:
    """A modal's private_metadata, which Ponte writes as JSON."""
    try:
        data = json.loads(_str(view.get("private_metadata")) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def state_value(view: Mapping[str, Any], block: str) -> str:
    """The value of input `block` (action id "value"): text, or a selected option's value."""
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    element = values.get("value") or {}
    option = element.get("selected_option") or {}
    return (_str(element.get("value")) or _str(option.get("value"))).strip()
