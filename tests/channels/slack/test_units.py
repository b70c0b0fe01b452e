"""The pure parts of the Slack adapter: escaping both ways, payload decoding, thread lines,
transcripts, error translation and per-channel pacing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bridge.core import Core
from bridge.domain.events import EventKind, TimelineItem
from bridge.domain.ids import AttachmentId, EventId
from bridge.domain.model import ActorRef, Attachment, Author
from bridge.ports import DeliveryFailed, RetryLater, ThreadGone
from bridge.settings import Settings, SlackSettings
from channels.common.texts import Texts
from channels.slack import render
from channels.slack.mrkdwn import escape, to_plain, unescape
from channels.slack.payloads import message_job
from channels.slack.web import NotInChannel, SlackWeb, translate
from tests.fakes import FakeClock

T = Texts("en")
AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_escape_neutralises_every_control_character() -> None:
    assert escape("<!channel> & <@U1> <https://x|y>") == (
        "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    )
    assert unescape(escape("a &lt; b & <c>")) == "a &lt; b & <c>"


def test_incoming_text_becomes_what_the_customer_reads() -> None:
    names = {"U0ANA": "Ana"}.get
    text = (
        "Oi &lt;3 &amp;amp; <@U0ANA> <@U0X|zé> <#C1|vendas> <!here> "
        "<!subteam^S1|@suporte> <https://loja.test/p?a=1&amp;b=2|o produto> "
        "<https://x.test> <mailto:a@b.com|a@b.com>"
    )
    assert to_plain(text, names) == (
        "Oi <3 &amp; @Ana @zé #vendas @here @suporte o produto "
        "(https://loja.test/p?a=1&b=2) https://x.test a@b.com"
    )
    assert to_plain("<@U0NOBODY>", names) == "@U0NOBODY"


def _message(**fields: Any) -> dict[str, Any]:
    return {"type": "message", "channel": "C1", "user": "U1", "text": "oi", "ts": "2.0", **fields}


def test_message_events_decode_to_jobs_by_subtype() -> None:
    reply = message_job(_message(thread_ts="1.0"))
    assert reply is not None
    assert (reply["type"], reply["thread_ts"], reply["files"]) == ("thread", "1.0", [])
    assert message_job(_message()) is None  # a channel message, not in a thread
    assert message_job(_message(thread_ts="2.0")) is None  # a root with replies
    assert message_job(_message(thread_ts="1.0", bot_id="B1")) is None
    assert message_job(_message(subtype="channel_join", thread_ts="1.0")) is None
    dm = message_job(_message(channel_type="im"))
    assert dm is not None
    assert dm["type"] == "dm"
    shared = message_job(
        _message(
            subtype="file_share",
            thread_ts="1.0",
            files=[{"id": "F1", "name": "a.pdf", "mimetype": "application/pdf", "size": 3}],
        )
    )
    assert shared is not None
    assert shared["files"][0]["name"] == "a.pdf"


def test_edits_and_deletes_decode_only_when_the_words_change() -> None:
    before = _message(thread_ts="1.0", text="antes")
    after = {**before, "text": "depois"}
    changed = {"subtype": "message_changed", "channel": "C1", "message": after}
    edit = message_job({**changed, "previous_message": before})
    assert edit is not None
    assert (edit["type"], edit["ts"], edit["text"]) == ("edit", "2.0", "depois")
    assert message_job({**changed, "previous_message": after}) is None  # an unfurl
    gone = {"subtype": "message_deleted", "channel": "C1", "deleted_ts": "2.0"}
    deleted = message_job({**gone, "previous_message": before})
    assert deleted is not None
    assert (deleted["type"], deleted["ts"]) == ("delete", "2.0")
    assert message_job({**gone, "previous_message": {**before, "bot_id": "B1"}}) is None


def item(kind: EventKind, author: Author, name: str, text: str, **data: str) -> TimelineItem:
    files = (Attachment(AttachmentId("a_" + "x" * 22), "<b>.pdf", "application/pdf", 2048),)
    return TimelineItem(
        EventId("1-0"),
        kind,
        AT,
        ActorRef(author, "id", name),
        text,
        files if data.pop("file", "") else (),
        data,
    )


def test_thread_lines_escape_names_and_text_and_mark_notes(settings: Settings) -> None:
    said = item(EventKind.MESSAGE, Author.CUSTOMER, "", "<!channel> oi", file="1")
    note = item(EventKind.NOTE, Author.AGENT, "Ana <x>", "só para nós")
    claimed = item(EventKind.CLAIMED, Author.AGENT, "Ana", "", agent_name="Ana & Bia")
    assert render.line(said, T, settings) == (
        "*Contact*: &lt;!channel&gt; oi\n📎 &lt;b&gt;.pdf (2 KB)"
    )
    assert render.line(note, T, settings) == "🔒 *Internal note by Ana &lt;x&gt;*: só para nós"
    assert render.line(claimed, T, settings) == "_Ana &amp; Bia claimed the conversation._"


def test_a_long_transcript_is_split_within_slacks_limits(settings: Settings) -> None:
    items = [item(EventKind.MESSAGE, Author.CUSTOMER, "", "x" * 1000) for _ in range(8)]
    chunks = render.transcript(items, T, settings, "Before")
    assert len(chunks) == 3
    assert all(len(c) <= render.CHUNK_CHARS for c in chunks)
    assert chunks[0].startswith("*Before*")
    assert render.transcript([], T, settings, "Before") == []


def _error(status: int, error: str, headers: dict[str, str] | None = None) -> SlackApiError:
    response = AsyncSlackResponse(
        client=AsyncWebClient(),
        http_verb="POST",
        api_url="https://slack.test/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(error, response)  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated


def test_slack_errors_translate_to_what_the_worker_acts_on() -> None:
    limited = translate(_error(429, "ratelimited", {"retry-after": "7"}))
    assert isinstance(limited, RetryLater)
    assert limited.seconds == 7
    assert isinstance(translate(_error(200, "channel_not_found")), DeliveryFailed)
    assert isinstance(translate(_error(200, "msg_too_long")), DeliveryFailed)
    assert isinstance(translate(_error(200, "message_not_found")), ThreadGone)
    assert isinstance(translate(_error(200, "not_in_channel")), NotInChannel)
    transient = _error(503, "service_unavailable")
    assert translate(transient) is transient  # retried with back-off


@pytest.mark.parametrize(("burst", "waits"), [(2, [0.5, 0.5, 0.5]), (5, [])])
async def test_posts_are_paced_per_channel_through_the_shared_bucket(
    core: Core, clock: FakeClock, burst: int, waits: list[float]
) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    settings = SlackSettings(messages_per_second=2, messages_burst=burst)
    web = SlackWeb(AsyncWebClient(), core.links, settings, sleep)
    for _ in range(5):
        await web.pace("C0VENDAS")
    await web.pace("C0OUTRO")  # another channel has its own bucket
    assert slept == waits
