"""Every key Ponte writes belongs to a family documented in docs/data-model.md, and the families
that grow with traffic carry a TTL (the streams are capped inside the scripts)."""

import re
from pathlib import Path

from redis.asyncio import Redis

from bridge.core import Core
from bridge.delivery.worker import DeliveryWorker
from bridge.domain.ids import new_visitor_id
from tests.scenario import Scenario

DOC = (Path(__file__).resolve().parents[2] / "docs" / "data-model.md").read_text()
# (pattern of the key after the prefix, the family as written in the doc, must expire)
FAMILIES = [
    (r"conv:c_[\w-]{22}", "conv:<cid>", False),  # expires only after the close
    (r"conv:c_[\w-]{22}:log", "conv:<cid>:log", False),
    (r"seq:conversation", "seq:conversation", False),
    (r"queue:\w+", "queue:<dept>", False),
    (r"automatic|inservice", "automatic", False),
    (r"agent:\w+:active", "agent:<agent>:active", False),
    (r"agent:\w+:presence", "agent:<agent>:presence", False),
    (r"history(:dept:\w+|:agent:\w+)?", "history:dept:<dept>", False),
    (r"contact:k_[\w-]{22}", "contact:<kid>", False),
    (r"contact:k_[\w-]{22}:convs", "contact:<kid>:convs", False),
    (r"contacts:(lex|all)", "contacts:lex", False),
    (r"visitor:v_[\w-]{22}", "visitor:<vid>", True),
    (r"visitor:v_[\w-]{22}:pages", "visitor:<vid>:pages", True),
    (r"leads:online", "leads:online", False),
    (r"events", "`events`", False),
    (r"outbox:\w+:\d+", "outbox:<kind>:<lane>", False),
    (r"receipt:.+", "receipt:", True),
    (r"thread:\w+:c_[\w-]{22}", "thread:<kind>:<cid>", True),
    (r"thread-rev:\w+:.+", "thread-rev:<kind>", True),
    (r"msgref:c_[\w-]{22}", "msgref:<cid>", True),
    (r"extmsg:\w+:.+", "extmsg:<kind>", True),
    (r"dedupe:.+", "dedupe:<scope>:<key>", True),
    (r"lease:.+", "lease:<name>", True),
    (r"nodes", "`nodes`", False),
    (r"rate:.+", "rate:<name>", True),
    (r"secret:\w+", "secret:<name>", False),
    (r"file:a_[\w-]{22}", "file:<aid>", True),
    (r"internal:\w+:\w+", "internal:<a>:<b>", False),
    (r"inbox(-dead)?:.+", "inbox:<name>", False),
    (r"dead:\w+", "dead:<kind>", False),
    (r"kv:.+", "kv:<name>", False),
    (r"stats:\w+:\d{4}-\d\d-\d\d", "stats:<dept>:<day>", True),
    (r"timers", "`timers`", False),
]


async def test_every_key_is_a_documented_family_and_growing_ones_expire(
    scenario: Scenario, core: Core, worker: DeliveryWorker, redis: Redis, prefix: str
) -> None:
    c = await scenario.in_service("ana", "vendas")
    await scenario.say(c, "oi")
    await core.conversations.close(c.id, scenario.agent("ana"))
    await scenario.queued("suporte")
    await core.leads.visit(new_visitor_id(), url="http://shop.test/x", title="X")
    await core.agents.send_internal(scenario.agent("ana"), scenario.agent("bruno").id, "oi")
    await core.jobs.put("slack", {"n": 1}, dedupe="Ev1")
    await core.links.allow("w:msg:x", 5, 60)
    await worker.run_until_idle()
    keys = [k async for k in redis.scan_iter(match=f"{prefix}*", count=500)]
    assert len(keys) > 30
    for key in keys:
        name = key.removeprefix(prefix)
        family = next((f for f in FAMILIES if re.fullmatch(f[0], name)), None)
        assert family is not None, f"undocumented key {name}"
        assert family[1] in DOC, f"{family[1]} missing from docs/data-model.md"
        if family[2]:
            assert await redis.ttl(key) > 0, f"{name} grows with traffic but has no TTL"
    closed = await redis.ttl(f"{prefix}conv:{c.id}")
    assert closed > 0  # a closed conversation expires after the retention period
