"""The public API: :class:`RunTimeline` and the functions that make one.

Each function picks a feed (:mod:`lgwidget.feeds`) and launches it in a new
timeline; :class:`RunTimeline` is the running timeline
(:class:`lgwidget.timeline.runner.Timeline`) with its exports
(:mod:`lgwidget.exports`) as methods.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .client.http import DEFAULT_IDLE_TIMEOUT, client_timeout
from .exports.dataframe import to_dataframe
from .exports.jsonl import ReadSource, WriteTarget, read_header, write_jsonl
from .exports.listing import listing
from .exports.page import write_html
from .exports.replay import SavedClock, replay_feed
from .exports.timing import timings as timing_rows
from .feeds.graph import with_graph
from .feeds.history import history_feed
from .feeds.join import join_feed
from .feeds.run import next_run_body, run_feed
from .feeds.thread_stream import thread_feed
from .timeline.runner import Timeline

if TYPE_CHECKING:
    import pandas  # an optional extra, imported by to_dataframe() when asked for


class RunTimeline(Timeline):
    """The live timeline of one LangGraph run.

    Made by :func:`lgwidget.stream` (and :func:`join`, :func:`history`,
    :func:`watch`, :func:`replay`). ``events`` holds every event record in
    arrival order; ``status``, ``run_id`` and ``thread_id`` follow the run.
    ``await tl.wait()`` (or ``await tl``) returns when the run ends and raises
    :class:`~lgwidget.LGWidgetError` if it failed.
    """

    def to_jsonl(self, path: WriteTarget) -> int:
        """Save the run as JSON Lines: a header line (url, assistant, thread
        and run ids, status, started, elapsed, error, interrupts), then one
        ``{"seq", "event", "id", "t", "data"}`` line per event (``"raw": true``
        for data that is not JSON). JSON data is written as it arrived.
        ``path`` is a path or a binary file object (e.g. ``gzip.open(p, "wb")``).
        Returns the number of events written. :func:`lgwidget.replay` reads it.
        """
        return write_jsonl(self, path)

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Save the run as one self-contained HTML page: the timeline as the
        widget shows it (header, every event, whole), which opens in any
        browser with no kernel and no network. Returns the file's path.
        """
        return write_html(self, path)

    def to_dataframe(self) -> pandas.DataFrame:
        """The events as a pandas DataFrame, one row per event, with columns
        ``seq, event, mode, ns, node, t, id, data, raw``. ``node`` is the node
        an event is about where its payload says so (the node(s) of an
        ``updates`` event, ``langgraph_node`` of a message's or an ``events``
        event's metadata, the task of ``tasks``/``debug`` events), else None.
        Needs the ``pandas`` extra: ``pip install 'lgwidget[pandas]'``.
        """
        return to_dataframe(self)

    def timings(self) -> list[dict[str, Any]]:
        """One row per task (or node run) with its start, end, duration and
        where its times come from: ``debug`` server timestamps, ``tasks``
        events, else gaps between ``updates`` arrivals (``"arrival"``, an
        approximation). The widget's waterfall uses the same rules; see
        :func:`lgwidget.exports.timing.timings` for the row's keys."""
        return timing_rows(self.events)

    def __repr__(self) -> str:
        """The run as text, line by line: a header line (assistant, run and
        thread ids, status, event count, elapsed), then ``seq  +t  event  node
        summary`` per event (the first 200). anywidget makes this the
        ``text/plain`` part of the widget's display, which terminals, logs,
        nbval and front ends that cannot show the widget read."""
        return listing(self)


class ReplayTimeline(RunTimeline):
    """A timeline that replays a saved run (see :func:`replay`).

    Its clock is the saved run's: each event keeps its saved ``t`` and
    ``elapsed`` is the saved one, whatever the replay speed. Stop ends the
    replay and never touches a server: the saved run ended long ago.
    """

    def __init__(self, header: Mapping[str, Any]) -> None:
        super().__init__(
            str(header.get("url") or ""),
            str(header.get("assistant_id") or ""),
            thread_id=str(header.get("thread_id") or "") or None,
        )
        self.run_id = str(header.get("run_id") or "")
        started = header.get("started")
        self.started = float(started) if isinstance(started, (int, float)) else 0.0
        self.clock = SavedClock()

    def since_start(self) -> float:
        # The widget stamps each appended event and the end with this clock:
        # for a replay it is the saved run's, set by the feed before each event.
        return self.clock()

    async def _cancel_on_server(self) -> None:
        return None


