"""What agents read about conversations: outcomes of actions, thread lines, cards, notices."""

from __future__ import annotations

from typing import Final

THREADS: Final[dict[str, dict[str, str]]] = {
    "claim.won": {
        "en": "You claimed conversation #{number}.",
        "pt-BR": "Você assumiu o atendimento #{number}.",
    },
    "claim.taken": {
        "en": "Too late: #{number} was already claimed by {winner}.",
        "pt-BR": "Tarde demais: o #{number} já foi assumido por {winner}.",
    },
    "claim.capacity": {
        "en": "You already serve {limit} conversations, your maximum.",
        "pt-BR": "Você já está com {limit} atendimentos, o seu máximo.",
    },
    "not_agent": {
        "en": "You are not registered as a Ponte agent.",
        "pt-BR": "Você não está cadastrado como agente no Ponte.",
    },
    "forbidden": {
        "en": "You may not do that: {reason}.",
        "pt-BR": "Você não pode fazer isso: {reason}.",
    },
    "illegal": {
        "en": "Not possible now: the conversation is {state}.",
        "pt-BR": "Não é possível agora: o atendimento está {state}.",
    },
    "not_found": {"en": "Not found: {what}.", "pt-BR": "Não encontrado: {what}."},
    "invalid": {"en": "{message}", "pt-BR": "{message}"},
    "unavailable": {
        "en": "Ponte is busy; try again in a moment.",
        "pt-BR": "O Ponte está ocupado; tente de novo em instantes.",
    },
    "transfer.done": {
        "en": "Transferred #{number} to {target}.",
        "pt-BR": "#{number} transferido para {target}.",
    },
    "close.done": {"en": "Closed #{number}.", "pt-BR": "Atendimento #{number} finalizado."},
    "peek.title": {"en": "Peek at #{number} ({state})", "pt-BR": "Espiando #{number} ({state})"},
    "note.kept": {
        "en": "Internal note: not sent to the customer.",
        "pt-BR": "Nota interna: não enviada ao cliente.",
    },
    "reply.sent": {"en": "Sent to the customer.", "pt-BR": "Enviado ao cliente."},
    "chat.started": {
        "en": "Conversation #{number} started with {name}.",
        "pt-BR": "Atendimento #{number} iniciado com {name}.",
    },
    "internal.sent": {"en": "Sent to {name}.", "pt-BR": "Enviado para {name}."},
    "internal.from": {
        "en": "Internal message from {name}: {text}",
        "pt-BR": "Mensagem interna de {name}: {text}",
    },
    "state.automatic": {"en": "in the automatic stage", "pt-BR": "no automático"},
    "state.queued": {"en": "waiting", "pt-BR": "na fila"},
    "state.in_service": {"en": "in service", "pt-BR": "em atendimento"},
    "state.closed": {"en": "closed", "pt-BR": "finalizado"},
    "event.claimed": {
        "en": "{agent} claimed the conversation.",
        "pt-BR": "{agent} assumiu o atendimento.",
    },
    "event.transferred_department": {
        "en": "{actor} transferred it to {department}.",
        "pt-BR": "{actor} transferiu para {department}.",
    },
    "event.transferred_agent": {
        "en": "{actor} transferred it to {agent}.",
        "pt-BR": "{actor} transferiu para {agent}.",
    },
    "event.moved_here": {
        "en": "Transferred here from {department} by {actor}.",
        "pt-BR": "Transferido de {department} por {actor}.",
    },
    "event.closed": {"en": "Closed by {actor}.", "pt-BR": "Finalizado por {actor}."},
    "event.closed_reason": {
        "en": "Closed by {actor}: {reason}.",
        "pt-BR": "Finalizado por {actor}: {reason}.",
    },
    "event.rated": {"en": "The customer rated {stars}", "pt-BR": "O cliente avaliou {stars}"},
    "event.queued": {
        "en": "Waiting in the queue of {department}.",
        "pt-BR": "Aguardando na fila de {department}.",
    },
    "event.delivery_failed": {
        "en": "⚠ A message could not be delivered to {channel}: {reason}",
        "pt-BR": "⚠ Uma mensagem não pôde ser entregue no {channel}: {reason}",
    },
    "event.note": {"en": "Internal note by {actor}", "pt-BR": "Nota interna de {actor}"},
    "event.form": {"en": "Form", "pt-BR": "Formulário"},
    "event.transcript": {
        "en": "Before the queue (automatic stage):",
        "pt-BR": "Antes da fila (automático):",
    },
    "notice.waiting": {
        "en": "⏰ {waiting} waiting in {department}; the oldest for {minutes}.",
        "pt-BR": "⏰ {waiting} aguardando em {department}; o mais antigo há {minutes}.",
    },
    "notice.reserved": {
        "en": "🔖 #{number} ({department}): a customer you served came back; it is reserved for you for {minutes} min.",
        "pt-BR": "🔖 #{number} ({department}): um cliente que você atendeu voltou; o atendimento é seu por {minutes} min.",
    },
    "notice.inactivity_warning": {
        "en": "The customer was asked whether they are still there (inactivity).",
        "pt-BR": "Perguntamos ao cliente se ele ainda está aí (inatividade).",
    },
    "event.reopened": {
        "en": "The customer came back: the conversation reopened.",
        "pt-BR": "O cliente voltou: o atendimento foi reaberto.",
    },
    "event.reopened_agent": {
        "en": "The customer came back: reopened with {agent}.",
        "pt-BR": "O cliente voltou: reaberto com {agent}.",
    },
    "card.reserved": {"en": "Reserved for", "pt-BR": "Reservado para"},
    "reply.choose_chat": {
        "en": "Which conversation? Add its number, e.g. reply {name} #12.",
        "pt-BR": "Qual atendimento? Informe o número, por exemplo reply {name} #12.",
    },
    "reply.quick_sent": {
        "en": "Quick reply {name!r} sent in #{number}.",
        "pt-BR": "Atalho {name!r} enviado no #{number}.",
    },
    "reply.unknown": {
        "en": "No quick reply {name!r}. Available: {names}.",
        "pt-BR": "Atalho {name!r} não existe. Disponíveis: {names}.",
    },
    "close.reason_needed": {
        "en": "Choose a close reason: {reasons}.",
        "pt-BR": "Escolha um motivo de finalização: {reasons}.",
    },
    "card.title": {"en": "Conversation #{number}", "pt-BR": "Atendimento #{number}"},
    "card.contact": {"en": "Contact", "pt-BR": "Contato"},
    "card.email": {"en": "E-mail", "pt-BR": "E-mail"},
    "card.phone": {"en": "Phone", "pt-BR": "Telefone"},
    "card.department": {"en": "Department", "pt-BR": "Departamento"},
    "card.page": {"en": "Page", "pt-BR": "Página"},
    "card.state": {"en": "State", "pt-BR": "Situação"},
    "card.agent": {"en": "Agent", "pt-BR": "Agente"},
    "card.waited": {"en": "Waited", "pt-BR": "Espera"},
    "card.moved": {"en": "Moved to {department}", "pt-BR": "Transferido para {department}"},
    "card.offline": {"en": "Left outside business hours", "pt-BR": "Deixada fora do horário"},
    "card.rating": {"en": "Rating", "pt-BR": "Avaliação"},
    "card.reason": {"en": "Close reason", "pt-BR": "Motivo"},
    "transfer.choose_department": {
        "en": "Transfer #{number} to which department?",
        "pt-BR": "Transferir o #{number} para qual departamento?",
    },
    "transfer.choose_target": {
        "en": "Transfer #{number} to {department}: its queue, or an agent?",
        "pt-BR": "Transferir o #{number} para {department}: a fila ou um agente?",
    },
    "card.from": {
        "en": "Transferred here from {department}:",
        "pt-BR": "Transferido de {department}:",
    },
    "card.earlier": {"en": "earlier thread", "pt-BR": "conversa anterior"},
    "event.edited": {"en": "(edited)", "pt-BR": "(editada)"},
    "event.deleted": {"en": "deleted this message", "pt-BR": "apagou esta mensagem"},
    "event.transcript_moved": {
        "en": "Earlier in this conversation:",
        "pt-BR": "Antes, neste atendimento:",
    },
    "claim.reserved": {
        "en": "#{number} is reserved for {agent} until {until}: they served this customer before.",
        "pt-BR": "O #{number} está reservado para {agent} até {until}: foi quem atendeu este cliente antes.",
    },
    "card.reserved_until": {
        "en": "🔖 Reserved for {agent} until {until}",
        "pt-BR": "🔖 Reservado para {agent} até {until}",
    },
    "event.reserved": {
        "en": "🔖 Reserved for {agent} for {minutes} min: they served this customer before.",
        "pt-BR": "🔖 Reservado para {agent} por {minutes} min: foi quem atendeu este cliente antes.",
    },
    "event.assigned": {
        "en": "Assigned automatically to {agent}.",
        "pt-BR": "Atribuído automaticamente a {agent}.",
    },
    "reply.none_configured": {
        "en": "No quick replies are configured for {department}.",
        "pt-BR": "Não há atalhos configurados para {department}.",
    },
}
