"""The project's Slack emulator plus `reactions.add`, which the adapter uses to mark a note
that stayed internal. (To move into tests/emulators/slack_api.py with its owner.)"""

from __future__ import annotations

from tests.emulators.slack import SlackEmulator
from tests.emulators.slack_api import Handler, req_str
from tests.emulators.slack_records import ApiError, JsonDict, Reply


class PonteSlack(SlackEmulator):
    def _handlers(self) -> dict[str, Handler]:
        return {**super()._handlers(), "reactions.add": self._reactions_add}

    def _reactions_add(self, params: JsonDict) -> Reply:
        """As Slack: the reaction is kept on the message, per name, with who added it."""
        workspace = self._ws
        channel = workspace.channel(req_str(params, "channel", "channel_not_found"))
        message = workspace.require(channel.id, req_str(params, "timestamp", "message_not_found"))
        name = req_str(params, "name", "invalid_name")
        me = self.identity.bot_user_id
        reactions: list[JsonDict] = message.setdefault("reactions", [])
        found = next((r for r in reactions if r["name"] == name), None)
        if found is None:
            reactions.append({"name": name, "users": [me], "count": 1})
        elif me in found["users"]:
            raise ApiError("already_reacted")
        else:
            found["users"].append(me)
            found["count"] += 1
        return Reply({"ok": True})
