"""Words only Slack shows so far (the service rules: the Home's status, quick replies, the
reservation on cards), in pt-BR and English, looked up before the shared catalog.

They live here because channels/common/texts.py is at its size budget; a key Telegram comes to
need moves there (the lookup order makes the move invisible to Slack).
"""

from __future__ import annotations

from typing import Final

from channels.common.texts import Texts

CATALOG: Final[dict[str, dict[str, str]]] = {
    "home.status": {"en": "Your status: {status}", "pt-BR": "Seu status: {status}"},
    "reply.usage": {
        "en": "Write reply <quick reply> [#number]. Available: {names}.",
        "pt-BR": "Escreva reply <atalho> [#número]. Disponíveis: {names}.",
    },
    "reply.no_chats": {
        "en": "You have no conversation in service.",
        "pt-BR": "Você não tem atendimentos em andamento.",
    },
    "reply.no_chat": {
        "en": "#{number} is not one of your conversations in service.",
        "pt-BR": "O #{number} não é um dos seus atendimentos em andamento.",
    },
    "reply.no_thread": {
        "en": "Use this on a message in a conversation's thread.",
        "pt-BR": "Use isto numa mensagem da conversa de um atendimento.",
    },
    "reply.not_holder": {
        "en": "Only the agent serving #{number} can send a quick reply; claim it first.",
        "pt-BR": "Só quem atende o #{number} pode enviar um atalho; assuma-o antes.",
    },
    "modal.quick_reply": {"en": "Quick reply", "pt-BR": "Atalho"},
    "modal.quick_reply_pick": {
        "en": "Send to the customer in #{number}",
        "pt-BR": "Enviar ao cliente no #{number}",
    },
    "modal.reason_required": {"en": "Reason", "pt-BR": "Motivo"},
    "modal.choose": {"en": "Choose one.", "pt-BR": "Escolha um."},
}


class SlackTexts(Texts):
    """The shared catalog plus Slack's own words; unknown keys still fail loudly."""

    def __call__(self, key: str, **values: object) -> str:
        found = CATALOG.get(key)
        if found is None:
            return super().__call__(key, **values)
        return found[self.language].format(**values)
