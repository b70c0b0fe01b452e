"""Telegram's HTML parse mode as tdlib implements it (`parse_html`, td/telegram/MessageEntity.cpp):
the same tags, the same four named entities, UTF-16 entity offsets, and the same error texts
with UTF-8 byte offsets. Auto-detected entities (URLs, mentions, hashtags) are not produced."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.emulators.telegram_wire import JsonDict

UserLookup = Callable[[int], JsonDict | None]

_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji"}
    | {"span", "pre", "code", "blockquote"}
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v\0")
_TAG_NAME_STOP = _SPACES | {">", ""}
_ATTR_NAME_STOP = _SPACES | {"=", ">", ""}
_QUOTES = ("'", '"')
_ALPHA = re.compile(r"[A-Za-z]*")
_DEC = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")
_USER_LINK = re.compile(r"tg://user\?id=(\d+)", re.IGNORECASE)
_SCHEMED_LINK = re.compile(r"(?:https?|tg|ton)://\S+", re.IGNORECASE)
_BARE_LINK = re.compile(r"[\w.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?")
_SURROGATES = re.compile("[\ud800-\udfff]")


class HtmlError(Exception):
    """The text tdlib puts after "can't parse entities: "."""


@dataclass(frozen=True, slots=True)
class FormattedText:
    text: str
    entities: tuple[JsonDict, ...] = ()


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    offset: int
    begin: int


@dataclass(slots=True)
class _Entity:
    type: str
    offset: int
    length: int
    argument: str = ""
    user: JsonDict | None = None

    def wire(self) -> JsonDict:
        entity: JsonDict = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_link":
            entity["url"] = self.argument
        elif self.type == "text_mention":
            entity["user"] = self.user
        elif self.type == "pre" and self.argument:
            entity["language"] = self.argument
        elif self.type == "custom_emoji":
            entity["custom_emoji_id"] = self.argument
        return entity


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def decode_entity(src: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at src[pos] == "&"; None leaves the "&" as text."""
    end = pos + 1
    if src[end : end + 1] == "#":
        code, end = _numeric(src, end + 1)
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        name = _ALPHA.match(src, end)
        end = name.end() if name else end
        found = _NAMED.get(name.group() if name else "")
        if found is None:
            return None
        char = found
    if src[end : end + 1] == ";":
        end += 1
    return char, end


def _numeric(src: str, start: int) -> tuple[int, int]:
    if src[start : start + 1] == "x":
        digits = _HEX.match(src, start + 1)
        base = 16
    else:
        digits = _DEC.match(src, start)
        base = 10
    if digits is None or not digits.group():
        return 0, start if digits is None else digits.end()
    return int(digits.group()[:12], base), digits.end()


