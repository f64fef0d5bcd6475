"""How a run ended: the one decision every feed of a server run makes.

A paused run's stream ends just like a finished one's, a failed run's may
end with an ``error`` event or only in its run record, and a run stopped
from elsewhere may not say anything at all. :func:`conclude` weighs what
there is, in this order: the Stop button, the stream's ``error`` event, the
run record's status, the interrupts the stream reported, the thread's
status; and when the run paused it sets the timeline's ``interrupts`` and
``paused_at`` from the thread's state. ``stream``, ``join``, ``resume``, the
thread event stream and ``watch`` all end through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..client.http import LangGraphClient
from ..errors import LGWidgetHTTPError, LGWidgetStreamError
from ..wire.events import EventRecord, interrupts_of
from .contract import FeedTarget, TimelineStatus
from .supersteps import record_supersteps

#: The server's run statuses that mean the run failed.
FAILED_RUN_STATUSES = frozenset({"error", "timeout"})


def pending_interrupts(state: Mapping[str, Any], events: list[EventRecord]) -> list[Any]:
    """The thread's pending interrupts as ``[{"id", "value"}]``: from its state
    (``interrupts``, else its tasks' ``interrupts``), else the last
    ``__interrupt__`` the run's stream reported."""
    found = state.get("interrupts") or [
        item for task in state.get("tasks") or [] for item in task.get("interrupts") or []
    ]
    if not found:
        for record in reversed(events):
            reported = interrupts_of(record)
            if reported is not None:
                found = reported
                break
    return [
        {"id": item.get("id"), "value": item.get("value")}
        if isinstance(item, dict)
        else {"id": None, "value": item}
        for item in found or []
    ]


async def conclude(
    tl: FeedTarget,
    client: LangGraphClient | None,
    *,
    first: int = 0,
    run_status: str | None = None,
    error: str | None = None,
) -> TimelineStatus:
    """How the run whose events start at seq ``first`` ended; raises
    :class:`~lgwidget.LGWidgetStreamError` when it failed.

    ``run_status`` is the server's status of the run when the feed knows it
    (its run record, or what the thread event stream's lifecycle said), and
    ``error`` the failure's message from the stream. ``client`` None means
    there is no server to ask (a watched iterator): the stream alone decides.
    With a server, the run's supersteps are read from the thread's history
    too, whichever way it ended (see :mod:`lgwidget.feeds.supersteps`).
    """
    if tl.cancel_requested:
        return "cancelled"
    try:
        return await _decide(tl, client, first, run_status, error)
    finally:
        if client is not None and not tl.cancel_requested:
            await record_supersteps(tl, client, first)


async def _decide(
    tl: FeedTarget,
    client: LangGraphClient | None,
    first: int,
    run_status: str | None,
    error: str | None,
) -> TimelineStatus:
    if tl.server_error is not None:
        raise LGWidgetStreamError(tl.server_error, url=tl.url or None)
    if run_status in FAILED_RUN_STATUSES or error is not None:
        reason = error or f"ended with status {run_status}"
        raise LGWidgetStreamError(f"{tl.url}: run {tl.run_id} {reason}", url=tl.url or None)
    # This run's interrupt reports: a resumed timeline holds earlier ones.
    events = [tl.events[seq] for seq in tl.events.interrupt_seqs if seq >= first]
    paused = run_status == "interrupted" or any(interrupts_of(record) for record in events)
    state: Mapping[str, Any] = {}
    if client is not None and tl.thread_id:
        if not paused:
            paused = (await client.get_thread(tl.thread_id)).get("status") == "interrupted"
        if paused:
            try:
                state = await client.get_thread_state(tl.thread_id)
            except LGWidgetHTTPError:  # a server without /state: the stream's own report
                state = {}
    if not paused:
        return "done"
    tl.interrupts = pending_interrupts(state, events)
    tl.paused_at = [str(node) for node in state.get("next") or []]
    return "interrupted"
