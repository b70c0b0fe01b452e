"""The command line: `run [--config PATH]`, `check-config PATH`. The only place that turns
errors into exit codes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bridge.settings import ConfigError, Settings, load_settings

log = logging.getLogger("ponte")

EXIT_CONFIG = 2
DEFAULT_CONFIG = "config/example.yaml"


def default_config() -> Path:
    """PONTE_CONFIG, else config/example.yaml here, else the one beside the package."""
    if os.environ.get("PONTE_CONFIG"):
        return Path(os.environ["PONTE_CONFIG"])
    here = Path(DEFAULT_CONFIG)
    if here.exists():
        return here
    return Path(__file__).resolve().parent.parent / DEFAULT_CONFIG


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ponte", description="Ponte chatops bridge daemon")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the daemon")
    run.add_argument("--config", type=Path, default=None, help="YAML config (default: example)")
    check = sub.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("path", type=Path)
    check.add_argument(
        "--online",
        action="store_true",
        help="also ask Telegram whether each department's group is ready (forum, bot rights)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path: Path = args.path if args.command == "check-config" else (args.config or default_config())
    try:
        settings = load_settings(path)
    except ConfigError as e:
        print(f"ponte: the configuration is not valid:\n{e}", file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "check-config":
        print(summary(settings, path))
        if args.online:
            print(online(settings))
        return 0
    return run(settings)


def summary(settings: Settings, path: Path) -> str:
    slack = "on" if settings.slack.active else "off"
    telegram = "on" if settings.telegram.active else "off"
    lines = [
        f"{path}: OK",
        f"  {len(settings.departments)} departments, {len(settings.agents)} agents",
        f"  Slack {slack}, Telegram {telegram}, Redis {settings.redis.url or 'embedded'}",
    ]
    lines += [f"  warning: {w}" for w in warnings(settings)]
    return "\n".join(lines)


def warnings(settings: Settings) -> list[str]:
    out = []
    for d in settings.departments:
        slack = settings.slack.active and d.slack_channel
        telegram = settings.telegram.active and d.telegram_chat is not None
        if not (slack or telegram):
            out.append(f"department {d.id!r} reaches no agent channel: {_why(settings)}")
    for a in settings.agents:
        if not a.slack_user and not a.telegram_user:
            out.append(f"agent {a.id!r} has neither slack_user nor telegram_user")
    return out


def online(settings: Settings) -> str:
    """What Telegram says about each department's group (check-config --online)."""
    if not settings.telegram.active:
        return "  Telegram is off: nothing to check online"
    # Imported here so python-telegram-bot loads only for this check.
    from channels.telegram.check import online_warnings

    found = asyncio.run(online_warnings(settings))
    lines = [f"  warning: {w}" for w in found]
    return "\n".join(lines) or "  Telegram: every department's group is ready"


def _why(settings: Settings) -> str:
    if not (settings.slack.active or settings.telegram.active):
        return "Slack and Telegram are both off (set their tokens)"
    return "set its slack_channel or telegram_chat"


def run(settings: Settings) -> int:
    from bridge.daemon.app import create_app
    from bridge.daemon.logs import setup_logging

    setup_logging(settings.server.log_level, _secrets(settings))
    port = int(os.environ.get("PORT") or settings.server.port)
    app = create_app(settings)
    log.info("daemon.starting", extra={"host": settings.server.host, "port": port})
    web.run_app(
        app,
        host=settings.server.host,
        port=port,
        shutdown_timeout=settings.server.shutdown_timeout,
        print=None,
        access_log=None,
    )
    log.info("daemon.stopped")
    return 0


def _secrets(settings: Settings) -> list[str]:
    values = [
        settings.slack.bot_token,
        settings.slack.signing_secret,
        settings.slack.app_token,
        settings.telegram.bot_token,
        settings.telegram.webhook_secret,
        settings.widget.secret,
    ]
    return [v.get_secret_value() for v in values if v is not None]
