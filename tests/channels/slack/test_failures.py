"""What cannot be delivered is said, not dropped; what changes elsewhere changes here too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bridge.domain.model import ChannelKind
from bridge.domain.refs import ExternalRef
from tests.channels.slack.customer import Customer
from tests.channels.slack.helpers import Bed
from tests.settings_factory import BASE


@pytest.fixture
def settings_changes() -> dict[str, Any]:
    gone = {"id": "outro", "name": "Outro", "slack_channel": "C0GONE"}  # no such channel
    return {"departments": [*BASE["departments"], gone]}


async def test_a_department_whose_channel_is_gone_tells_the_customer(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    joana = customers()
    await joana.arrive("outro", name="Joana")
    said = await joana.say("alô?")
    notice = await joana.sees(lambda e: bool(e["data"].get("delivery_failed")))

    assert notice["author"] == "system"
    assert notice["data"]["delivery_failed"] == said["event"]  # which message did not arrive
    refused = {c.reply["error"] for c in bed.emu.calls("chat.postMessage") if not c.reply["ok"]}
    assert refused == {"channel_not_found"}


async def test_an_edit_made_in_another_channel_updates_the_copy_in_slack(
    bed: Bed, customers: Callable[[], Customer]
) -> None:
    maria = customers()
    cid = await maria.arrive()
    channel, ts = await bed.root(cid)
    elisa = bed.core.agents.get("elisa")
    await bed.core.conversations.claim(cid, elisa)
    elsewhere = ExternalRef(ChannelKind.TELEGRAM, "-1001", "77", "5")
    await bed.core.conversations.thread_message(
        cid, elisa, "frete: R$ 20", author_name="Elisa", source=elsewhere
    )
    copy = await bed.reply(channel, ts, "frete: R$ 20")
    await bed.core.conversations.edit(elsewhere, "frete: grátis <3", "Elisa")
    updated = await bed.emu.wait_for_call(
        "chat.update", lambda c: c.params.get("ts") == copy.reply["ts"]
    )
    await bed.core.conversations.edit(elsewhere, None, "Elisa")
    deleted = await bed.emu.wait_for_call(
        "chat.update",
        lambda c: c.params.get("ts") == copy.reply["ts"] and "deleted" in c.params["text"],
    )

    assert updated.params["text"] == "*Elisa*: frete: grátis &lt;3 _(edited)_"
    assert deleted.params["text"] == "~Elisa~ _deleted this message_"
