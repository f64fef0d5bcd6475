"""The header fields of a run, as its file and its HTML page record them."""

from __future__ import annotations

from typing import Any

from ..feeds.contract import LIVE_STATUSES
from ..timeline.runner import Timeline

#: The version of the run file format, the header's ``"lgwidget"`` value.
FORMAT = 1


def elapsed_of(tl: Timeline) -> float:
    """The run's elapsed seconds: set when it ended, else the time so far."""
    live = tl.status in LIVE_STATUSES
    return round(tl.since_start(), 3) if live and tl.started else float(tl.elapsed)


def header_of(tl: Timeline) -> dict[str, Any]:
    """The header line of ``tl``'s file, as a dict."""
    return {
        "lgwidget": FORMAT,
        "url": tl.url,
        "assistant_id": tl.assistant_id,
        "thread_id": tl.thread_id,
        "run_id": tl.run_id,
        "status": tl.status,
        "started": tl.started,
        "elapsed": elapsed_of(tl),
        "error": tl.error,
        "interrupts": list(tl.interrupts),
        "paused_at": list(tl.paused_at),
        "runs": list(tl.runs),
        "steps": list(tl.steps),
        "count": len(tl.events),
    }
