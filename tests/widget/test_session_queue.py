"""A session's outgoing frames are bounded: a browser that does not read is dropped (it resumes
from its last id), and frames go out oldest first."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import cast

import pytest

from widget.context import WidgetContext
from widget.session import QUEUE_SIZE, Overflow, Session


class Ctx:
    core = None


def session() -> Session:
    return Session(cast(WidgetContext, Ctx()), "127.0.0.1")


async def test_a_reader_that_never_reads_overflows_the_bound() -> None:
    s = session()
    for n in range(QUEUE_SIZE):
        s.send({"t": "n", "n": n})
    with pytest.raises(Overflow):
        s.send({"t": "n", "n": QUEUE_SIZE})


async def test_frames_go_out_in_order_and_the_bound_counts_what_waits() -> None:
    s = session()
    written: list[str] = []
    first_write, release, all_written = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def write(text: str) -> None:
        first_write.set()
        await release.wait()  # a slow browser: the first frame is stuck on the wire
        written.append(text)
        if len(written) == QUEUE_SIZE + 1:
            all_written.set()

    for n in range(10):  # queued before the sender runs
        s.send({"t": "n", "n": n})
    sender = asyncio.create_task(s.run_sender(write))
    await first_write.wait()
    for n in range(10, QUEUE_SIZE + 1):  # 9 still wait behind the one on the wire
        s.send({"t": "n", "n": n})
    with pytest.raises(Overflow):
        s.send({"t": "n", "n": QUEUE_SIZE + 1})
    release.set()
    await all_written.wait()
    sender.cancel()
    with suppress(asyncio.CancelledError):
        await sender
    assert written == [f'{{"t":"n","n":{n}}}' for n in range(QUEUE_SIZE + 1)]
