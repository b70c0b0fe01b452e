"""Web API methods for modals, the Home tab and file uploads (PROTOCOLS A5, A7, A8)."""

from __future__ import annotations

import mimetypes

from tests.emulators.slack_api import ChatApi, Handler, opt_str, req_str
from tests.emulators.slack_assets import Files, Triggers, Urls, Views, check_view
from tests.emulators.slack_records import ApiError, JsonDict, Reply
from tests.emulators.slack_state import Workspace


class ViewsApi:
    """views.open/push need a fresh, unspent `trigger_id`; the view is checked before the
    trigger is spent, so a refused view leaves the trigger usable."""

    def __init__(self, workspace: Workspace, triggers: Triggers, views: Views) -> None:
        self._ws = workspace
        self._triggers = triggers
        self._views = views

    def methods(self) -> dict[str, Handler]:
        return {
            "views.open": self.open,
            "views.push": self.push,
            "views.update": self.update,
            "views.publish": self.publish,
        }

    def _redeem(self, params: JsonDict) -> tuple[str, JsonDict]:
        view = check_view(params.get("view"), ["modal"])
        return self._triggers.redeem(opt_str(params, "trigger_id")), view

    def open(self, params: JsonDict) -> Reply:
        user, view = self._redeem(params)
        return Reply({"ok": True, "view": self._views.open(user, view)})

    def push(self, params: JsonDict) -> Reply:
        user, view = self._redeem(params)
        previous = self._views.latest_id(user)
        return Reply({"ok": True, "view": self._views.open(user, view, previous=previous)})

    def update(self, params: JsonDict) -> Reply:
        view_id = opt_str(params, "view_id")
        external_id = opt_str(params, "external_id")
        updated = self._views.update(
            view_id, external_id, params.get("view"), opt_str(params, "hash")
        )
        return Reply({"ok": True, "view": updated})

    def publish(self, params: JsonDict) -> Reply:
        user = self._ws.user(req_str(params, "user_id", "user_not_found"))["id"]
        published = self._views.publish(user, params.get("view"), opt_str(params, "hash"))
        return Reply({"ok": True, "view": published})


class FilesApi:
    """The external upload flow: reserve an id and upload URL, POST bytes there, complete —
    which shares the files in a channel/thread as one bot message with `files`."""

    def __init__(self, workspace: Workspace, chat: ChatApi, files: Files, urls: Urls) -> None:
        self._ws = workspace
        self._chat = chat
        self._files = files
        self._urls = urls

    def methods(self) -> dict[str, Handler]:
        return {
            "files.getUploadURLExternal": self.get_upload_url,
            "files.completeUploadExternal": self.complete_upload,
        }

    def get_upload_url(self, params: JsonDict) -> Reply:
        filename = req_str(params, "filename", "invalid_arguments")
        req_str(params, "length", "invalid_arguments")
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        file_id = self._files.reserve(filename, mimetype, self._ws.identity.bot_user_id)
        return Reply({"ok": True, "upload_url": self._urls.upload(file_id), "file_id": file_id})

    def complete_upload(self, params: JsonDict) -> Reply:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments")
        channel_id = (
            opt_str(params, "channel_id") or (opt_str(params, "channels") or "").split(",")[0]
        )
        thread_ts = opt_str(params, "thread_ts")
        if thread_ts is not None and not channel_id:
            raise ApiError("invalid_arguments")
        channel = self._chat.writable(channel_id) if channel_id else None
        done = [self._files.complete(str(e.get("id")), e.get("title")) for e in entries]
        if channel is None:
            return Reply({"ok": True, "files": done})
        for item in done:
            self._files.share(item["id"], channel.id)
        fields = {
            "text": opt_str(params, "initial_comment") or "",
            "files": done,
            "subtype": "file_share",
            "thread_ts": thread_ts,
        }
        _message, echo = self._chat.post_bot_message(channel, fields, thread_ts)
        return Reply({"ok": True, "files": done}, echoes=(echo,))
