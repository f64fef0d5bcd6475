"""The feed of a run already in flight: ``lgwidget.join``."""

from __future__ import annotations

import asyncio
from typing import Any

from ..client.http import LIVE_RUN_STATUSES, LangGraphClient
from ..client.reconnect import DEFAULT_BACKOFF, Backoff
from .contract import Feed, FeedTarget, TimelineStatus
from .ending import conclude
from .follow import follow_run


async def settled_run(client: LangGraphClient, thread_id: str, run_id: str) -> dict[str, Any]:
    """The run once its status is final (the stream can end a moment before)."""
    run = await client.get_run(thread_id, run_id)
    for _ in range(40):
        if run.get("status") not in LIVE_RUN_STATUSES:
            break
        await asyncio.sleep(0.05)
        run = await client.get_run(thread_id, run_id)
    return run


def join_feed(
    *,
    stream_mode: str | list[str] | None = None,
    last_event_id: str | None = None,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> Feed:
    """The feed that reads the stream of the run ``tl.run_id`` on ``tl.thread_id``,
    rejoining it after a dropped connection as ``stream`` does."""

    async def feed(tl: FeedTarget) -> TimelineStatus:
        async with tl.client() as client:
            run = await client.get_run(tl.thread_id, tl.run_id)
            tl.assistant_id = tl.assistant_id or str(run.get("assistant_id") or "")
            kwargs = run.get("kwargs")
            # Only a resumable run's events can be replayed after a cut.
            resumable = not isinstance(kwargs, dict) or kwargs.get("resumable") is not False
            tl.mark_started()
            first = len(tl.events)
            status = await follow_run(
                tl,
                client,
                resumable=resumable,
                backoff=backoff,
                last_event_id=last_event_id,
                stream_mode=stream_mode,
            )
            if status is not None:
                status = str((await settled_run(client, tl.thread_id, tl.run_id)).get("status"))
            return await conclude(tl, client, first=first, run_status=status)

    return feed
