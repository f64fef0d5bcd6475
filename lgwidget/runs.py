"""Runs on a LangGraph API server, streamed into a timeline: :func:`stream`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .client import LangGraphClient
from .events import interrupts_of
from .timeline import Feed, RunTimeline


async def _interrupted(tl: RunTimeline, client: LangGraphClient) -> bool:
    """Whether the run paused (``interrupt()`` or a breakpoint): its stream
    ends the same way as a finished run's, so ask the thread."""
    if any(interrupts_of(record) for record in tl.events):
        return True
    thread = await client.get_thread(tl.thread_id)
    return thread.get("status") == "interrupted"


def run_feed(body: Mapping[str, Any]) -> Feed:
    """The feed that creates the thread if needed, starts the run and reads its stream."""

    async def feed(tl: RunTimeline) -> str:
        async with tl.client() as client:
            if not tl.thread_id:
                tl.thread_id = await client.create_thread()
            if tl.cancel_requested:
                return "cancelled"
            tl._mark_started()
            async with client.stream_run(tl.thread_id, body) as run:
                tl.run_id = run.run_id or ""
                if tl.cancel_requested:
                    return "cancelled"  # stopped while the run was being created
                tl.status = "streaming"
                async for sse in run.events():
                    tl.add_message(sse.event, sse.data, sse.id)
                    if tl.cancel_requested:
                        return "cancelled"
            return "interrupted" if await _interrupted(tl, client) else "done"

    return feed


def stream(
    url: str,
    assistant_id: str,
    *,
    input: Any = None,
    stream_mode: str | list[str] = "updates",
    thread_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
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
    """
    body: dict[str, Any] = {"assistant_id": assistant_id, "stream_mode": stream_mode}
    if input is not None:
        body["input"] = input
    body.update(run_options)
    timeline = RunTimeline(url, assistant_id, thread_id=thread_id, api_key=api_key, headers=headers)
    return timeline._launch(run_feed(body))
