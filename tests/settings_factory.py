"""Test settings: the same YAML path production uses, with secrets from an env mapping."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from bridge.settings import Settings, parse_settings

ENV = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "test-signing-secret",
    "SLACK_APP_TOKEN": "xapp-test",
    "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
    "TELEGRAM_WEBHOOK_SECRET": "test-webhook-secret",
}

BASE: dict[str, Any] = {
    "language": "en",
    "server": {"allowed_origins": ["http://shop.test"]},
    "redis": {"prefix": "ponte:", "outbox_lanes": 8},
    "departments": [
        {"id": "vendas", "name": "Vendas", "slack_channel": "C0VENDAS", "telegram_chat": -1001},
        {"id": "suporte", "name": "Suporte", "slack_channel": "C0SUPORTE"},
        {"id": "financeiro", "name": "Financeiro", "telegram_chat": -1003},
    ],
    "agents": [
        {
            "id": "ana",
            "name": "Ana",
            "slack_user": "U0ANA",
            "departments": ["vendas"],
            "max_chats": 3,
        },
        {
            "id": "bruno",
            "name": "Bruno",
            "slack_user": "U0BRUNO",
            "departments": ["vendas", "suporte"],
        },
        {"id": "carla", "name": "Carla", "telegram_user": 1003, "departments": ["suporte"]},
        {"id": "diego", "name": "Diego", "telegram_user": 1004, "departments": ["financeiro"]},
        {
            "id": "elisa",
            "name": "Elisa",
            "slack_user": "U0ELISA",
            "telegram_user": 1005,
            "role": "supervisor",
        },
    ],
    "flow": {
        "greeting": "Hello!",
        "choose_department": True,
        "form": [
            {"id": "name", "label": "Name", "type": "text", "required": True},
            {"id": "email", "label": "E-mail", "type": "email", "required": True},
        ],
    },
    "slack": {
        "enabled": True,
        "bot_token": "${SLACK_BOT_TOKEN}",
        "signing_secret": "${SLACK_SIGNING_SECRET}",
    },
    "telegram": {"enabled": True, "bot_token": "${TELEGRAM_BOT_TOKEN}", "mode": "polling"},
}


def merge(base: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def settings_data(prefix: str, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    data = merge(BASE, {"redis": {"prefix": prefix}})
    return merge(data, changes or {})


def make_settings(
    prefix: str, changes: Mapping[str, Any] | None = None, env: Mapping[str, str] = ENV
) -> Settings:
    return parse_settings(yaml.safe_dump(settings_data(prefix, changes)), "test.yaml", env)
