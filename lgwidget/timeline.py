"""RunTimeline: a widget fed by one LangGraph run, consumed by an asyncio task."""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Mapping
from typing import Any

import httpx

from .client import LangGraphClient
from .errors import LGWidgetError, LGWidgetStreamError
from .events import interrupts_of, make_record
from .widget import TimelineWidget

# Final statuses; "connecting", "streaming" and "reconnecting" are the live ones.
FINAL_STATUSES = frozenset({"done", "error", "cancelled", "interrupted"})


class RunTimeline(TimelineWidget):
    """The live timeline of one run on a LangGraph API server.

    Made by :func:`stream`. ``events`` holds every event record in arrival
    order; ``status``, ``run_id`` and ``thread_id`` follow the run. ``await
    tl.wait()`` (or ``await tl``) returns when the run ends and raises
    :class:`~lgwidget.LGWidgetError` if it failed.
    """

    def __init__(
        self,
        url: str,
        assistant_id: str,
        *,
        body: Mapping[str, Any],
        thread_id: str | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(url=url.rstrip("/"), assistant_id=assistant_id, thread_id=thread_id or "")
        self._body = dict(body)
        self._client_options: dict[str, Any] = {
            "api_key": api_key,
            "headers": headers,
            "transport": transport,
        }
        self._task: asyncio.Task[None] | None = None
        self._failure: LGWidgetError | None = None
        self._cancel_requested = False
        self._server_error: str | None = None
        self._ended = asyncio.Event()

    # -- running ---------------------------------------------------------

    def start(self) -> RunTimeline:
        """Start consuming the run in a task on the running event loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"lgwidget {self.url} {self.assistant_id}"
            )
        return self

    async def _run(self) -> None:
        try:
            async with LangGraphClient(self.url, **self._client_options) as client:
                await self._consume(client)
                if self._cancel_requested:
                    await self._cancel_on_server(client)
                    self._finish("cancelled")
                elif self._server_error is not None:
                    self._fail(LGWidgetStreamError(self._server_error, url=self.url))
                else:
                    self._finish("interrupted" if await self._interrupted(client) else "done")
        except asyncio.CancelledError:
            # The task itself was cancelled (widget closed, kernel interrupt):
            # keep what arrived and say so, without hiding the cancellation.
            self._finish("cancelled")
            raise
        except LGWidgetError as exc:
            self._fail(exc)
        except Exception as exc:  # a bug must not leave wait() hanging
            self._fail(
                LGWidgetStreamError(f"{self.url}: {type(exc).__name__}: {exc}", url=self.url)
            )
            raise

    async def _consume(self, client: LangGraphClient) -> None:
        if not self.thread_id:
            self.thread_id = await client.create_thread()
        if self._cancel_requested:
            return
        self._mark_started()
        async with client.stream_run(self.thread_id, self._body) as run:
            self.run_id = run.run_id or ""
            if self._cancel_requested:
                return  # stopped while the run was being created
            self.status = "streaming"
            async for sse in run.events():
                record = make_record(
                    len(self.events), sse.event, sse.data, sse.id, self._since_start()
                )
                self._append(record)
                if record["mode"] == "metadata" and isinstance(record["data"], dict):
                    self.run_id = self.run_id or str(record["data"].get("run_id", ""))
                elif record["mode"] == "error":
                    self._server_error = _error_message(record["data"])
                if self._cancel_requested:
                    return

    async def _interrupted(self, client: LangGraphClient) -> bool:
        """Whether the run paused (``interrupt()`` or a breakpoint): the stream
        ends the same way as a finished run, so ask the thread."""
        if any(interrupts_of(record) for record in self.events):
            return True
        thread = await client.get_thread(self.thread_id)
        return thread.get("status") == "interrupted"

    async def _cancel_on_server(self, client: LangGraphClient) -> None:
        if self.thread_id and self.run_id:
            await client.cancel_run(self.thread_id, self.run_id)

    def _finish(self, status: str, error: str = "") -> None:
        super()._finish(status, error)
        self._ended.set()

    def _fail(self, exc: LGWidgetError) -> None:
        exc.timeline = self
        self._failure = exc
        self._finish("error", str(exc))

    # -- public ----------------------------------------------------------

    def cancel(self) -> None:
        """Stop the run: cancel it on the server and close the stream.

        The status becomes ``cancelled``; the events already received stay.
        """
        if self.status in FINAL_STATUSES:
            return
        self._cancel_requested = True
        if self._task is not None and not self.run_id:
            return  # the consumer cancels the run as soon as it knows its id
        if self._task is not None:
            self._task.cancel()
            # A cancelled task cannot await the server's cancel call itself.
            asyncio.get_running_loop().create_task(self._cancel_detached())

    async def _cancel_detached(self) -> None:
        try:
            async with LangGraphClient(self.url, **self._client_options) as client:
                await self._cancel_on_server(client)
        except LGWidgetError as exc:
            self.error = f"cancelling the run on the server failed: {exc}"

    async def wait(self) -> RunTimeline:
        """Wait for the end of the run; raise its error if it failed.

        A cancelled or interrupted run is not a failure: check ``status``.
        """
        await self._ended.wait()
        if self._failure is not None:
            raise self._failure
        return self

    def __await__(self) -> Generator[Any, None, RunTimeline]:
        return self.wait().__await__()

    def close(self) -> None:
        """Close the widget and stop its task (the HTTP connection closes with it)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().close()


def _error_message(data: Any) -> str:
    if isinstance(data, dict):
        parts = [str(data[key]) for key in ("error", "message") if data.get(key)]
        if parts:
            return ": ".join(parts)
    return str(data)


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
    timeline = RunTimeline(
        url, assistant_id, body=body, thread_id=thread_id, api_key=api_key, headers=headers
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(timeline._run())
        if timeline._failure is not None:
            raise timeline._failure from None
        return timeline
    return timeline.start()
