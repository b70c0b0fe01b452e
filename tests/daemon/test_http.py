"""The daemon's own endpoints: /healthz (also with Redis down) and /metrics."""

from pathlib import Path
from typing import Any

from bridge.daemon.app import create_app
from bridge.settings import Settings
from tests.conftest import start_embedded_redis
from tests.fakes import FakeClock
from tests.scenario import Scenario


async def test_healthz_answers_200_while_redis_answers(daemon: Any) -> None:
    response = await daemon.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert (body["status"], body["redis"]) == ("ok", "ok")


async def test_healthz_answers_503_when_redis_is_down(
    settings: Settings, clock: FakeClock, aiohttp_client: Any, tmp_path: Path
) -> None:
    server = start_embedded_redis(tmp_path / "doomed")
    app = create_app(
        settings,
        env={"REDIS_URL": f"unix://{server.socket_file}"},
        clock=clock,
        adapters=lambda core: [],
    )
    client = await aiohttp_client(app)
    assert (await client.get("/healthz")).status == 200
    server.shutdown(nosave=True)
    down = await client.get("/healthz")
    assert down.status == 503
    assert (await down.json())["redis"] == "down"
    assert (await client.get("/metrics")).status == 503


async def test_metrics_report_states_queues_waits_and_messages(
    daemon: Any, widget: Any, scenario: Scenario, clock: FakeClock
) -> None:
    await scenario.queued("vendas")
    await scenario.in_service("bruno", "suporte")
    await scenario.automatic()
    tab = widget()
    await tab.connect()
    await tab.queued("vendas")
    await tab.say("oi")
    clock.advance(90)
    text = await (await daemon.get("/metrics")).text()
    lines = set(text.splitlines())
    assert 'ponte_conversations{state="queued"} 2.0' in lines
    assert 'ponte_conversations{state="in_service"} 1.0' in lines
    assert 'ponte_conversations{state="automatic"} 1.0' in lines
    assert 'ponte_queue_length{department="vendas"} 2.0' in lines
    assert 'ponte_queue_length{department="suporte"} 0.0' in lines
    assert 'ponte_queue_oldest_wait_seconds{department="vendas"} 90.0' in lines
    assert 'ponte_messages_total{channel="widget",direction="in"} 1.0' in lines
    assert any(line.startswith('ponte_delivery_backlog{channel="slack"}') for line in lines)
