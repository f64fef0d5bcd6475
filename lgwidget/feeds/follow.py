"""Follow a run's stream into a timeline until the run ends, across dropped
connections: what the feeds of ``stream``, ``resume`` and ``join`` read with.

How a rejoined stream's events are told from repeats is
:mod:`lgwidget.client.reconnect`'s job; this module opens and reopens the
connections, with capped exponential backoff and status ``reconnecting``
meanwhile, and says when the run is over.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from ..client.http import LIVE_RUN_STATUSES, LangGraphClient, RunStream
from ..client.reconnect import DEFAULT_BACKOFF, Backoff, Ledger, Rejoined, signature
from ..client.sse import SSEMessage
from ..errors import (
    LGWidgetConnectionError,
    LGWidgetError,
    LGWidgetHTTPError,
    LGWidgetStreamError,
)
from ..wire.events import NOTE
from .contract import FeedTarget


def _retryable(exc: LGWidgetError) -> bool:
    """Transport trouble, and the HTTP answers of a proxy or server that is
    restarting; never a client error (404: the run is gone)."""
    if isinstance(exc, LGWidgetHTTPError):
        return exc.status >= 500 or exc.status == 429
    return isinstance(exc, (LGWidgetConnectionError, LGWidgetStreamError))


async def follow_run(
    tl: FeedTarget,
    client: LangGraphClient,
    start: Callable[[], AbstractAsyncContextManager[RunStream]] | None = None,
    *,
    resumable: bool,
    backoff: Backoff = DEFAULT_BACKOFF,
    last_event_id: str | None = None,
    stream_mode: str | list[str] | None = None,
) -> str | None:
    """Read a run's stream into ``tl`` until the run ends, rejoining dropped
    connections; returns the run's final status as the server reports it
    (None when the run is gone, or when the user stopped it meanwhile:
    ``tl.cancel_requested`` says which).

    ``start`` opens the stream that creates the run (its answer carries the
    run id); a failure before the run id is known is raised as it is: the
    run may not exist, and starting it again could run it twice. Without
    ``start`` the run ``tl.run_id`` exists already and is joined, from after
    ``last_event_id`` and with ``stream_mode`` (a subset of the run's modes),
    as is every rejoin.
    """
    ledger = Ledger(tl.events)
    attempt = 0  # failed attempts in a row
    joined = start is None  # the run exists and its id is known
    failure: LGWidgetError
    gap: LGWidgetError | None = None  # a drop the server cannot replay (no ids)

    def accept(new: SSEMessage) -> int:
        nonlocal attempt
        attempt = 0  # progress: the connection works again
        return tl.add_message(new.event, new.body, new.id, raw=new.invalid_utf8)

    def join(after: str | None) -> AbstractAsyncContextManager[RunStream]:
        return client.join_stream(
            tl.thread_id, tl.run_id, last_event_id=after, stream_mode=stream_mode
        )

    while True:
        try:
            if start is not None and not joined:
                opened = start()
                reader = Rejoined(ledger, None, accept)
            elif resumable and ledger.has_ids and (start is not None or len(ledger)):
                last_id: str | None
                last_id, position = ledger.resume_point()
                if position == 0 and start is None:
                    last_id = last_event_id  # a join never reaches back before its start
                opened = join(last_id)
                reader = Rejoined(ledger, position, accept)
            else:
                # A join's first connection (or its rejoin before any event came),
                # or a run whose events cannot be replayed: from where it was asked.
                opened = join(last_event_id if start is None and not len(ledger) else None)
                reader = Rejoined(ledger, None, accept)
            async with opened as run:
                if not joined:
                    tl.run_id = run.run_id or tl.run_id
                    joined = True
                if tl.cancel_requested:
                    return None
                tl.status = "streaming"
                if gap is not None:
                    # Without ids the server cannot replay: say what may be missing.
                    tl.add_message(NOTE, json.dumps({"message": _gap_note(client.url, gap)}))
                    gap = None
                async for message in run.events():
                    reader.push(signature(message), message)
                    if tl.cancel_requested:
                        return None
                reader.end(clean=True)
            status = await _run_status(client, tl.thread_id, tl.run_id)
            if status not in LIVE_RUN_STATUSES:
                return status
            failure = LGWidgetStreamError(
                f"the stream of run {tl.run_id} from {client.url} ended while the run was {status}",
                url=client.url,
            )
        except LGWidgetError as exc:
            if not joined or not tl.run_id or not _retryable(exc):
                raise
            failure = exc
        attempt += 1
        if attempt > backoff.attempts:
            raise LGWidgetStreamError(
                f"lost the stream of run {tl.run_id} from {client.url}: {failure} "
                f"(gave up after {backoff.attempts} attempts to reconnect)",
                url=client.url,
            ) from failure
        tl.status = "reconnecting"
        await asyncio.sleep(backoff.delay(attempt))
        if tl.cancel_requested:
            return None
        if not (resumable and ledger.has_ids):
            gap = gap or failure


async def _run_status(client: LangGraphClient, thread_id: str, run_id: str) -> str | None:
    """The run's status, to tell the end of a run from a connection closed
    early; None when the run is gone (a rollback deletes it): it ended."""
    try:
        run = await client.get_run(thread_id, run_id)
    except LGWidgetHTTPError as exc:
        if exc.status == 404:
            return None
        raise
    return str(run.get("status"))


def _gap_note(url: str, failure: Any) -> str:
    return (
        f"reconnected to {url} after: {failure}. This run is not resumable "
        "(stream_resumable=False), so events sent while disconnected are missing."
    )