class _Parser:
    def __init__(self, source: str, users: UserLookup) -> None:
        self._src = source
        self._users = users
        self._i = 0
        self._out: list[str] = []
        self._utf16 = 0
        self._stack: list[_Open] = []
        self._entities: list[_Entity] = []

    def run(self) -> FormattedText:
        while self._i < len(self._src):
            char = self._src[self._i]
            if char == "&" and self._reference():
                continue
            if char == "<":
                self._tag()
            else:
                self._emit(char)
                self._i += 1
        if self._stack:
            tag = self._stack[-1].tag
            raise HtmlError(f"Can't find end tag corresponding to start tag {tag}")
        return self._finish()

    def _finish(self) -> FormattedText:
        text = "".join(self._out)
        if _SURROGATES.search(text):
            raise HtmlError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        entities = sorted(self._entities, key=lambda e: (e.offset, -e.length))
        return FormattedText(text, tuple(e.wire() for e in entities))

    def _at(self, i: int) -> str:
        return self._src[i] if i < len(self._src) else ""

    def _byte(self, i: int) -> int:
        return len(self._src[:i].encode("utf-8", "surrogatepass"))

    def _skip_spaces(self, i: int) -> int:
        while self._at(i) in _SPACES:
            i += 1
        return i

    def _scan(self, i: int, stop: frozenset[str]) -> int:
        while self._at(i) not in stop:
            i += 1
        return i

    def _emit(self, char: str) -> None:
        self._out.append(char)
        self._utf16 += 2 if ord(char) > 0xFFFF else 1

    def _reference(self) -> bool:
        decoded = decode_entity(self._src, self._i)
        if decoded is None:
            return False
        self._emit(decoded[0])
        self._i = decoded[1]
        return True

    def _tag(self) -> None:
        if self._at(self._i + 1) == "/":
            self._end_tag(self._i)
        else:
            self._start_tag(self._i)

    def _start_tag(self, begin: int) -> None:
        i = self._scan(begin + 1, _TAG_NAME_STOP)
        if self._at(i) == "":
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte(begin)}")
        tag = self._src[begin + 1 : i].lower()
        if tag not in _TAGS:
            raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {self._byte(begin)}')
        argument, i = self._attributes(tag, begin, i)
        if tag == "span" and argument != "spoiler":
            raise HtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte(begin)}'
            )
        self._i = i + 1
        self._stack.append(_Open(tag, argument, self._utf16, len(self._out)))

    def _attributes(self, tag: str, begin: int, i: int) -> tuple[str, int]:
        argument = ""
        while self._at(i) != ">":
            i = self._skip_spaces(i)
            if self._at(i) == ">":
                break
            name, value, i = self._attribute(tag, begin, i)
            argument = _argument(tag, name, value, argument)
        return argument, i

    def _attribute(self, tag: str, begin: int, start: int) -> tuple[str, str, int]:
        at = self._byte(begin)
        i = self._scan(start, _ATTR_NAME_STOP)
        name = self._src[start:i]
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        i = self._skip_spaces(i)
        if self._at(i) != "=":
            if tag == "blockquote" and name == "expandable":
                return name, "", i
            raise HtmlError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {at}"
            )
        i = self._skip_spaces(i + 1)
        if self._at(i) == "":
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {at}')
        value, i = self._quoted(i) if self._at(i) in _QUOTES else self._name_token(i)
        if self._at(i) == "":
            raise HtmlError(f"Unclosed start tag at byte offset {at}")
        return name, value, i

    def _name_token(self, i: int) -> tuple[str, int]:
        token = _NAME_TOKEN.match(self._src, i)
        end = token.end() if token else i
        if self._at(end) not in _SPACES | {">", ""}:
            raise HtmlError(f"Unexpected end of name token at byte offset {self._byte(i)}")
        return self._src[i:end].lower(), end

    def _quoted(self, i: int) -> tuple[str, int]:
        quote = self._at(i)
        i += 1
        chars: list[str] = []
        while self._at(i) not in (quote, ""):
            decoded = decode_entity(self._src, i) if self._at(i) == "&" else None
            if decoded is not None:
                chars.append(decoded[0])
                i = decoded[1]
            else:
                chars.append(self._at(i))
                i += 1
        if self._at(i) == quote:
            i += 1
        return "".join(chars), i

    def _end_tag(self, begin: int) -> None:
        at = self._byte(begin)
        if not self._stack:
            raise HtmlError(f"Unexpected end tag at byte offset {at}")
        end = self._scan(begin + 2, _TAG_NAME_STOP)
        name = self._src[begin + 2 : end].lower()
        i = self._skip_spaces(end)
        if self._at(i) != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {at}")
        top = self._stack[-1]
        if name and name != top.tag:
            raise HtmlError(
                f'Unmatched end tag at byte offset {at}, expected "</{top.tag}>", found "</{name}>"'
            )
        self._i = i + 1
        self._stack.pop()
        if self._utf16 > top.offset:
            self._close(top, top.offset, self._utf16 - top.offset)

    def _close(self, top: _Open, offset: int, length: int) -> None:
        simple = _SIMPLE.get(top.tag)
        if simple is not None:
            self._entities.append(_Entity(simple, offset, length))
        elif top.tag == "a":
            self._close_link(top, offset, length)
        elif top.tag == "pre":
            self._close_pre(offset, length)
        elif top.tag == "code":
            self._close_code(top, offset, length)
        elif top.tag == "tg-emoji":
            if not top.argument.isdigit() or int(top.argument) == 0:
                raise HtmlError("Invalid custom emoji identifier specified")
            self._entities.append(_Entity("custom_emoji", offset, length, top.argument))
        else:
            kind = "expandable_blockquote" if top.argument == "expandable" else "blockquote"
            self._entities.append(_Entity(kind, offset, length))

    def _close_link(self, top: _Open, offset: int, length: int) -> None:
        url = top.argument or "".join(self._out[top.begin :])
        mention = _USER_LINK.fullmatch(url.strip())
        if mention is not None:
            user = self._users(int(mention.group(1)))
            if user is not None:
                self._entities.append(_Entity("text_mention", offset, length, user=user))
            return
        checked = _checked_link(url.strip())
        if checked:
            self._entities.append(_Entity("text_link", offset, length, checked))

    def _close_pre(self, offset: int, length: int) -> None:
        last = self._entities[-1] if self._entities else None
        same_span = last and (last.type, last.offset, last.length) == ("code", offset, length)
        if last and same_span and last.argument:
            last.type = "pre"
            return
        self._entities.append(_Entity("pre", offset, length))

    def _close_code(self, top: _Open, offset: int, length: int) -> None:
        last = self._entities[-1] if self._entities else None
        same_span = last and (last.type, last.offset, last.length) == ("pre", offset, length)
        if last and same_span and top.argument:
            last.argument = top.argument
            return
        self._entities.append(_Entity("code", offset, length, top.argument))


def _argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "expandable"
    return current


def _checked_link(url: str) -> str:
    if _SCHEMED_LINK.fullmatch(url):
        return url
    if _BARE_LINK.fullmatch(url):
        return f"http://{url}"
    return ""


def parse_html(source: str, users: UserLookup) -> FormattedText:
    """Raises HtmlError with tdlib's wording."""
    return _Parser(source, users).run()
