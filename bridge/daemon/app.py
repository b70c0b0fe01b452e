"""create_app: builds every object and registers the lifespans. It does no I/O itself."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Protocol

from aiohttp import web

from bridge.core import Core
from bridge.daemon import health, logs
from bridge.daemon.gc_tuning import GcTuner
from bridge.daemon.metrics import Metrics
from bridge.delivery.policy import LaneSettings, RetryPolicy
from bridge.delivery.worker import DeliveryWorker
from bridge.ports import AgentChannel, Clock, SystemClock
from bridge.settings import Settings
from bridge.settings.directory import Directory
from bridge.store import Store
from bridge.store.connect import RedisResource
from widget.app import Widget


class Mountable(Protocol):
    def routes(self) -> list[web.RouteDef]: ...
    def lifespan(self, app: web.Application) -> AbstractAsyncContextManager[None]: ...


class AgentAdapter(AgentChannel, Mountable, Protocol):
    """Slack or Telegram: delivered to by the worker, mounted on the daemon's server."""


CORE = web.AppKey("core", Core)
STORE = web.AppKey("store", Store)
METRICS = web.AppKey("metrics", Metrics)
WORKER = web.AppKey("worker", DeliveryWorker)
REDIS = web.AppKey("redis", RedisResource)
WIDGET = web.AppKey("widget", Widget)


AdapterFactory = Callable[[Core], Sequence[AgentAdapter]]


def build_agent_adapters(settings: Settings, core: Core) -> list[AgentAdapter]:
    """One adapter per enabled agent channel (Slack, Telegram): plain ifs, no discovery."""
    adapters: list[AgentAdapter] = []
    if settings.slack.active:
        # Imported here so slack_bolt and slack_sdk load only when Slack is on.
        from channels.slack.adapter import SlackAdapter

        adapters.append(SlackAdapter(core))
    if settings.telegram.active:
        # Imported here so python-telegram-bot loads only when Telegram is on.
        from channels.telegram.adapter import TelegramAdapter

        adapters.append(TelegramAdapter(core))
    return adapters


def create_app(
    settings: Settings,
    *,
    env: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    adapters: AdapterFactory | None = None,
    retry: RetryPolicy | None = None,
    lanes: LaneSettings | None = None,
) -> web.Application:
    environ = os.environ if env is None else env
    clock = clock or SystemClock()
    redis = RedisResource(settings.redis, environ.get("REDIS_URL") or None)
    directory = Directory(settings)
    store = Store(
        redis.client,
        redis.blocking,
        settings.redis,
        directory.routes(),
        files_dir=settings.widget.uploads.dir,
    )
    metrics = Metrics(store, directory, clock)
    core = Core.build(store, settings, clock, observer=metrics)
    # Adapters from the config, or the tests' own; either way built on this app's core, where
    # in-process listeners such as the typing signal live.
    agents = list((adapters or partial(build_agent_adapters, settings))(core))
    worker = DeliveryWorker(
        store, directory, clock, agents, policy=retry, lanes=lanes, observer=metrics
    )

    widget = Widget(core, settings, metrics)

    app = web.Application(middlewares=[logs.request_context])
    app[CORE], app[STORE], app[METRICS], app[WORKER] = core, store, metrics, worker
    app[REDIS], app[WIDGET] = redis, widget
    # Up in this order, down in reverse: Redis first and last; the delivery worker stops
    # before the adapters close the clients it calls.
    app.cleanup_ctx.append(redis.lifespan)
    app.cleanup_ctx.append(widget.lifespan)
    widget.setup(app)
    for adapter in agents:
        app.add_routes(adapter.routes())
        app.cleanup_ctx.append(adapter.lifespan)
    app.cleanup_ctx.append(core.signals.lifespan)  # calls the adapters: inside their lifespans
    store.events.subscribe(worker.wake)
    store.events.subscribe(widget.on_event)
    app.cleanup_ctx.append(store.events.lifespan)
    app.cleanup_ctx.append(worker.lifespan)
    app.cleanup_ctx.append(core.timers.lifespan)
    app.cleanup_ctx.append(core.leads.lifespan)
    server = settings.server
    app.cleanup_ctx.append(GcTuner(server.gc_freeze_seconds, server.gc_full_minutes * 60).lifespan)
    app.add_routes(health.routes(store, worker.node))
    app.add_routes(metrics.routes())
    return app
