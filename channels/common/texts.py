"""Texts agents read in Slack and Telegram, in pt-BR and English. Placeholders use str.format;
values are inserted raw here and escaped by the vendor renderer."""

from __future__ import annotations

from typing import Final

CATALOG: Final[dict[str, dict[str, str]]] = {
    # outcomes of actions
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
    # states
    "state.automatic": {"en": "in the automatic stage", "pt-BR": "no automático"},
    "state.queued": {"en": "waiting", "pt-BR": "na fila"},
    "state.in_service": {"en": "in service", "pt-BR": "em atendimento"},
    "state.closed": {"en": "closed", "pt-BR": "finalizado"},
    # timeline lines posted in the thread
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
    # the card
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
    "status.set": {"en": "Your status is now {status}.", "pt-BR": "Seu status agora é {status}."},
    "status.current": {
        "en": "Your status is {status}. Use: status online|away|offline",
        "pt-BR": "Seu status é {status}. Use: status online|away|offline",
    },
    "status.bad": {
        "en": "Unknown status {status!r}: use online, away or offline.",
        "pt-BR": "Status desconhecido {status!r}: use online, away ou offline.",
    },
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
    "stats.title": {"en": "Statistics", "pt-BR": "Estatísticas"},
    "stats.today": {"en": "today", "pt-BR": "hoje"},
    "stats.week": {"en": "last 7 days", "pt-BR": "últimos 7 dias"},
    "stats.line": {
        "en": "{period}: {queued} conversations, {closed} closed; wait median {wait} (p90 {p90}); first response median {first}; rating {rating}",
        "pt-BR": "{period}: {queued} atendimentos, {closed} finalizados; espera mediana {wait} (p90 {p90}); primeira resposta mediana {first}; avaliação {rating}",
    },
    "stats.reasons": {"en": "close reasons: {reasons}", "pt-BR": "motivos: {reasons}"},
    "stats.none": {"en": "—", "pt-BR": "—"},
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
    # buttons
    "button.claim": {"en": "Claim", "pt-BR": "Assumir"},
    "button.peek": {"en": "Peek", "pt-BR": "Espiar"},
    "button.transfer": {"en": "Transfer", "pt-BR": "Transferir"},
    "button.close": {"en": "Close", "pt-BR": "Finalizar"},
    "button.details": {"en": "Details", "pt-BR": "Detalhes"},
    "button.start_chat": {"en": "Start chat", "pt-BR": "Iniciar conversa"},
    "button.transcript": {"en": "Transcript", "pt-BR": "Transcrição"},
    "button.more": {"en": "More", "pt-BR": "Mais"},
    "button.message": {"en": "Message", "pt-BR": "Mensagem"},
    # lists
    "list.queue": {"en": "Queue — {total} waiting", "pt-BR": "Fila — {total} aguardando"},
    "list.chats": {"en": "In service", "pt-BR": "Atendimentos"},
    "list.auto": {"en": "Automatic stage", "pt-BR": "Automático"},
    "list.contacts": {"en": "Contacts", "pt-BR": "Contatos"},
    "list.agents": {"en": "Agents", "pt-BR": "Agentes"},
    "list.history": {"en": "History", "pt-BR": "Histórico"},
    "list.leads": {"en": "Leads online", "pt-BR": "Leads online"},
    "list.empty": {"en": "Nothing here.", "pt-BR": "Nada por aqui."},
    # Telegram (tg.*), and details, contact and transfer words Slack may reuse
    "tg.help": {
        "en": "Ponte commands: /queue — waiting chats · /chats [filters] — in service · /auto — automatic stage · /contacts <search> · /agents — internal chat · /history [filters] · /leads [filters] · /stats · /status online|away|offline. Inside a conversation's topic: /details · /claim · /transfer · /close [reason] · /r [quick reply] · /contact_edit name|email|phone|tags <value>. Reply in the topic to answer the customer; start with // for an internal note. Filters: dept:<id> agent:<id> tag:<tag> since:YYYY-MM-DD until:YYYY-MM-DD page:<text> min:<minutes> chat:yes|no reason:<close reason, _ for spaces>.",
        "pt-BR": "Comandos do Ponte: /queue — fila · /chats [filtros] — atendimentos · /auto — automático · /contacts <busca> — contatos · /agents — chat interno · /history [filtros] — histórico · /leads [filtros] · /stats — estatísticas · /status online|away|offline. No tópico de um atendimento: /details · /claim · /transfer · /close [motivo] · /r [atalho] · /contact_edit name|email|phone|tags <valor>. Responda no tópico para falar com o cliente; comece com // para uma nota interna. Filtros: dept:<id> agent:<id> tag:<tag> since:AAAA-MM-DD until:AAAA-MM-DD page:<texto> min:<minutos> chat:yes|no reason:<motivo, _ no lugar de espaços>.",
    },
    "tg.topic_only": {
        "en": "Use this command inside a conversation's topic.",
        "pt-BR": "Use este comando dentro do tópico de um atendimento.",
    },
    "tg.button_gone": {
        "en": "This button is no longer valid.",
        "pt-BR": "Este botão não vale mais.",
    },
    "tg.internal_title": {"en": "Internal message", "pt-BR": "Mensagem interna"},
    "tg.file_missing": {
        "en": "📎 {name} is no longer available.",
        "pt-BR": "📎 {name} não está mais disponível.",
    },
    "tg.file_too_big_out": {
        "en": "📎 {name} ({mb} MB) is larger than Telegram accepts from bots (50 MB).",
        "pt-BR": "📎 {name} ({mb} MB) passa do limite do Telegram para bots (50 MB).",
    },
    "tg.cmd.queue": {"en": "Waiting chats, oldest first", "pt-BR": "Fila: chats aguardando"},
    "tg.cmd.chats": {"en": "Chats in service", "pt-BR": "Atendimentos em andamento"},
    "tg.cmd.auto": {"en": "Chats in the automatic stage", "pt-BR": "Chats no automático"},
    "tg.cmd.contacts": {"en": "Search contacts", "pt-BR": "Buscar contatos"},
    "tg.cmd.agents": {"en": "Agents and internal chat", "pt-BR": "Agentes e chat interno"},
    "tg.cmd.history": {"en": "Closed conversations", "pt-BR": "Histórico de atendimentos"},
    "tg.cmd.leads": {"en": "Visitors on the site now", "pt-BR": "Visitantes no site agora"},
    "tg.cmd.details": {"en": "Details of this conversation", "pt-BR": "Detalhes deste atendimento"},
    "tg.cmd.claim": {"en": "Claim this conversation", "pt-BR": "Assumir este atendimento"},
    "tg.cmd.transfer": {"en": "Transfer this conversation", "pt-BR": "Transferir este atendimento"},
    "tg.cmd.close": {"en": "Close this conversation", "pt-BR": "Finalizar este atendimento"},
    "tg.cmd.contact_edit": {"en": "Change the contact's data", "pt-BR": "Alterar dados do contato"},
    "tg.cmd.help": {"en": "How to use Ponte", "pt-BR": "Como usar o Ponte"},
    "file.too_big": {
        "en": "{name} is larger than the {mb} MB limit; it was not sent.",
        "pt-BR": "{name} passa do limite de {mb} MB; não foi enviado.",
    },
    "details.title": {"en": "#{number} — {section}", "pt-BR": "#{number} — {section}"},
    "details.page": {"en": "(page {page} of {pages})", "pt-BR": "(página {page} de {pages})"},
    "details.created": {"en": "Started", "pt-BR": "Início"},
    "details.claimed": {"en": "Claimed", "pt-BR": "Assumido"},
    "details.first_response": {"en": "First response", "pt-BR": "Primeira resposta"},
    "details.closed": {"en": "Closed", "pt-BR": "Finalizado"},
    "details.online": {"en": "On the site now", "pt-BR": "No site agora"},
    "details.offline": {"en": "Last seen on", "pt-BR": "Visto por último em"},
    "details.time_on_site": {"en": "Time on the site", "pt-BR": "Tempo no site"},
    "details.older": {"en": "Older", "pt-BR": "Anteriores"},
    "details.newer": {"en": "Newer", "pt-BR": "Recentes"},
    "contact.field.name": {"en": "Name", "pt-BR": "Nome"},
    "contact.field.email": {"en": "E-mail", "pt-BR": "E-mail"},
    "contact.field.phone": {"en": "Phone", "pt-BR": "Telefone"},
    "contact.field.tags": {"en": "Tags", "pt-BR": "Etiquetas"},
    "contact.updated": {
        "en": "Contact updated: {field} = {value}.",
        "pt-BR": "Contato atualizado: {field} = {value}.",
    },
    "contact.prompt": {
        "en": "Reply to this message with the new {field}.",
        "pt-BR": "Responda a esta mensagem com o novo valor de {field}.",
    },
    "contact.usage": {
        "en": "Write /contact_edit name|email|phone|tags <value>.",
        "pt-BR": "Escreva /contact_edit name|email|phone|tags <valor>.",
    },
    "prompt.first_message": {
        "en": "Reply to this message with the first message to {name}.",
        "pt-BR": "Responda a esta mensagem com a primeira mensagem para {name}.",
    },
    "prompt.internal": {
        "en": "Reply to this message with your message to {name}.",
        "pt-BR": "Responda a esta mensagem com o que quer dizer a {name}.",
    },
    "transfer.choose_department": {
        "en": "Transfer #{number} to which department?",
        "pt-BR": "Transferir o #{number} para qual departamento?",
    },
    "transfer.choose_target": {
        "en": "Transfer #{number} to {department}: its queue, or an agent?",
        "pt-BR": "Transferir o #{number} para {department}: a fila ou um agente?",
    },
    "presence.online": {"en": "online", "pt-BR": "online"},
    "presence.away": {"en": "away", "pt-BR": "ausente"},
    "presence.offline": {"en": "offline", "pt-BR": "offline"},
    "help": {
        "en": "Commands: queue · chats [filters] · auto · contacts <search> · agents · "
        "history [filters] · leads [filters] · stats · status online|away|offline · "
        "reply <quick reply> [#number] · help. Filters: dept:<id> agent:<id> tag:<tag> "
        "channel:<widget> reason:<close reason> since:YYYY-MM-DD until:YYYY-MM-DD page:<text> "
        "min:<minutes> chat:yes|no, then free text.",
        "pt-BR": "Comandos: queue (fila) · chats [filtros] (atendimentos) · auto (automático) · "
        "contacts <busca> (contatos) · agents (agentes) · history [filtros] (histórico) · "
        "leads [filtros] · stats (estatísticas) · status online|away|offline · "
        "reply <atalho> [#número] · help. Filtros: dept:<id> agent:<id> tag:<tag> "
        "channel:<widget> reason:<motivo> since:AAAA-MM-DD until:AAAA-MM-DD page:<texto> "
        "min:<minutos> chat:yes|no, e texto livre.",
    },
    "command.unknown": {
        "en": "Unknown command {name!r}.",
        "pt-BR": "Comando desconhecido {name!r}.",
    },
    # threads, modals and the App Home (Slack; Telegram may reuse them)
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
    "transcript.title": {"en": "Transcript of #{number}", "pt-BR": "Transcrição do #{number}"},
    "button.queue": {"en": "Queue", "pt-BR": "Fila"},
    "button.reply": {"en": "Reply", "pt-BR": "Responder"},
    "file.refused": {
        "en": "The file {name} was not sent to the customer: {reason}.",
        "pt-BR": "O arquivo {name} não foi enviado ao cliente: {reason}.",
    },
    "dm.no_peer": {
        "en": "To talk to another agent, use the Message button in `/ponte agents`; then what you write here goes to them.",
        "pt-BR": "Para falar com outro agente, use o botão Mensagem em `/ponte agents`; depois, o que você escrever aqui vai para ele.",
    },
    "modal.cancel": {"en": "Cancel", "pt-BR": "Cancelar"},
    "modal.save": {"en": "Save contact", "pt-BR": "Salvar contato"},
    "modal.send": {"en": "Send", "pt-BR": "Enviar"},
    "modal.transfer": {"en": "Transfer #{number}", "pt-BR": "Transferir #{number}"},
    "modal.department": {
        "en": "To the queue of department",
        "pt-BR": "Para a fila do departamento",
    },
    "modal.agent": {"en": "Or straight to agent", "pt-BR": "Ou direto para o agente"},
    "modal.note": {"en": "Note for whoever takes it", "pt-BR": "Nota para quem assumir"},
    "modal.target": {
        "en": "Choose a department or an agent.",
        "pt-BR": "Escolha um departamento ou um agente.",
    },
    "modal.close": {"en": "Close #{number}", "pt-BR": "Finalizar #{number}"},
    "modal.close_confirm": {
        "en": "Close conversation #{number}? The customer can rate it afterwards.",
        "pt-BR": "Finalizar o atendimento #{number}? O cliente poderá avaliá-lo em seguida.",
    },
    "modal.reason": {"en": "Reason (optional)", "pt-BR": "Motivo (opcional)"},
    "modal.start": {"en": "Start a chat", "pt-BR": "Iniciar conversa"},
    "modal.first_message": {
        "en": "First message to {name}",
        "pt-BR": "Primeira mensagem para {name}",
    },
    "modal.internal": {"en": "Message {name}", "pt-BR": "Mensagem: {name}"},
    "modal.message_to": {
        "en": "Internal message to {name}",
        "pt-BR": "Mensagem interna para {name}",
    },
    "details.chat": {"en": "Chat details", "pt-BR": "Detalhes do chat"},
    "details.contact": {"en": "Contact", "pt-BR": "Contato"},
    "details.timeline": {"en": "Timeline", "pt-BR": "Linha do tempo"},
    "details.history": {"en": "History", "pt-BR": "Histórico"},
    "details.service": {"en": "In service for", "pt-BR": "Em atendimento há"},
    "details.channel": {"en": "Channel", "pt-BR": "Canal"},
    "details.tags": {
        "en": "Tags (separated by spaces)",
        "pt-BR": "Etiquetas (separadas por espaço)",
    },
    "home.title": {"en": "Ponte — {name}", "pt-BR": "Ponte — {name}"},
    "home.mine": {"en": "Your conversations", "pt-BR": "Seus atendimentos"},
    "home.waiting": {"en": "{count} waiting", "pt-BR": "{count} na fila"},
    "home.oldest": {"en": "oldest for {time}", "pt-BR": "o mais antigo há {time}"},
    # service rules, shared by Slack and Telegram
    "claim.reserved": {
        "en": "#{number} is reserved for {agent} until {until}: they served this customer before.",
        "pt-BR": "O #{number} está reservado para {agent} até {until}: "
        "foi quem atendeu este cliente antes.",
    },
    "card.reserved_until": {
        "en": "🔖 Reserved for {agent} until {until}",
        "pt-BR": "🔖 Reservado para {agent} até {until}",
    },
    "event.reserved": {
        "en": "🔖 Reserved for {agent} for {minutes} min: they served this customer before.",
        "pt-BR": "🔖 Reservado para {agent} por {minutes} min: "
        "foi quem atendeu este cliente antes.",
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


class Texts:
    """The catalog in one language; unknown keys fail loudly in tests, not silently."""

    def __init__(self, language: str) -> None:
        self.language = language if language in ("en", "pt-BR") else "en"

    def __call__(self, key: str, **values: object) -> str:
        return CATALOG[key][self.language].format(**values)
