"""Texts agents read in Slack and Telegram, in pt-BR and English. Placeholders use str.format;
values are inserted raw here and escaped by the vendor renderer. The words live in two
catalogs (conversations, commands); a channel may add its own words in front (see SlackTexts)."""

from __future__ import annotations

from typing import Final

from channels.common.texts_commands import COMMANDS
from channels.common.texts_threads import THREADS

CATALOG: Final[dict[str, dict[str, str]]] = {**THREADS, **COMMANDS}


class Texts:
    """The catalog in one language; unknown keys fail loudly in tests, not silently."""

    def __init__(self, language: str) -> None:
        self.language = language if language in ("en", "pt-BR") else "en"

    def __call__(self, key: str, **values: object) -> str:
        return CATALOG[key][self.language].format(**values)
