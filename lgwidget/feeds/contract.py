"""What a feed may do to a timeline: the one contract every feed uses.

A *feed* is an async function that fills a timeline and returns how its run
ended. It sees the timeline only through :class:`FeedTarget`: the ids it
learns, the events it appends, the status it sets, the Stop button it
watches, a client for the timeline's server. The timeline
(:class:`lgwidget.timeline.runner.Timeline`) implements it and owns the
rest: the task, ``wait()``, cancelling, the final state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from ..client.http import LangGraphClient
from ..wire.eventlog import EventLog

#: A timeline's status: live while ``connecting``, ``streaming`` or
#: ``reconnecting``; the other four are how a run ends.
TimelineStatus = Literal[
    "connecting", "streaming", "reconnecting", "done", "error", "cancelled", "interrupted"
]
LIVE_STATUSES: frozenset[TimelineStatus] = frozenset({"connecting", "streaming", "reconnecting"})
FINAL_STATUSES: frozenset[TimelineStatus] = frozenset({"done", "error", "cancelled", "interrupted"})


class FeedTarget(Protocol):
    """The timeline as a feed sees it."""

    url: str
    assistant_id: str
    thread_id: str
    run_id: str
    status: TimelineStatus
    #: The pending interrupts (``[{"id", "value"}]``) and the nodes that run
    #: next, set when a run ends ``interrupted``.
    interrupts: list[Any]
    paused_at: list[str]
    #: The graph panel's graph (see :mod:`lgwidget.feeds.graph`).
    graph: dict[str, Any]
    #: The runs' supersteps (see :mod:`lgwidget.feeds.supersteps`).
    steps: list[dict[str, Any]]
    #: The runs shown, one section each: kept by the timeline as it launches
    #: and ends them; only a replay sets them, to the saved ones.
    runs: list[dict[str, Any]]
    #: Every event appended so far, in arrival order (read only for feeds).
    events: EventLog

    @property
    def cancel_requested(self) -> bool:
        """True once the user asked to stop; a feed returns as soon as it sees it."""
        ...

    @property
    def server_error(self) -> str | None:
        """The message of the last ``error`` event appended, if any."""
        ...

    def client(self) -> LangGraphClient:
        """A client for the timeline's server, with its auth and headers."""
        ...

    def mark_started(self) -> None:
        """The run starts now: ``t`` counts from here (a resumed run keeps the first start)."""
        ...

    def add_message(
        self, event: str, data: str | bytes, event_id: str | None = None, *, raw: bool = False
    ) -> int:
        """Append one SSE-shaped message; returns its seq."""
        ...


#: A feed: fills the timeline, returns how the run ended.
Feed = Callable[[FeedTarget], Awaitable[TimelineStatus]]
