"""Configuration: one YAML file, parsed once into frozen, validated models."""

from bridge.settings.errors import ConfigError, ConfigIssue
from bridge.settings.loader import load_settings, parse_settings
from bridge.settings.models import (
    AgentSettings,
    DepartmentSettings,
    FlowSettings,
    RedisSettings,
    ServerSettings,
    Settings,
    SlackSettings,
    TelegramSettings,
    WidgetSettings,
)

__all__ = [
    "AgentSettings",
    "ConfigError",
    "ConfigIssue",
    "DepartmentSettings",
    "FlowSettings",
    "RedisSettings",
    "ServerSettings",
    "Settings",
    "SlackSettings",
    "TelegramSettings",
    "WidgetSettings",
    "load_settings",
    "parse_settings",
]
