"""Emulator-side URLs, trigger ids, modal/home views and files."""

from __future__ import annotations

import copy
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count
from urllib.parse import quote

from tests.emulators.slack_records import ApiError, BotIdentity, JsonDict

TRIGGER_LIFETIME = 3.0
VIEW_MAX_BYTES = 250_000


@dataclass(slots=True)
class Urls:
    """Every URL the emulator hands out points back at itself; `root` is set once it is bound."""

    team_id: str
    root: str = ""

    def _base(self) -> str:
        if not self.root:
            raise RuntimeError("SlackEmulator is not started: no URLs yet")
        return self.root

    def api(self) -> str:
        return f"{self._base()}/api/"

    def upload(self, file_id: str) -> str:
        return f"{self._base()}/upload/v1/{file_id}"

    def file_private(self, file_id: str, name: str) -> str:
        return f"{self._base()}/files-pri/{self.team_id}-{file_id}/{quote(name)}"

    def file_download(self, file_id: str, name: str) -> str:
        return f"{self._base()}/files-pri/{self.team_id}-{file_id}/download/{quote(name)}"

    def response(self, token: str) -> str:
        return f"{self._base()}/actions/{self.team_id}/{token}"

    def socket(self, ticket: str) -> str:
        return self._base().replace("http://", "ws://", 1) + f"/link/?ticket={ticket}"

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None) -> str:
        link = f"{self._base()}/archives/{channel_id}/p{ts.replace('.', '')}"
        if thread_ts is not None and thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={channel_id}"
        return link


class Triggers:
    """`trigger_id`s: single use, valid for 3 s after the interaction that issued them."""

    def __init__(self) -> None:
        self._issued: dict[str, tuple[str, float]] = {}
        self._used: set[str] = set()
        self._seq = count(1)

    def issue(self, user: str, *, age: float = 0.0) -> str:
        trigger_id = f"{int(time.time())}.{next(self._seq)}.{secrets.token_hex(16)}"
        self._issued[trigger_id] = (user, time.monotonic() - age)
        return trigger_id

    def redeem(self, trigger_id: str | None) -> str:
        """Spend a trigger; returns the user it was issued for."""
        if trigger_id is None or trigger_id not in self._issued:
            raise ApiError("invalid_trigger_id")
        if trigger_id in self._used:
            raise ApiError("exchanged_trigger_id")
        user, issued_at = self._issued[trigger_id]
        if time.monotonic() - issued_at > TRIGGER_LIFETIME:
            raise ApiError("expired_trigger_id")
        self._used.add(trigger_id)
        return user


def check_view(view: object, expected_types: Iterable[str]) -> JsonDict:
    if not isinstance(view, dict) or view.get("type") not in set(expected_types):
        raise ApiError("invalid_arguments")
    if len(json.dumps(view).encode()) > VIEW_MAX_BYTES:
        raise ApiError("view_too_large")
    return view


