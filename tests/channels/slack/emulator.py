"""The project's Slack emulator plus what it lacks (to move into tests/emulators/ with its
owner): `reactions.add`, which the adapter uses to mark a note that stayed internal, a click on
a button of a user's App Home tab, and a message shortcut."""

from __future__ import annotations

import copy
import secrets
import time

from tests.emulators.slack import SlackEmulator
from tests.emulators.slack_api import Handler, req_str
from tests.emulators.slack_outbound import Attempt
from tests.emulators.slack_payloads import block_actions
from tests.emulators.slack_records import ApiError, Delivery, JsonDict, Kind, Reply


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

    async def click_home(self, user: str, *, action_id: str, value: str) -> Delivery:
        """A click on the user's published Home tab, as Slack sends it: a `view` container,
        the home view, a trigger_id, and no response_url."""
        home = self.home(user)
        if home is None:
            raise ValueError(f"{user} has no Home tab published")
        action = {"action_id": action_id, "block_id": secrets.token_hex(3), "value": value}
        container = {"type": "view", "view_id": home["id"]}
        payload = block_actions(
            self.identity, self._actor(user, None), action, container, {"view": home}
        )
        payload.pop("response_url", None)
        return await self._outbox.deliver(Kind.INTERACTIVE, payload, Attempt())

    async def message_shortcut(
        self, user: str, *, callback_id: str, channel: str, message_ts: str
    ) -> Delivery:
        """`user` picks a message shortcut on message `message_ts` (a root or a thread reply),
        as Slack sends it: a `message_action` with the message, its channel, a trigger_id and
        a response_url."""
        message = self._ws.require(channel, message_ts)
        actor = self._actor(user, (channel, message_ts))
        payload = {
            "type": "message_action",
            "token": "emulator-verification-token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": self.identity.team_id, "domain": self.identity.team_domain},
            "user": {"id": user, "name": actor.user_name, "team_id": self.identity.team_id},
            "channel": {"id": channel, "name": self._ws.channel_name(channel)},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": actor.trigger_id,
            "response_url": actor.response_url,
            "message_ts": message_ts,
            "message": copy.deepcopy(message),
        }
        return await self._outbox.deliver(Kind.INTERACTIVE, payload, Attempt())
