"""Runs on a LangGraph API server, streamed into a timeline: :func:`stream`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .client import DEFAULT_IDLE_TIMEOUT, LangGraphClient, client_timeout
from .errors import LGWidgetHTTPError
from .events import EventRecord, interrupts_of
from .graph import with_graph
from .reconnect import DEFAULT_BACKOFF, Backoff, follow_run
from .timeline import CONTINUE, Feed, RunTimeline

# Run-create fields that belong to the first run only: the resumed run goes on
# from the thread's latest checkpoint, with the answer as its only input.
_FIRST_RUN_ONLY = ("input", "command", "checkpoint", "checkpoint_id")


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


async def _final_status(tl: RunTimeline, client: LangGraphClient, first: int) -> str:
    """``done`` or ``interrupted``: a paused run's stream ends like a finished
    one's, so ask the thread. When paused, set ``interrupts`` and ``paused_at``."""
    # This run's interrupt reports: a resumed timeline holds earlier ones.
    events = [tl.events[seq] for seq in tl.events.interrupt_seqs if seq >= first]
    reported = any(interrupts_of(record) for record in events)
    if not reported and (await client.get_thread(tl.thread_id)).get("status") != "interrupted":
        return "done"
    try:
        state = await client.get_thread_state(tl.thread_id)
    except LGWidgetHTTPError:  # a server without /state: the stream's own report
        state = {}
    tl.interrupts = pending_interrupts(state, events)
    tl.paused_at = [str(node) for node in state.get("next") or []]
    return "interrupted"


def run_feed(body: Mapping[str, Any], *, backoff: Backoff = DEFAULT_BACKOFF) -> Feed:
    """The feed that creates the thread if needed, starts the run and reads its
    stream, rejoining it when the connection drops (see :mod:`lgwidget.reconnect`)."""

    async def feed(tl: RunTimeline) -> str:
        async with tl.client() as client:
            if not tl.thread_id:
                tl.thread_id = await client.create_thread()
            if tl.cancel_requested:
                return "cancelled"
            tl._mark_started()
            first = len(tl.events)
            finished = await follow_run(
                tl,
                client,
                lambda: client.stream_run(tl.thread_id, body),
                resumable=bool(body.get("stream_resumable")),
                backoff=backoff,
            )
            if not finished:
                return "cancelled"
            return await _final_status(tl, client, first)

    return feed


def next_run_body(body: Mapping[str, Any], value: Any = CONTINUE) -> dict[str, Any]:
    """The run-create body that continues a paused thread: the first run's
    options with ``command={"resume": value}``, or nothing for ``CONTINUE``
    (a breakpoint goes on with ``input`` None)."""
    resumed = {key: item for key, item in body.items() if key not in _FIRST_RUN_ONLY}
    if value is not CONTINUE:
        resumed["command"] = {"resume": value}
    return resumed


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
    langgraph-api >= 0.16; see :mod:`lgwidget.thread_stream`): the server
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
        from .thread_stream import thread_feed

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
    if transport == "run":
        timeline._next_run = lambda value: run_feed(next_run_body(body, value))
    # The graph panel's graph, fetched beside the first run (resumes keep it).
    return timeline._launch(with_graph(feed, assistant_id))
