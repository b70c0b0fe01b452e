"""The pieces the command and button handlers hand their work to, built once by the adapter."""

from __future__ import annotations

from dataclasses import dataclass

from channels.telegram.closing import Closing
from channels.telegram.contacts import ContactEditor
from channels.telegram.details import Details
from channels.telegram.pager import Pager
from channels.telegram.presence import Status
from channels.telegram.prompts import Prompts
from channels.telegram.replies import QuickReplies
from channels.telegram.transfers import Transfers


@dataclass(frozen=True, slots=True)
class Parts:
    pager: Pager
    details: Details
    transfers: Transfers
    contacts: ContactEditor
    prompts: Prompts
    closing: Closing
    status: Status
    replies: QuickReplies
