"""What every widget endpoint shares: the core, the signer, the allow-list, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bridge.core import Core
from bridge.domain.ids import VisitorId
from bridge.domain.model import Attachment
from bridge.settings import Settings
from widget.identity import Signer
from widget.origins import Origins


class Observer(Protocol):
    def message_in(self, kind: str) -> None: ...


class NoObserver:
    def message_in(self, kind: str) -> None:
        return None


@dataclass
class WidgetContext:
    core: Core
    settings: Settings
    origins: Origins
    observer: Observer
    signer: Signer | None = None  # set in the lifespan, once Redis can give the secret

    @property
    def sign(self) -> Signer:
        if self.signer is None:
            raise RuntimeError("the widget is not started")
        return self.signer

    def file_url(self, attachment: Attachment, vid: VisitorId) -> str:
        return f"/widget/files/{attachment.id}?{self.sign.file_query(attachment.id, vid)}"

    def identity_secret(self, site: str) -> str:
        """The site's identity secret, or "" when it identifies no users."""
        found = self.settings.widget.sites.get(site)
        secret = found.identity_secret if found else None
        return secret.get_secret_value() if secret else ""

    def site(self, requested: str) -> str:
        return requested if requested in self.settings.widget.sites else "default"

    @property
    def max_frame(self) -> int:
        return self.settings.widget.max_frame_bytes