class Views:
    """Modals by view id (with the user they belong to) and one Home tab per user. Every
    open/push/update is also kept as a snapshot, in order, for `history`."""

    def __init__(self, identity: BotIdentity) -> None:
        self._identity = identity
        self._views: dict[str, JsonDict] = {}
        self._owner: dict[str, str] = {}
        self._history: list[tuple[str, JsonDict]] = []
        self._homes: dict[str, JsonDict] = {}
        self._seq = count(1)

    def _build(self, view: JsonDict, view_id: str, previous: str | None, root: str) -> JsonDict:
        built = {key: copy.deepcopy(value) for key, value in view.items() if key != "hash"}
        built.update(
            id=view_id,
            team_id=self._identity.team_id,
            app_id=self._identity.app_id,
            bot_id=self._identity.bot_id,
            app_installed_team_id=self._identity.team_id,
            private_metadata=view.get("private_metadata", ""),
            callback_id=view.get("callback_id", ""),
            external_id=view.get("external_id", ""),
            blocks=copy.deepcopy(view.get("blocks", [])),
            state={"values": {}},
            hash=f"{int(time.time())}.{secrets.token_hex(6)}",
            previous_view_id=previous,
            root_view_id=root,
        )
        return built

    def _keep(self, user: str, built: JsonDict) -> JsonDict:
        self._views[built["id"]] = built
        self._owner[built["id"]] = user
        self._history.append((user, copy.deepcopy(built)))
        return copy.deepcopy(built)

    def open(self, user: str, view: object, *, previous: str | None = None) -> JsonDict:
        checked = check_view(view, ["modal"])
        view_id = f"V{next(self._seq):08d}"
        root = self._views[previous]["root_view_id"] if previous in self._views else view_id
        return self._keep(user, self._build(checked, view_id, previous, root))

    def find(self, view_id: str | None, external_id: str | None = None) -> JsonDict:
        for candidate in self._views.values():
            if candidate["id"] == view_id or (
                external_id and candidate["external_id"] == external_id
            ):
                return candidate
        raise ApiError("not_found")

    def update(
        self, view_id: str | None, external_id: str | None, view: object, hash_: str | None
    ) -> JsonDict:
        current = self.find(view_id, external_id)
        if hash_ is not None and hash_ != current["hash"]:
            raise ApiError("hash_conflict")
        checked = check_view(view, ["modal"])
        built = self._build(
            checked, current["id"], current["previous_view_id"], current["root_view_id"]
        )
        return self._keep(self._owner[current["id"]], built)

    def apply_ack(self, view_id: str, ack: JsonDict) -> None:
        """What a view_submission ack does to the modal: `update` replaces it, `push` stacks one."""
        user = self._owner[view_id]
        match ack.get("response_action"):
            case "update":
                self.update(view_id, None, ack.get("view"), None)
            case "push":
                self.open(user, ack.get("view"), previous=view_id)
            case _:
                return

    def publish(self, user: str, view: object, hash_: str | None) -> JsonDict:
        checked = check_view(view, ["home"])
        current = self._homes.get(user)
        if current is not None and hash_ is not None and hash_ != current["hash"]:
            raise ApiError("hash_conflict")
        view_id = current["id"] if current is not None else f"V{next(self._seq):08d}"
        self._homes[user] = self._build(checked, view_id, None, view_id)
        return copy.deepcopy(self._homes[user])

    def latest_id(self, user: str) -> str | None:
        """The user's most recently opened or updated modal (what views.push stacks on)."""
        for owner, snapshot in reversed(self._history):
            if owner == user:
                return str(snapshot["id"])
        return None

    def owner(self, view_id: str) -> str:
        return self._owner[view_id]

    def current(self, view_id: str) -> JsonDict:
        """The open modal, for a submission or a button click inside it (KeyError if unknown)."""
        return copy.deepcopy(self._views[view_id])

    def history(self, user: str | None) -> list[JsonDict]:
        return [copy.deepcopy(v) for owner, v in self._history if user is None or owner == user]

    def home(self, user: str) -> JsonDict | None:
        home = self._homes.get(user)
        return copy.deepcopy(home) if home is not None else None


class Files:
    """Files uploaded with the external-upload flow or shared by a simulated user, with bytes."""

    def __init__(self, urls: Urls) -> None:
        self._urls = urls
        self._meta: dict[str, JsonDict] = {}
        self._content: dict[str, bytes] = {}
        self._seq = count(1)

    def _object(self, file_id: str, name: str, mimetype: str, size: int, user: str) -> JsonDict:
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
        now = int(time.time())
        return {
            "id": file_id,
            "created": now,
            "timestamp": now,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": user,
            "user_team": self._urls.team_id,
            "size": size,
            "mode": "hosted",
            "is_external": False,
            "is_public": True,
            "url_private": self._urls.file_private(file_id, name),
            "url_private_download": self._urls.file_download(file_id, name),
            "permalink": self._urls.file_private(file_id, name) + "?permalink=1",
            "channels": [],
            "groups": [],
            "ims": [],
        }

    def add(self, file_id: str, name: str, content: bytes, mimetype: str, user: str) -> JsonDict:
        self._meta[file_id] = self._object(file_id, name, mimetype, len(content), user)
        self._content[file_id] = content
        return copy.deepcopy(self._meta[file_id])

    def reserve(self, name: str, mimetype: str, user: str) -> str:
        file_id = f"F{next(self._seq):08d}"
        self._meta[file_id] = self._object(file_id, name, mimetype, 0, user)
        return file_id

    def receive(self, file_id: str, data: bytes) -> None:
        """Bytes posted to the upload URL (KeyError for an id never reserved)."""
        self._meta[file_id]["size"] = len(data)
        self._content[file_id] = data

    def complete(self, file_id: str, title: str | None) -> JsonDict:
        if file_id not in self._content:
            raise ApiError("file_not_found")
        if title:
            self._meta[file_id]["title"] = title
        return copy.deepcopy(self._meta[file_id])

    def share(self, file_id: str, channel_id: str) -> None:
        channels: list[str] = self._meta[file_id]["channels"]
        if channel_id not in channels:
            channels.append(channel_id)

    def lookup(self, file_id: str) -> tuple[JsonDict, bytes] | None:
        if file_id not in self._content:
            return None
        return copy.deepcopy(self._meta[file_id]), self._content[file_id]

    def snapshot(self) -> dict[str, JsonDict]:
        return {
            file_id: {**copy.deepcopy(meta), "content": self._content[file_id]}
            for file_id, meta in self._meta.items()
            if file_id in self._content
        }
