"""Identified customers: a site vouches for its logged-in user with an HMAC of the user id; an
identity without a valid HMAC is ignored and the visitor stays anonymous."""

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest

from bridge.core import Core
from bridge.domain.ids import ConversationId
from bridge.settings import Settings
from tests.settings_factory import ENV, make_settings

SECRET = "site-identity-secret"


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    changes = {
        "widget": {
            "uploads": {"dir": str(tmp_path)},
            "sites": {"default": {"identity_secret": "${SHOP_IDENTITY_SECRET}"}},
        }
    }
    return make_settings(prefix, changes, env={**ENV, "SHOP_IDENTITY_SECRET": SECRET})


def signed(user_id: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


async def identify(tab: Any, user: dict[str, Any], mac: str) -> bool:
    await tab.send({"t": "identify", "user": user, "hmac": mac})
    reply = await tab.wait_for(lambda f: f["t"] == "identified")
    return bool(reply["verified"])


async def test_a_vouched_identity_names_the_contact_and_follows_the_user_across_devices(
    widget: Any, core: Core
) -> None:
    laptop = widget()
    await laptop.connect()
    await laptop.queued("vendas", "anon", "anon@x.com")
    user = {
        "id": "user-42",
        "name": "Maria Souza",
        "email": "maria@loja.com",
        "phone": "",
        "fields": {"plano": "ouro"},
    }
    assert await identify(laptop, user, signed("user-42"))
    c = await core.conversations.get(ConversationId(laptop.conversation))
    contact = await core.contacts.get(c.contact_id)
    assert (contact.name, contact.email, contact.fields["plano"]) == (
        "Maria Souza",
        "maria@loja.com",
        "ouro",
    )
    phone = widget()  # another device, another visitor id
    await phone.connect()
    assert await identify(phone, {"id": "user-42"}, signed("user-42"))
    await phone.start()
    other = await core.conversations.get(ConversationId(phone.conversation))
    assert other.contact_id == c.contact_id  # the same customer: the agent sees one history


async def test_a_forged_identity_is_ignored(widget: Any, core: Core) -> None:
    victim = widget()
    await victim.connect()
    await victim.start()
    assert await identify(victim, {"id": "ceo", "name": "The CEO"}, signed("ceo"))
    victim_contact = (await core.conversations.get(ConversationId(victim.conversation))).contact_id

    attacker = widget()
    await attacker.connect()
    await attacker.start()
    forged = [signed("ceo", "guessed-secret"), "00" * 32, ""]
    for mac in forged:
        assert not await identify(attacker, {"id": "ceo", "email": "evil@x.com"}, mac)
    mine = await core.conversations.get(ConversationId(attacker.conversation))
    assert mine.contact_id != victim_contact  # still anonymous
    assert (await core.contacts.get(victim_contact)).email == ""  # the victim's contact untouched


async def test_an_identity_with_a_bad_detail_changes_nothing(widget: Any, core: Core) -> None:
    tab = widget()
    await tab.connect()
    await tab.start()
    before = (await core.conversations.get(ConversationId(tab.conversation))).contact_id
    await tab.send(
        {
            "t": "identify",
            "user": {"id": "u-7", "email": "not-an-email"},
            "hmac": signed("u-7"),
            "id": "i1",
        }
    )
    refused = await tab.wait_for(lambda f: f["t"] == "error")
    assert (refused["code"], refused["field"]) == ("invalid", "email")
    after = (await core.conversations.get(ConversationId(tab.conversation))).contact_id
    assert after == before  # the visitor did not join u-7's contact
