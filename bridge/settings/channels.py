"""Settings of the customer widget and the agent channels (Slack, Telegram)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _present(secret: SecretStr | None) -> bool:
    return secret is not None and bool(secret.get_secret_value())


class UploadSettings(Model):
    dir: str = "var/uploads"
    max_bytes: int = Field(default=15 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024)
    types: list[str] = Field(
        default_factory=lambda: [
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "application/pdf",
            "text/plain",
            "application/zip",
        ]
    )


class RateSettings(Model):
    messages_per_minute: int = Field(default=30, ge=1)
    uploads_per_hour: int = Field(default=20, ge=1)
    conversations_per_hour: int = Field(default=6, ge=1)
    per_ip_factor: int = Field(default=5, ge=1)


class SiteSettings(Model):
    """A site embedding the widget (the script's data-site); it may identify its users."""

    identity_secret: SecretStr | None = None  # HMAC-SHA256 key of the site's user ids


class WidgetSettings(Model):
    title: str = Field(default="Fale conosco", max_length=60)
    color: str = Field(default="#0b7a75", pattern=r"^#[0-9a-fA-F]{6}$")
    language: Literal["auto", "pt-BR", "en"] = "auto"
    secret: SecretStr | None = None
    max_frame_bytes: int = Field(default=16_384, ge=1024, le=1_048_576)
    uploads: UploadSettings = Field(default_factory=UploadSettings)
    rate: RateSettings = Field(default_factory=RateSettings)
    sites: dict[str, SiteSettings] = Field(default_factory=lambda: {"default": SiteSettings()})


class AgentChannelSettings(Model):
    enabled: bool | Literal["auto"] = "auto"
    note_prefix: str = Field(default="//", min_length=1, max_length=10)
    auto_claim_on_reply: bool = True
    call_timeout: float = Field(default=10.0, gt=0, le=120)
    language: Literal["pt-BR", "en"] | None = None


class SlackSettings(AgentChannelSettings):
    mode: Literal["http", "socket"] = "http"
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: str = Field(default="https://slack.com/api/", pattern=r"^https?://\S+$")
    command: str = Field(default="/ponte", pattern=r"^/[a-z0-9_-]{1,31}$")
    messages_per_second: float = Field(default=1.0, gt=0)
    messages_burst: int = Field(default=3, ge=1, le=100)  # posts a channel may take at once
    home_refresh_seconds: float = Field(default=2.0, ge=0, le=300)  # App Home, at most this often

    @property
    def active(self) -> bool:
        if self.enabled == "auto":
            return not self._missing()
        return bool(self.enabled)

    def _missing(self) -> list[str]:
        needed = {"bot_token": self.bot_token}
        if self.mode == "http":
            needed["signing_secret"] = self.signing_secret
        else:
            needed["app_token"] = self.app_token
        return [name for name, value in needed.items() if not _present(value)]

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> Self:
        missing = self._missing()
        if self.enabled is True and missing:
            raise ValueError(f"enabled, but {', '.join(missing)} not set")
        return self


class TelegramSettings(AgentChannelSettings):
    mode: Literal["auto", "webhook", "polling"] = "auto"
    bot_token: SecretStr | None = None
    webhook_secret: SecretStr | None = Field(default=None)
    set_webhook: bool = True
    api_url: str = Field(default="https://api.telegram.org", pattern=r"^https?://\S+$")
    file_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    messages_per_second: float = Field(default=25.0, gt=0)
    group_messages_per_minute: float = Field(default=18.0, gt=0)
    poll_timeout: int = Field(default=25, ge=0, le=50)
    # Token buckets shared by every process: how many messages may go at once before the
    # rates above pace them (Telegram tolerates short bursts, not sustained excess).
    messages_burst: float = Field(default=30.0, ge=1)
    group_messages_burst: float = Field(default=5.0, ge=1)
    # Polling: one process holds this lease and polls; another takes over within about
    # poll_lease_ms (plus a third of it) after the holder dies.
    poll_lease_ms: int = Field(default=10_000, ge=300, le=120_000)

    @property
    def active(self) -> bool:
        if self.enabled == "auto":
            return _present(self.bot_token)
        return bool(self.enabled)

    @property
    def effective_mode(self) -> Literal["webhook", "polling"]:
        if self.mode == "auto":
            return "webhook" if _present(self.webhook_secret) else "polling"
        return self.mode

    @property
    def effective_file_url(self) -> str:
        return self.file_url or self.api_url.rstrip("/") + "/file"

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> Self:
        if self.enabled is True and not _present(self.bot_token):
            raise ValueError("enabled, but bot_token not set")
        if self.mode == "webhook" and self.active and not _present(self.webhook_secret):
            raise ValueError("webhook mode needs webhook_secret (Telegram's secret_token)")
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if secret and not all(c.isalnum() or c in "_-" for c in secret):
            raise ValueError("webhook_secret may hold only A-Z, a-z, 0-9, _ and -")
        return self
