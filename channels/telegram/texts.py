"""Words only Telegram shows (its command menu, the close-reason and quick-reply keyboards), in
pt-BR and English, looked up before the shared catalog (channels.common.texts), which is at
its size budget. A key Slack comes to need moves there; the lookup order makes the move
invisible here."""

from __future__ import annotations

from typing import Final

from channels.common.texts import Texts

CATALOG: Final[dict[str, dict[str, str]]] = {
    "tg.cmd.status": {"en": "online, away or offline", "pt-BR": "online, ausente ou offline"},
    "tg.cmd.stats": {"en": "Statistics of your departments", "pt-BR": "Estatísticas"},
    "tg.cmd.r": {"en": "Send a quick reply here", "pt-BR": "Enviar um atalho aqui"},
    "tg.reply_choose": {"en": "Quick replies for #{number}:", "pt-BR": "Atalhos para o #{number}:"},
    "close.choose_reason": {
        "en": "Close #{number}: choose the reason.",
        "pt-BR": "Finalizar o #{number}: escolha o motivo.",
    },
    "close.no_reason": {"en": "No reason", "pt-BR": "Sem motivo"},
}


class TelegramTexts(Texts):
    """The shared catalog plus Telegram's own words; unknown keys still fail loudly."""

    def __call__(self, key: str, **values: object) -> str:
        found = CATALOG.get(key)
        if found is None:
            return super().__call__(key, **values)
        return found[self.language].format(**values)
