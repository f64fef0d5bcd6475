"""The anywidget half of a timeline: synced traits, the event transport, the bundle.

Events travel as append-only custom messages (see :mod:`lgwidget.timeline.outbox`),
never as a list trait reassigned per event, which would resend the whole list
each time. A view that mounts says which events it holds (``hello``) and gets
the rest; ``_snapshot`` keeps the timeline in a saved notebook.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..feeds.contract import LIVE_STATUSES, TimelineStatus
from ..wire.eventlog import EventLog
from ..wire.snapshot import build_snapshot
from .outbox import Buffers, Outbox

_STATIC = Path(__file__).parent.parent / "static"
_BUNDLE = _STATIC / "widget.js"
if not _BUNDLE.exists():  # pragma: no cover - depends on how lgwidget was installed
    raise ImportError(
        f"lgwidget's front-end bundle {_BUNDLE} is missing: it is built from js/ by the "
        "Python build. Reinstall with `pip install -e .` (needs Node.js and npm)."
    )


def _static(path: Path) -> Path | str:
    """A built file for anywidget: its path under anywidget's hot reload
    (``ANYWIDGET_HMR=1``), else its text.

    anywidget turns a path into a class-level file watcher whose ``changed``
    signal holds a strong reference to every widget ever made (anywidget#929),
    so closed timelines and all their events could never be freed. Without hot
    reload nothing watches the file and its text does the same job (with a
    newline, so that anywidget does not take it for a file name).
    """
    if os.environ.get("ANYWIDGET_HMR") == "1":
        return path
    text = path.read_text(encoding="utf-8")
    return text if "\n" in text else text + "\n"


class TimelineWidget(anywidget.AnyWidget):
    """A timeline of event records shown live in the notebook."""

    _esm = _static(_BUNDLE)
    _css = _static(_STATIC / "widget.css")

    status = traitlets.Unicode("connecting").tag(sync=True)
    assistant_id = traitlets.Unicode("").tag(sync=True)
    run_id = traitlets.Unicode("").tag(sync=True)
    thread_id = traitlets.Unicode("").tag(sync=True)
    url = traitlets.Unicode("").tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    started = traitlets.Float(0.0).tag(sync=True)  # epoch ms when the run started
    elapsed = traitlets.Float(0.0).tag(sync=True)  # seconds, set when the run ends
    # Set when a run ends "interrupted", cleared when it is resumed: the pending
    # interrupts ([{"id", "value"}], non-empty for an interrupt() that waits
    # for a resume value) and the nodes that run next (the thread's ``next``:
    # where a breakpoint paused it).
    interrupts: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    paused_at: traitlets.List[str] = traitlets.List([]).tag(sync=True)
    # The run's graph for the graph panel (lgwidget.feeds.graph): {"nodes", "edges"},
    # {"error": reason} when it could not be had, {} when nobody asked.
    graph: traitlets.Dict[str, Any] = traitlets.Dict({}).tag(sync=True)
    # The runs shown, oldest first (a resume adds one): where each starts in
    # the events, what started it, its run id, status and times (see
    # Timeline.launch); the view draws each as a section.
    runs: traitlets.List[dict[str, Any]] = traitlets.List([]).tag(sync=True)
    # The runs' real supersteps, from the thread's checkpoint history once
    # each run ended (lgwidget.feeds.supersteps).
    steps: traitlets.List[dict[str, Any]] = traitlets.List([]).tag(sync=True)
    # Written once when the run ends (not per event): what a notebook saved
    # with widget state shows when reopened without a kernel (lgwidget.wire.snapshot).
    _snapshot: traitlets.Dict[str, Any] = traitlets.Dict({}).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.events = EventLog()
        # Each flush costs two comm messages (the append and the count trait),
        # so 14 flushes a second leave room under 30 messages a second for the
        # status and id traits that change as a run starts and ends.
        self._outbox = Outbox(self.events, self._send_append, interval=1 / 14)
        self._t0 = time.monotonic()
        self.on_msg(self._on_view_message)

    def mark_started(self) -> None:
        """The run starts now: ``t`` counts from here; a resumed run keeps the first start."""
        if self.started:
            return  # a resumed run: ``t`` keeps counting from the first start
        self._t0 = time.monotonic()
        self.started = time.time() * 1000

    def since_start(self) -> float:
        """Seconds since the run started: the clock of ``t`` and ``elapsed``."""
        return time.monotonic() - self._t0

    def _append(self, event: str, data: bytes, event_id: str | None, *, raw: bool = False) -> int:
        """Add one event (its data as the bytes that arrived); returns its seq."""
        seq = self.events.append(event, data, event_id, self.since_start(), raw=raw)
        self._outbox.notify()
        return seq

    def _send_append(self, message: dict[str, Any], buffers: Buffers) -> None:
        # ``count`` follows the flushes, not each event: every trait change is a
        # comm message of its own.
        self.count = len(self.events)
        self.send(message, buffers)

    def _finish(self, status: TimelineStatus, error: str = "") -> None:
        """Settle the final state: flush pending events, then the traits."""
        self._outbox.flush()
        with self.hold_sync():  # one comm message for the whole final state
            self.error = error
            self.elapsed = round(self.since_start(), 3)
            self._snapshot = build_snapshot(self.events)
            self.status = status

    def _on_view_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "hello":
            have = content.get("have", 0)
            self._outbox.replay(have if isinstance(have, int) else 0)
        elif kind == "cancel":
            self.cancel()
        elif kind in ("resume", "continue"):
            # {"type": "resume", "value": v} answers an interrupt(); "continue"
            # (or a resume without a value) goes on from a breakpoint.
            args = (content["value"],) if kind == "resume" and "value" in content else ()
            self._resume_from_view(kind, args)

    def _resume_from_view(self, kind: str, args: tuple[Any, ...]) -> None:
        # A second click may arrive while the resumed run already streams; the
        # view disables its button, so a request that cannot apply is dropped.
        if self.status in LIVE_STATUSES:
            return
        try:
            self.resume(*args)
        except Exception as exc:  # shown in the widget: there is no cell to raise into
            self.error = f"{kind} failed: {exc}"

    def cancel(self) -> None:
        """Stop what feeds this timeline; subclasses that run something override it."""

    def resume(self, value: Any = None) -> Any:
        """Continue a paused run; subclasses that run something override it."""
        raise NotImplementedError
