"""Text rules shared by every channel: message limits and search normalisation."""

from __future__ import annotations

import re
import unicodedata

from bridge.domain.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[a-z0-9@._+-]+")


def clean_message(text: object, *, limit: int, field: str = "text") -> str:
    """A message as stored: a string, control characters removed, within `limit` characters.

    Oversized text is refused, never cut: the author is told and can split it.
    """
    if not isinstance(text, str):
        raise InvalidInput(field, f"{field} must be text")
    cleaned = _CONTROL.sub("", text).strip()
    if len(cleaned) > limit:
        raise InvalidInput(field, f"{field} is too long: {len(cleaned)} characters (limit {limit})")
    return cleaned


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'João' -> 'joao'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_tokens(*values: str) -> set[str]:
    """Words a contact is found by: folded words of each value, plus phone digits."""
    tokens: set[str] = set()
    for value in values:
        folded = fold(value)
        tokens.update(_WORD.findall(folded))
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 4:
            tokens.add(digits)
            # phones are typed without country or area code too: index the local suffixes
            tokens.update(digits[-n:] for n in range(8, len(digits)))
    return {t for t in tokens if len(t) >= 2}


def query_words(query: str) -> list[str]:
    folded = fold(query)
    words = _WORD.findall(folded)
    digits = "".join(c for c in query if c.isdigit())
    if len(digits) >= 4 and digits not in words:
        words = [w for w in words if not w.strip("+-.").isdigit()] + [digits]
    return [w for w in words if w]


def matches(haystack: str, query: str) -> bool:
    """Every query word occurs in the folded haystack."""
    folded = fold(haystack)
    return all(word in folded for word in query_words(query))
