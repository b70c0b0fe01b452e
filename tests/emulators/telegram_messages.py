"""Bot API message methods: sendMessage, editMessageText, editMessageReplyMarkup,
deleteMessage and answerCallbackQuery, plus the text/markup/reply helpers media sends share."""

from __future__ import annotations

from typing import Any

from tests.emulators.telegram_html import FormattedText
from tests.emulators.telegram_state import Chat, World, now
from tests.emulators.telegram_text import format_text
from tests.emulators.telegram_wire import Handler, JsonDict, Params, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
ANSWER_TEXT_LIMIT = 200
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
STALE_QUERY = "query is too old and response timeout expired or query ID is invalid"
_BUTTON_ACTIONS = frozenset(
    {"url", "callback_data", "web_app", "login_url", "switch_inline_query"}
    | {"switch_inline_query_current_chat", "switch_inline_query_chosen_chat"}
    | {"copy_text", "callback_game", "pay"}
)


def message_text(world: World, params: Params) -> FormattedText:
    raw = params.text("text") or ""
    text = format_text(raw, params.text("parse_mode"), params.json("entities"), world.lookup_user)
    if not text.text:
        raise bad_request("message text is empty")
    if len(text.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return text


def caption(world: World, params: Params) -> FormattedText | None:
    raw = params.text("caption")
    if raw is None:
        return None
    mode = params.text("parse_mode")
    text = format_text(raw, mode, params.json("caption_entities"), world.lookup_user)
    if len(text.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return text if text.text else None


def text_fields(text: FormattedText | None, key: str, entities_key: str) -> JsonDict:
    if text is None:
        return {}
    fields: JsonDict = {key: text.text}
    if text.entities:
        fields[entities_key] = list(text.entities)
    return fields


def inline_markup(params: Params) -> JsonDict | None:
    """The inline keyboard a message keeps; other keyboards are not part of the Message."""
    markup = params.json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Array')
    for row in rows:
        for button in row:
            _check_button(button)
    return {"inline_keyboard": rows}


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not _BUTTON_ACTIONS & button.keys():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
        raise bad_request("BUTTON_DATA_INVALID")


def reply_target(chat: Chat, params: Params) -> int | None:
    reply = params.json("reply_parameters")
    if isinstance(reply, dict):
        target, lenient = reply.get("message_id"), bool(reply.get("allow_sending_without_reply"))
    else:
        target, lenient = params.integer("reply_to_message_id"), False
    if not isinstance(target, int) or target == 0:
        return None
    if target in chat.messages:
        return target
    if lenient:
        return None
    raise bad_request("message to be replied not found")


def apply_optional(message: JsonDict, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


class MessageMethods:
    def __init__(self, world: World) -> None:
        self._world = world

    def routes(self) -> dict[str, Handler]:
        return {
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
        }

    async def send_message(self, params: Params) -> JsonDict:
        chat = self._world.member_chat(params.chat_id())
        text = message_text(self._world, params)
        thread_id = self._world.send_thread(chat, params.integer("message_thread_id"))
        body = text_fields(text, "text", "entities")
        markup = inline_markup(params)
        if markup is not None:
            body["reply_markup"] = markup
        return self._world.post(
            chat, self._world.bot, body, thread_id=thread_id, reply_to=reply_target(chat, params)
        )

    async def edit_message_text(self, params: Params) -> JsonDict:
        message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text = message_text(self._world, params)
        markup = inline_markup(params)
        current = (message["text"], message.get("entities", []), message.get("reply_markup"))
        if current == (text.text, list(text.entities), markup):
            raise bad_request(NOT_MODIFIED)
        message["text"] = text.text
        apply_optional(message, "entities", list(text.entities))
        apply_optional(message, "reply_markup", markup)
        message["edit_date"] = now()
        return message

    async def edit_message_reply_markup(self, params: Params) -> JsonDict:
        message = self._editable(params)
        markup = inline_markup(params)
        if message.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED)
        apply_optional(message, "reply_markup", markup)
        message["edit_date"] = now()
        return message

    def _editable(self, params: Params) -> JsonDict:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the emulator")
        chat = self._world.member_chat(params.chat_id())
        message_id = params.need_integer("message_id")
        message = self._world.message(chat, message_id, "message to edit not found")
        if message["from"]["id"] != self._world.bot["id"]:
            raise bad_request("message can't be edited")
        return message

    async def delete_message(self, params: Params) -> bool:
        chat = self._world.member_chat(params.chat_id())
        message_id = params.need_integer("message_id")
        self._world.message(chat, message_id, "message to delete not found")
        del chat.messages[message_id]
        return True

    async def answer_callback_query(self, params: Params) -> bool:
        query = self._world.callbacks.get(params.need_text("callback_query_id"))
        if query is None or query.answered or query.expired:
            raise bad_request(STALE_QUERY)
        text = params.text("text")
        if text is not None and len(text) > ANSWER_TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {
            "text": text,
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time"),
        }
        return True
