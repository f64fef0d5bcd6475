"""The feed of a run started on a LangGraph API server: ``stream`` and ``resume``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..client.reconnect import DEFAULT_BACKOFF, Backoff
from .contract import Feed, FeedTarget, TimelineStatus
from .ending import conclude
from .follow import follow_run

#: ``tl.resume()`` without a value: continue from a breakpoint (no ``command``).
CONTINUE: Any = type("Continue", (), {"__repr__": lambda _self: "CONTINUE"})()

# Run-create fields that belong to the first run only: the resumed run goes on
# from the thread's latest checkpoint, with the answer as its only input.
_FIRST_RUN_ONLY = ("input", "command", "checkpoint", "checkpoint_id")


def run_feed(body: Mapping[str, Any], *, backoff: Backoff = DEFAULT_BACKOFF) -> Feed:
    """The feed that creates the thread if needed, starts the run and reads its
    stream, rejoining it when the connection drops (see :mod:`lgwidget.feeds.follow`)."""

    async def feed(tl: FeedTarget) -> TimelineStatus:
        async with tl.client() as client:
            if not tl.thread_id:
                tl.thread_id = await client.create_thread()
            if tl.cancel_requested:
                return "cancelled"
            tl.mark_started()
            first = len(tl.events)
            status = await follow_run(
                tl,
                client,
                lambda: client.stream_run(tl.thread_id, body),
                resumable=bool(body.get("stream_resumable")),
                backoff=backoff,
            )
            return await conclude(tl, client, first=first, run_status=status)

    return feed


def next_run_body(body: Mapping[str, Any], value: Any = CONTINUE) -> dict[str, Any]:
    """The run-create body that continues a paused thread: the first run's
    options with ``command={"resume": value}``, or nothing for ``CONTINUE``
    (a breakpoint goes on with ``input`` None)."""
    resumed = {key: item for key, item in body.items() if key not in _FIRST_RUN_ONLY}
    if value is not CONTINUE:
        resumed["command"] = {"resume": value}
    return resumed
