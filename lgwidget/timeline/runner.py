"""Timeline: a timeline widget fed by one asyncio task.

What feeds it is a *feed* (see :mod:`lgwidget.feeds.contract`): an async
function that appends events and returns the final status. The timeline
implements the feed contract and owns the task, the status, ``wait()``,
cancelling and resuming. The public :class:`lgwidget.RunTimeline` adds the
exports on top of it (:mod:`lgwidget.api`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import weakref
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any, TypeVar, cast

import httpx

from ..client.http import LangGraphClient
from ..errors import LGWidgetError, LGWidgetStreamError
from ..feeds.contract import FINAL_STATUSES, LIVE_STATUSES, Feed, TimelineStatus
from ..feeds.foreign import source_feed
from ..feeds.run import CONTINUE
from . import lifecycle
from .widget import TimelineWidget

T = TypeVar("T", bound="Timeline")

# The running tasks, held here (the loop holds tasks only weakly) so that the
# task itself need not hold its timeline: see Timeline.launch.
_RUNNING: set[asyncio.Task[None]] = set()


class Timeline(TimelineWidget):
    """A timeline widget that runs its feed in a task: the feed contract's
    implementation (see :class:`lgwidget.RunTimeline` for the public API)."""

    def __init__(
        self,
        url: str = "",
        assistant_id: str = "",
        *,
        thread_id: str | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        super().__init__(url=url.rstrip("/"), assistant_id=assistant_id, thread_id=thread_id or "")
        self._client_options: dict[str, Any] = {
            "api_key": api_key,
            "headers": headers,
            "transport": transport,
        }
        if timeout is not None:
            self._client_options["timeout"] = timeout
        self._task: asyncio.Task[None] | None = None
        self._failure: LGWidgetError | None = None
        self._cancel_requested = False
        self._server_error: str | None = None
        self._ended = asyncio.Event()
        # Makes the feed of the thread's next run, for resume(); see launch().
        self._next_run: Callable[[Any], Feed] | None = None
        lifecycle.adopt(self)

    # -- for feeds ---------------------------------------------------------

    def client(self) -> LangGraphClient:
        """A client for this timeline's server, with its auth and headers."""
        return LangGraphClient(self.url, **self._client_options)

    @property
    def cancel_requested(self) -> bool:
        """True once the user asked to stop; a feed returns as soon as it sees it."""
        return self._cancel_requested

    @property
    def server_error(self) -> str | None:
        """The message of the last ``error`` event the run's stream sent, if any."""
        return self._server_error

    def add_message(
        self, event: str, data: str | bytes, event_id: str | None = None, *, raw: bool = False
    ) -> int:
        """Append one SSE-shaped message (name, data as JSON text or its UTF-8
        bytes, id); returns its seq. ``raw=True`` keeps ``data`` as text without
        parsing it. Only the few events the timeline itself reads are parsed
        here; every record is built when ``events`` is read."""
        body = data.encode() if isinstance(data, str) else data
        seq = self._append(event, body, event_id, raw=raw)
        # startswith first: this runs per event, and nearly every one is neither.
        mode = event.split("|", 1)[0] if event.startswith(("metadata", "error")) else ""
        if mode in ("metadata", "error") and not raw:
            record = self.events[seq]
            if mode == "metadata" and isinstance(record["data"], dict):
                self.run_id = self.run_id or str(record["data"].get("run_id", ""))
            elif mode == "error":
                self._server_error = _error_message(record["data"])
        return seq

    # -- running -----------------------------------------------------------

    def launch(
        self: T,
        feed: Feed,
        *,
        started_by: Mapping[str, Any] | None = None,
        next_run: Callable[[Any], Feed] | None = None,
    ) -> T:
        """Run ``feed`` in a task on the running loop, or, with no running loop
        (a plain script), to completion right here, raising its error.

        The run becomes a new entry of ``runs``: ``started_by`` says what
        started it (``{"kind": "input" | "command" | "resume" | "continue" |
        "join" | "history" | "watch" | "replay", "value"?: ...}``, the value
        bounded to a preview of :data:`STARTED_BY_CHARS` characters).
        ``next_run(value)`` makes the feed of the thread's next run, for
        :meth:`resume`.

        The task gets a weak proxy of the timeline, not the timeline: a task
        that held it would keep it alive for as long as the run streams, so
        dropping the last reference could never stop it. When the timeline is
        garbage-collected its finalizer cancels the task, which closes the
        HTTP connection. (Inside Jupyter, ipywidgets holds every open widget
        until it is closed, so there ``close()`` and re-running the cell, see
        :mod:`lgwidget.timeline.lifecycle`, are what end a timeline.)
        """
        if next_run is not None:
            self._next_run = next_run
        self.runs = [*self.runs, _section(len(self.events), self, started_by)]
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(_drive(self, feed))
            if self._failure is not None:
                raise self._failure from None
            return self
        proxy = cast("Timeline", weakref.proxy(self))  # behaves as the timeline
        task = loop.create_task(_drive(proxy, feed), name=f"lgwidget {self.url}")
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)
        task.add_done_callback(functools.partial(_settle, weakref.ref(self)))
        weakref.finalize(self, _cancel_soon, loop, weakref.ref(task))
        self._task = task
        return self

    async def _cancel_on_server(self) -> None:
        if self.url and self.thread_id and self.run_id:
            async with self.client() as client:
                await client.cancel_run(self.thread_id, self.run_id)

    def _finish(self, status: TimelineStatus, error: str = "") -> None:
        with self.hold_sync():
            if self.runs:
                *earlier, last = self.runs
                ended = {"run_id": self.run_id, "status": status}
                ended["elapsed"] = round(self.since_start() - last["start"], 3)
                self.runs = [*earlier, {**last, **ended}]
            super()._finish(status, error)
        self._ended.set()

    def _fail(self, exc: LGWidgetError) -> None:
        exc.timeline = self
        self._failure = exc
        self._finish("error", str(exc))

    def _restart(self) -> None:
        """Reset what belongs to one run, before the thread's next run streams
        into the same timeline (events, ``seq`` and ``t`` go on)."""
        self._failure = None
        self._cancel_requested = False
        self._server_error = None
        self._ended = asyncio.Event()
        self.run_id = ""  # a Stop before the new id is known must not hit the old run
        self.error = ""
        self.interrupts = []
        self.paused_at = []
        self.status = "connecting"

    # -- public ------------------------------------------------------------

    def cancel(self) -> None:
        """Stop the run: cancel it on the server and close the stream.

        The status becomes ``cancelled``; the events already received stay.
        """
        if self.status in FINAL_STATUSES:
            return
        self._cancel_requested = True
        if self._task is None or not self.run_id:
            return  # the feed stops, and cancels the run, as soon as it knows its id
        self._task.cancel()
        # A cancelled task cannot await the server's cancel call itself.
        asyncio.get_running_loop().create_task(self._cancel_detached())

    async def _cancel_detached(self) -> None:
        try:
            await self._cancel_on_server()
        except LGWidgetError as exc:
            self.error = f"cancelling the run on the server failed: {exc}"

    async def wait(self: T) -> T:
        """Wait for the end of the run; raise its error if it failed.

        A cancelled or interrupted run is not a failure: check ``status``.
        After :meth:`resume`, waits for the end of the resumed run.

        Like awaiting an asyncio task, cancelling the wait (a kernel
        interrupt, ``asyncio.wait_for`` timing out) stops the stream: the task
        ends and its connection closes; the run itself goes on on the server.
        ``asyncio.shield(tl.wait())`` waits without that.
        """
        try:
            await self._ended.wait()
        except (asyncio.CancelledError, KeyboardInterrupt):
            self._stop_task()
            raise
        if self._failure is not None:
            raise self._failure
        return self

    def __await__(self: T) -> Generator[Any, None, T]:
        return self.wait().__await__()

    def close(self) -> None:
        """Close the widget and stop its task (the HTTP connection closes with it).

        The run itself goes on on the server; :meth:`cancel` stops it."""
        self._stop_task()
        super().close()

    def _stop_task(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def resume(self: T, value: Any = CONTINUE) -> T:
        """Continue the paused thread in this same timeline.

        ``tl.resume(value)`` answers an ``interrupt()``: the thread's next run
        gets ``command={"resume": value}``. ``tl.resume()`` continues from an
        ``interrupt_before``/``interrupt_after`` breakpoint (no input, no
        command). The run uses the first run's ``stream_mode`` and options
        (breakpoints included), its events are appended (``seq`` goes on,
        ``t`` counts from the first start) and the status goes back to
        ``connecting``; ``await tl.wait()`` then waits for the new end.

        Returns the timeline at once in a running loop (a plain script runs
        the resumed run to its end first). Raises
        :class:`~lgwidget.LGWidgetError` while a run still streams or when
        this timeline was not started by :func:`lgwidget.stream`.
        """
        if self._next_run is None:
            raise LGWidgetError(
                "this timeline cannot resume a run: it was not started by lgwidget.stream()",
                url=self.url or None,
            )
        if self.status in LIVE_STATUSES or (self._task is not None and not self._task.done()):
            raise LGWidgetError(
                f"{self.url}: the run is still {self.status}; resume it once it has paused "
                "(status 'interrupted')",
                url=self.url or None,
            )
        if not self.thread_id:
            raise LGWidgetError(f"{self.url}: no thread to resume", url=self.url or None)
        feed = self._next_run(value)
        self._restart()
        started_by = (
            {"kind": "continue"} if value is CONTINUE else {"kind": "resume", "value": value}
        )
        return self.launch(feed, started_by=started_by)

    def watch(
        self: T,
        source: Any,
        *,
        stream_mode: str | Sequence[str] | None = None,
        subgraphs: bool | None = None,
    ) -> T:
        """Show ``source`` in this timeline: a langgraph_sdk ``client.runs.stream(...)``
        iterator, a compiled graph's ``graph.astream(...)``/``graph.stream(...)``,
        or an iterable or async iterable of ``(event, data)`` pairs.

        Returns at once in a running loop, runs the whole source first in a
        plain script. See :mod:`lgwidget.feeds.foreign` for how items are named
        and when ``stream_mode``/``subgraphs`` are needed.
        """
        if self._task is not None or self.events:
            raise RuntimeError("this timeline already shows a run; use lgwidget.watch(source)")
        started_by = {"kind": "watch", "value": type(source).__name__}
        return self.launch(
            started_by=started_by,
            feed=source_feed(source, stream_mode=stream_mode, subgraphs=subgraphs),
        )


async def _drive(tl: Timeline, feed: Feed) -> None:
    """Run ``feed`` and settle the timeline's final state.

    ``tl`` is a weak proxy in a task (see :meth:`Timeline.launch`): this
    function and the feed reach the timeline only through it, and a
    ReferenceError means the timeline was garbage-collected meanwhile and
    there is nothing left to update.
    """
    try:
        status = await feed(tl)
        if tl.cancel_requested:
            await tl._cancel_on_server()
            tl._finish("cancelled")
        else:
            tl._finish(status)
    except asyncio.CancelledError:
        # The task itself was cancelled (widget closed, cell re-run, kernel
        # interrupt, timeline collected): keep what arrived and say so,
        # without hiding the cancellation.
        with contextlib.suppress(ReferenceError):
            tl._finish("cancelled")
        raise
    except ReferenceError:
        return  # the timeline was collected: nobody is left to tell
    except LGWidgetError as exc:
        with contextlib.suppress(ReferenceError):
            tl._fail(exc)
    except Exception as exc:  # a bug must not leave wait() hanging
        with contextlib.suppress(ReferenceError):
            tl._fail(LGWidgetStreamError(f"{tl.url}: {type(exc).__name__}: {exc}"))
        raise


def _settle(ref: weakref.ref[Timeline], task: asyncio.Task[None]) -> None:
    """A task cancelled before its first step never ran :func:`_drive`: settle
    its timeline, or ``wait()`` would never return."""
    tl = ref()
    if tl is not None and tl._task is task and not tl._ended.is_set():
        tl._finish("cancelled")


def _cancel_soon(loop: asyncio.AbstractEventLoop, task: weakref.ref[asyncio.Task[None]]) -> None:
    """The finalizer of a collected timeline: cancel its task, from whatever
    thread the garbage collector runs in."""
    running = task()
    if running is not None and not running.done() and not loop.is_closed():
        loop.call_soon_threadsafe(running.cancel)


#: The longest preview of what started a run kept in ``runs`` (and so in the
#: saved notebook): a run's input can be a whole document.
STARTED_BY_CHARS = 2000


def _section(first: int, tl: Timeline, started_by: Mapping[str, Any] | None) -> dict[str, Any]:
    """A new entry of ``runs``: the run whose first event will be ``first``."""
    cause = dict(started_by or {"kind": "input"})
    if "value" in cause:
        text = json.dumps(cause["value"], ensure_ascii=False, default=repr)
        if len(text) > STARTED_BY_CHARS:
            cause["value"] = text[: STARTED_BY_CHARS - 1] + "…"
        else:
            cause["value"] = json.loads(text)
    start = round(tl.since_start(), 3) if tl.started else 0.0
    return {
        "run_id": "",
        "first": first,
        "start": start,
        "started_by": cause,
        "status": "connecting",
    }


def _error_message(data: Any) -> str:
    if isinstance(data, dict):
        parts = [str(data[key]) for key in ("error", "message") if data.get(key)]
        if parts:
            return ": ".join(parts)
    return str(data)
