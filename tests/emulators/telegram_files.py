"""Files known to the Telegram emulator: those users send (registered by tests) and those the
bot uploads. Each gets a file_id, and on getFile a relative file_path served under
/file/bot<token>/ (PROTOCOLS B7)."""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from tests.emulators.telegram_wire import JsonDict, bad_request

DOWNLOAD_LIMIT = 20 << 20
UPLOAD_LIMIT = 50 << 20
PHOTO_UPLOAD_LIMIT = 10 << 20
PHOTO_SIZE = (800, 600)


class FileKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    VOICE = "voice"


_ID_PREFIX = {FileKind.DOCUMENT: "BQAC", FileKind.PHOTO: "AgAC", FileKind.VOICE: "AwAC"}
_DIRECTORY = {FileKind.DOCUMENT: "documents", FileKind.PHOTO: "photos", FileKind.VOICE: "voice"}
_DEFAULT_SUFFIX = {FileKind.DOCUMENT: "", FileKind.PHOTO: ".jpg", FileKind.VOICE: ".oga"}


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: FileKind
    content: bytes
    file_name: str | None
    mime_type: str | None
    duration: int = 1
    file_path: str | None = None

    def wire(self) -> JsonDict:
        """The Document, PhotoSize or Voice object a message carries."""
        base: JsonDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        match self.kind:
            case FileKind.DOCUMENT:
                return base | _present(file_name=self.file_name, mime_type=self.mime_type)
            case FileKind.PHOTO:
                return base | {"width": PHOTO_SIZE[0], "height": PHOTO_SIZE[1]}
            case FileKind.VOICE:
                return base | {"duration": self.duration} | _present(mime_type=self.mime_type)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the bot uploaded with sendPhoto/sendDocument/sendVoice."""

    kind: FileKind
    file_id: str
    data: bytes
    filename: str | None
    mime_type: str | None
    chat_id: int
    thread_id: int | None
    caption: str | None

    def as_dict(self) -> JsonDict:
        return {
            "bytes": self.data,
            "filename": self.filename,
            "mime": self.mime_type,
            "chat": self.chat_id,
            "thread": self.thread_id,
            "caption": self.caption,
            "kind": str(self.kind),
            "file_id": self.file_id,
        }


def _present(**fields: str | None) -> JsonDict:
    return {name: value for name, value in fields.items() if value is not None}


def default_mime(kind: FileKind, file_name: str | None) -> str | None:
    if kind is FileKind.VOICE:
        return "audio/ogg"
    if kind is FileKind.PHOTO:
        return None
    guessed = mimetypes.guess_type(file_name)[0] if file_name else None
    return guessed or "application/octet-stream"


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._count = 0
        self.uploads: list[Upload] = []

    def add(
        self,
        content: bytes,
        kind: FileKind,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        duration: int | None = None,
    ) -> StoredFile:
        self._count += 1
        stored = StoredFile(
            file_id=f"{_ID_PREFIX[kind]}{self._count:06d}{secrets.token_hex(8)}",
            file_unique_id=f"AQAD{self._count:06d}",
            kind=kind,
            content=content,
            file_name=file_name,
            mime_type=mime_type or default_mime(kind, file_name),
            duration=duration or 1,
        )
        self._by_id[stored.file_id] = stored
        return stored

    def find(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def for_download(self, file_id: str) -> StoredFile:
        """getFile: assign a relative file_path on first use."""
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        if stored.file_path is None:
            stored.file_path = self._path_for(stored)
            self._by_path[stored.file_path] = stored
        return stored

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def _path_for(self, stored: StoredFile) -> str:
        suffix = PurePosixPath(stored.file_name or "").suffix
        if not suffix and stored.mime_type and stored.kind is FileKind.DOCUMENT:
            suffix = mimetypes.guess_extension(stored.mime_type) or ""
        suffix = suffix or _DEFAULT_SUFFIX[stored.kind]
        return f"{_DIRECTORY[stored.kind]}/file_{len(self._by_path) + 1}{suffix}"
