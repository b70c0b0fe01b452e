"""Bot API media methods: sendPhoto, sendDocument, sendVoice (multipart upload or a known
file_id) and getFile (PROTOCOLS B7). Uploaded bytes are kept for tests to inspect."""

from __future__ import annotations

from tests.emulators.telegram_files import (
    PHOTO_UPLOAD_LIMIT,
    UPLOAD_LIMIT,
    FileKind,
    StoredFile,
    Upload,
)
from tests.emulators.telegram_messages import caption, inline_markup, reply_target, text_fields
from tests.emulators.telegram_state import World
from tests.emulators.telegram_wire import (
    ApiError,
    Handler,
    JsonDict,
    Params,
    UploadedFile,
    bad_request,
)


class MediaMethods:
    def __init__(self, world: World) -> None:
        self._world = world

    def routes(self) -> dict[str, Handler]:
        return {
            "sendPhoto": self.send_photo,
            "sendDocument": self.send_document,
            "sendVoice": self.send_voice,
            "getFile": self.get_file,
        }

    async def send_photo(self, params: Params) -> JsonDict:
        return self._send(params, FileKind.PHOTO)

    async def send_document(self, params: Params) -> JsonDict:
        return self._send(params, FileKind.DOCUMENT)

    async def send_voice(self, params: Params) -> JsonDict:
        return self._send(params, FileKind.VOICE)

    async def get_file(self, params: Params) -> JsonDict:
        stored = self._world.files.for_download(params.need_text("file_id"))
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _send(self, params: Params, kind: FileKind) -> JsonDict:
        world = self._world
        chat = world.member_chat(params.chat_id())
        stored, part = self._file(params, kind)
        text = caption(world, params)
        thread_id = world.send_thread(chat, params.integer("message_thread_id"))
        media = [stored.wire()] if kind is FileKind.PHOTO else stored.wire()
        body: JsonDict = {str(kind): media} | text_fields(text, "caption", "caption_entities")
        markup = inline_markup(params)
        if markup is not None:
            body["reply_markup"] = markup
        reply_to = reply_target(chat, params)
        message = world.post(chat, world.bot, body, thread_id=thread_id, reply_to=reply_to)
        if part is not None:
            upload = Upload(
                kind=kind,
                file_id=stored.file_id,
                data=part.data,
                filename=part.filename,
                mime_type=stored.mime_type,
                chat_id=chat.id,
                thread_id=thread_id,
                caption=text.text if text else None,
            )
            world.files.uploads.append(upload)
        return message

    def _file(self, params: Params, kind: FileKind) -> tuple[StoredFile, UploadedFile | None]:
        name = str(kind)
        reference = params.text(name) or ""
        part = params.files.get(name)
        if part is None and reference.startswith("attach://"):
            part = params.files.get(reference.removeprefix("attach://"))
        if part is not None:
            return self._store(part, kind, params), part
        if not reference:
            raise bad_request(f"there is no {name} in the request")
        existing = self._world.files.find(reference)
        if existing is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if existing.kind is not kind:
            raise bad_request("type of file mismatch")
        return existing, None

    def _store(self, part: UploadedFile, kind: FileKind, params: Params) -> StoredFile:
        if not part.data:
            raise bad_request("file must be non-empty")
        if len(part.data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if kind is FileKind.PHOTO and len(part.data) > PHOTO_UPLOAD_LIMIT:
            raise bad_request("PHOTO_SAVE_FILE_INVALID")
        return self._world.files.add(
            part.data,
            kind,
            file_name=part.filename if kind is FileKind.DOCUMENT else None,
            mime_type=_mime(part, kind),
            duration=params.integer("duration"),
        )


def _mime(part: UploadedFile, kind: FileKind) -> str | None:
    if kind is FileKind.PHOTO:
        return None
    if part.content_type and part.content_type != "application/octet-stream":
        return part.content_type
    return None
