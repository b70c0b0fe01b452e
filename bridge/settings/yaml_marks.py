"""YAML to plain data, remembering each key's line and which values came from ${VAR}.

PyYAML's constructors drop node marks, so this walks the composed node tree itself. A private
SafeLoader subclass keeps PyYAML's global loader untouched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bridge.settings.errors import ConfigIssue

Path = tuple[str | int, ...]
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Loader(yaml.SafeLoader):
    """Private subclass: nothing registered here leaks into yaml.SafeLoader."""


@dataclass
class Document:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    from_env: set[Path] = field(default_factory=set)
    issues: list[ConfigIssue] = field(default_factory=list)


def read_document(text: str, file: str, env: Mapping[str, str] | None = None) -> Document:
    """Parse YAML text; syntax errors and missing variables become issues, not exceptions."""
    doc = Document(None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        doc.issues.append(ConfigIssue(file, (), line, f"YAML syntax error: {e.problem}"))
        return doc
    if node is None:
        doc.issues.append(ConfigIssue(file, (), None, "the file is empty"))
        return doc
    walker = _Walker(file, os.environ if env is None else env, doc)
    doc.data = walker.value(node, ())
    return doc


class _Walker:
    def __init__(self, file: str, env: Mapping[str, str], doc: Document) -> None:
        self._file, self._env, self._doc = file, env, doc
        self._loader = _Loader("")

    def value(self, node: yaml.Node, path: Path) -> Any:
        self._doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self._loader.construct_object(key_node))
            child = (*path, key)
            if key in out:
                self._issue(child, key_node.start_mark.line + 1, "duplicate key")
            self._doc.lines[child] = key_node.start_mark.line + 1
            out[key] = self.value(value_node, child)
        return out

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        raw = node.value
        if isinstance(raw, str) and node.tag == "tag:yaml.org,2002:str" and "${" in raw:
            self._doc.from_env.add(path)
            return self._interpolate(raw, path, node.start_mark.line + 1)
        return self._loader.construct_object(node, deep=True)

    def _interpolate(self, raw: str, path: Path, line: int) -> str:
        def replace(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name in self._env:
                return self._env[name]
            if default is not None:
                return default
            self._issue(path, line, f"environment variable {name} is not set")
            return ""

        return _VAR.sub(replace, raw)

    def _issue(self, path: Path, line: int, message: str) -> None:
        self._doc.issues.append(ConfigIssue(self._file, path, line, message))
