"""Load, validate and cross-check the YAML config. Every problem is reported, not just the first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path as FsPath

from pydantic import ValidationError

from bridge.settings.errors import ConfigError, ConfigIssue
from bridge.settings.models import Settings
from bridge.settings.yaml_marks import Document, Path, read_document

# Values that must come from the environment (${VAR}), never be written in the file.
SECRET_PATHS: tuple[Path, ...] = (
    ("slack", "bot_token"),
    ("slack", "signing_secret"),
    ("slack", "app_token"),
    ("telegram", "bot_token"),
    ("telegram", "webhook_secret"),
    ("widget", "secret"),
)


def load_settings(path: str | FsPath, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a config file. Raises ConfigError listing every issue."""
    file = str(path)
    try:
        text = FsPath(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([ConfigIssue(file, (), None, f"cannot read: {e.strerror}")]) from None
    return parse_settings(text, file, env)


def parse_settings(
    text: str, file: str = "<config>", env: Mapping[str, str] | None = None
) -> Settings:
    doc = read_document(text, file, env)
    if doc.issues:
        raise ConfigError(doc.issues)
    if not isinstance(doc.data, dict):
        raise ConfigError([ConfigIssue(file, (), 1, "the top level must be a mapping of keys")])
    try:
        settings = Settings.model_validate(doc.data)
    except ValidationError as e:
        raise ConfigError(list(_pydantic_issues(e, doc, file))) from None
    issues = [*_secret_issues(doc, file), *_reference_issues(settings, doc, file)]
    if issues:
        raise ConfigError(issues)
    return settings


def _line(doc: Document, path: Path) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in doc.lines:
            return doc.lines[path[:end]]
    return None


def _pydantic_issues(error: ValidationError, doc: Document, file: str) -> Iterator[ConfigIssue]:
    for item in error.errors():
        path = tuple(p for p in item["loc"] if isinstance(p, str | int))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "missing":
            message = "required key is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        yield ConfigIssue(file, path, _line(doc, path), message)


def _secret_paths(data: object) -> list[Path]:
    """The fixed secret paths, and each widget site's identity secret."""
    widget = data.get("widget") if isinstance(data, dict) else None
    sites = widget.get("sites") if isinstance(widget, dict) else None
    names = list(sites) if isinstance(sites, dict) else []
    return [*SECRET_PATHS, *(("widget", "sites", n, "identity_secret") for n in names)]


def _lookup(data: object, path: Path) -> object:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _secret_issues(doc: Document, file: str) -> Iterator[ConfigIssue]:
    data = doc.data
    for path in _secret_paths(data):
        value = _lookup(data, path)
        if value and path not in doc.from_env:
            env_name = "_".join(str(p) for p in path).upper().replace("-", "_")
            yield ConfigIssue(
                file,
                path,
                _line(doc, path),
                f"secrets must come from the environment: write ${{{env_name}}} and set it",
            )


def _reference_issues(settings: Settings, doc: Document, file: str) -> Iterator[ConfigIssue]:
    def issue(path: Path, message: str) -> ConfigIssue:
        return ConfigIssue(file, path, _line(doc, path), message)

    departments = {d.id for d in settings.departments}
    yield from (issue(p, m) for p, m in _duplicates(settings))
    for i, agent in enumerate(settings.agents):
        for j, dept in enumerate(agent.departments):
            if dept not in departments:
                yield issue(("agents", i, "departments", j), f"unknown department {dept!r}")
    default = settings.flow.default_department
    if default and default not in departments:
        yield issue(("flow", "default_department"), f"unknown department {default!r}")
    yield from (issue(p, m) for p, m in _quick_reply_issues(settings, departments))
    if not any(d.choosable for d in settings.departments):
        yield issue(("departments",), "at least one department must be choosable")


def _quick_reply_issues(settings: Settings, departments: set[str]) -> Iterator[tuple[Path, str]]:
    names = [r.name for r in settings.quick_replies]
    for i, reply in enumerate(settings.quick_replies):
        if reply.name in names[:i]:
            yield ("quick_replies", i, "name"), f"quick reply {reply.name!r} is defined twice"
        for j, dept in enumerate(reply.departments):
            if dept not in departments:
                yield ("quick_replies", i, "departments", j), f"unknown department {dept!r}"


def _duplicates(settings: Settings) -> Iterator[tuple[Path, str]]:
    checks: list[tuple[str, str, list[object]]] = [
        ("departments", "id", [d.id for d in settings.departments]),
        ("departments", "slack_channel", [d.slack_channel for d in settings.departments]),
        ("departments", "telegram_chat", [d.telegram_chat for d in settings.departments]),
        ("agents", "id", [a.id for a in settings.agents]),
        ("agents", "slack_user", [a.slack_user for a in settings.agents]),
        ("agents", "telegram_user", [a.telegram_user for a in settings.agents]),
    ]
    for section, key, values in checks:
        counts = Counter(v for v in values if v is not None)
        seen: dict[object, int] = {}
        for index, value in enumerate(values):
            if value is None or counts[value] < 2:
                continue
            if value in seen:
                first = f"{section}[{seen[value]}]"
                yield (section, index, key), f"{value!r} is already used by {first}"
            else:
                seen[value] = index
