"""Visitor tokens and signed file URLs: HMAC-SHA256 with the widget secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from bridge.domain.errors import InvalidInput
from bridge.domain.ids import AttachmentId, VisitorId, new_visitor_id, parse_visitor_id

FILE_URL_SECONDS = 24 * 3600


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _mac(self, message: str, length: int = 22) -> str:
        digest = hmac.new(self._key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]

    def new_visitor(self) -> tuple[VisitorId, str]:
        vid = new_visitor_id()
        return vid, self.token(vid)

    def token(self, vid: VisitorId) -> str:
        return f"{vid}.{self._mac('visitor:' + vid)}"

    def visitor(self, token: object) -> VisitorId:
        """The visitor a token names; InvalidInput when it is malformed or forged."""
        if not isinstance(token, str) or token.count(".") != 1:
            raise InvalidInput("visitor", "not a visitor token")
        vid, signature = token.split(".")
        parsed = parse_visitor_id(vid)
        if not hmac.compare_digest(signature, self._mac("visitor:" + parsed)):
            raise InvalidInput("visitor", "the visitor token's signature does not match")
        return parsed

    def file_query(self, aid: AttachmentId, vid: VisitorId, now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + FILE_URL_SECONDS)
        return f"v={vid}&exp={expires}&sig={self._mac(f'file:{aid}:{vid}:{expires}', 32)}"

    def check_file(self, aid: str, vid: str, expires: str, signature: str,
                   now: float | None = None) -> bool:  # fmt: skip
        if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
            return False
        expected = self._mac(f"file:{aid}:{vid}:{expires}", 32)
        return hmac.compare_digest(signature, expected)