def stream(
    url: str,
    assistant_id: str,
    *,
    input: Any = None,
    stream_mode: str | list[str] = "updates",
    thread_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
    transport: str = "run",
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    **run_options: Any,
) -> RunTimeline:
    """Start a run on the LangGraph API server at ``url`` and show it live.

    Creates a thread when ``thread_id`` is None, then streams
    ``POST /threads/{thread_id}/runs/stream``. ``run_options`` (config,
    context, metadata, interrupt_before, multitask_strategy, command, ...) go
    into the run-create body unchanged. The API key is ``api_key``, else
    ``LANGGRAPH_API_KEY``, else ``LANGSMITH_API_KEY``, sent as ``x-api-key``;
    ``headers`` are merged last.

    Inside a running event loop (a Jupyter kernel) this returns the widget at
    once and a background task fills it; ``await tl.wait()`` waits for the end.
    Outside one (a plain script) it runs the whole stream first, then returns
    the finished timeline, or raises the run's error (the timeline is on the
    exception as ``.timeline``).

    ``transport="thread"`` uses the thread event stream instead of the run
    stream (``POST /threads/{thread_id}/stream/events`` and ``/commands``,
    langgraph-api >= 0.16; see :mod:`lgwidget.feeds.thread_stream`): the server
    picks the run's modes, ``channels=[...]`` narrows what is received.

    Runs are started with ``stream_resumable=True`` (unless given): when the
    connection drops mid-run the stream is rejoined with backoff (status
    ``reconnecting``) and nothing is lost or repeated. ``idle_timeout`` (not a
    run-create field) is how many seconds without a single byte, heartbeats
    included, count as a dead connection (the server sends a heartbeat every
    5 s); such a silence is rejoined too, and the timeline fails with
    "no data from <url> for N s" once reconnecting gives up.
    ``tl.resume(value)`` / ``tl.resume()`` continue a paused run.
    """
    if not idle_timeout > 0:
        raise ValueError(f"idle_timeout must be a positive number of seconds, not {idle_timeout!r}")
    body: dict[str, Any] = {"assistant_id": assistant_id, "stream_mode": stream_mode}
    if input is not None:
        body["input"] = input
    body.update(run_options)
    if transport == "thread":
        feed = thread_feed(body, channels=body.pop("channels", None))
    elif transport == "run":
        body.setdefault("stream_resumable", True)
        feed = run_feed(body)
    else:
        raise ValueError(f"transport must be 'run' or 'thread', not {transport!r}")
    timeline = RunTimeline(
        url,
        assistant_id,
        thread_id=thread_id,
        api_key=api_key,
        headers=headers,
        timeout=client_timeout(idle_timeout),
    )
    next_run = (lambda value: run_feed(next_run_body(body, value))) if transport == "run" else None
    # The graph panel's graph, fetched beside the first run (resumes keep it).
    cause = {"kind": "command", "value": body["command"]} if "command" in body else None
    started_by = cause or {"kind": "input", "value": input}
    return timeline.launch(with_graph(feed, assistant_id), started_by=started_by, next_run=next_run)


def join(
    url: str,
    thread_id: str,
    run_id: str,
    *,
    stream_mode: str | list[str] | None = None,
    last_event_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """Show a run already in flight: ``GET /threads/{thread_id}/runs/{run_id}/stream``.

    The timeline shows the events from the moment it joins on (a run created
    with ``stream_resumable=True`` replays what came after ``last_event_id``;
    ``"-1"`` replays everything) and ends with the run. ``stream_mode`` must
    be a subset of the run's modes (default: all of them). A run that already
    ended gives an empty timeline with its final status. Returns at once in a
    running loop, runs to the end first in a plain script.
    """
    tl = RunTimeline(url, "", thread_id=thread_id, api_key=api_key, headers=headers)
    tl.run_id = run_id
    started_by = {"kind": "join", "value": run_id}
    return tl.launch(
        join_feed(stream_mode=stream_mode, last_event_id=last_event_id), started_by=started_by
    )


def history(
    url: str,
    thread_id: str,
    *,
    limit: int = 100,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """Show a thread's steps from its checkpoint history, oldest first.

    ``POST /threads/{thread_id}/history`` (the newest ``limit`` checkpoints
    of the root graph); each checkpoint becomes one ``checkpoints`` event
    whose data has the shape of the ``checkpoints`` stream mode (see
    :func:`lgwidget.feeds.history.checkpoint_data`), so the same renderer shows a live run and a
    finished thread: the step (``metadata.step``), its source (``input``,
    ``loop``, ``update``, ``fork``), the state (``values``), the nodes to run
    next (``next``) and the tasks with their errors and interrupts.
    """
    tl = RunTimeline(url, "", thread_id=thread_id, api_key=api_key, headers=headers)
    return tl.launch(history_feed(limit), started_by={"kind": "history", "value": thread_id})


def watch(
    source: Any,
    *,
    stream_mode: str | Sequence[str] | None = None,
    subgraphs: bool | None = None,
    url: str = "",
    assistant_id: str = "",
    thread_id: str | None = None,
    run_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """A new timeline showing ``source``: ``RunTimeline(...).watch(source)``.

    ``source`` is a langgraph_sdk ``client.runs.stream(...)`` iterator, a
    compiled graph's ``graph.astream(...)``/``graph.stream(...)``, or an
    iterable or async iterable of ``(event, data)`` pairs. ``stream_mode``
    and ``subgraphs`` describe the items of sources whose layout cannot be
    read from the call (see :func:`lgwidget.feeds.foreign.source_feed`). ``url``, ``assistant_id``,
    ``thread_id`` and ``run_id`` fill the widget's header; with ``url``,
    ``thread_id`` and the run id (given, or from the ``metadata`` event) the
    Stop button also cancels the run on that server.

    Like :func:`lgwidget.stream`, it returns at once inside a running event
    loop, and runs the whole source first in a plain script.
    """
    tl = RunTimeline(url, assistant_id, thread_id=thread_id, api_key=api_key, headers=headers)
    if run_id:
        tl.run_id = run_id
    return tl.watch(source, stream_mode=stream_mode, subgraphs=subgraphs)


def replay(path: ReadSource, speed: float = 1.0) -> RunTimeline:
    """Replay a run saved by ``tl.to_jsonl(path)`` into a new timeline.

    The new timeline has the saved header (url, assistant, thread and run
    ids, started, elapsed) and gets the saved events at their original pace
    divided by ``speed`` (``speed=2`` twice as fast; ``0`` or ``math.inf`` as
    fast as possible). Each event keeps its saved ``seq``, name, id, data and
    ``t``. It ends as the saved run did: ``done``, ``cancelled``,
    ``interrupted`` (with the saved ``interrupts`` and ``paused_at``; it cannot
    be resumed), or ``error``, where ``tl.error`` is the saved message and
    ``wait()`` raises :class:`~lgwidget.LGWidgetStreamError` with it. A file
    saved mid-run ends ``cancelled``. Stop ends the replay (``cancelled``)
    without calling any server.

    ``path`` is a path or a binary file object (e.g. ``gzip.open(p, "rb")``).
    The header is read at once (ValueError when the file is no lgwidget run);
    events are read one line at a time while they replay. Like
    :func:`lgwidget.stream`, it returns at once inside a running event loop,
    and replays to the end first in a plain script.
    """
    if math.isnan(speed) or speed < 0:
        raise ValueError(f"speed must be a positive number, 0 or math.inf, not {speed!r}")
    header = read_header(path)
    tl = ReplayTimeline(header)
    where = os.fspath(path) if isinstance(path, (str, os.PathLike)) else "<file>"
    return tl.launch(
        replay_feed(path, header, speed, tl.clock), started_by={"kind": "replay", "value": where}
    )
