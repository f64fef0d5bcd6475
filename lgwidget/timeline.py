"""RunTimeline: a timeline widget fed by one asyncio task.

What feeds it is a *feed*: an async function that appends events and returns
the final status (the run stream of :mod:`lgwidget.runs`, and later other
sources). The timeline owns the task, the status, ``wait()`` and cancelling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any

import httpx

from .client import LangGraphClient
from .errors import LGWidgetError, LGWidgetStreamError
from .events import EventRecord, make_record
from .widget import TimelineWidget

# Final statuses; "connecting", "streaming" and "reconnecting" are the live ones.
FINAL_STATUSES = frozenset({"done", "error", "cancelled", "interrupted"})

Feed = Callable[["RunTimeline"], Awaitable[str]]


class RunTimeline(TimelineWidget):
    """The live timeline of one LangGraph run.

    Made by :func:`lgwidget.stream`. ``events`` holds every event record in
    arrival order; ``status``, ``run_id`` and ``thread_id`` follow the run.
    ``await tl.wait()`` (or ``await tl``) returns when the run ends and raises
    :class:`~lgwidget.LGWidgetError` if it failed.
    """

    def __init__(
        self,
        url: str = "",
        assistant_id: str = "",
        *,
        thread_id: str | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(url=url.rstrip("/"), assistant_id=assistant_id, thread_id=thread_id or "")
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

    # -- for feeds ---------------------------------------------------------

    def client(self) -> LangGraphClient:
        """A client for this timeline's server, with its auth and headers."""
        return LangGraphClient(self.url, **self._client_options)

    @property
    def cancel_requested(self) -> bool:
        """True once the user asked to stop; a feed returns as soon as it sees it."""
        return self._cancel_requested

    def add_message(self, event: str, data: str, event_id: str | None = None) -> EventRecord:
        """Append one SSE-shaped message (name, data text, id) as an event record."""
        record = make_record(len(self.events), event, data, event_id, self._since_start())
        self._append(record)
        if record["mode"] == "metadata" and isinstance(record["data"], dict):
            self.run_id = self.run_id or str(record["data"].get("run_id", ""))
        elif record["mode"] == "error":
            self._server_error = _error_message(record["data"])
        return record

    # -- running -----------------------------------------------------------

    def _launch(self, feed: Feed) -> RunTimeline:
        """Run ``feed`` in a task on the running loop, or, with no running loop
        (a plain script), to completion right here, raising its error."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self._drive(feed))
            if self._failure is not None:
                raise self._failure from None
            return self
        self._task = loop.create_task(self._drive(feed), name=f"lgwidget {self.url}")
        return self

    async def _drive(self, feed: Feed) -> None:
        try:
            status = await feed(self)
            if self._cancel_requested:
                await self._cancel_on_server()
                self._finish("cancelled")
            elif self._server_error is not None:
                self._fail(LGWidgetStreamError(self._server_error, url=self.url or None))
            else:
                self._finish(status)
        except asyncio.CancelledError:
            # The task itself was cancelled (widget closed, kernel interrupt):
            # keep what arrived and say so, without hiding the cancellation.
            self._finish("cancelled")
            raise
        except LGWidgetError as exc:
            self._fail(exc)
        except Exception as exc:  # a bug must not leave wait() hanging
            self._fail(LGWidgetStreamError(f"{self.url}: {type(exc).__name__}: {exc}"))
            raise

    async def _cancel_on_server(self) -> None:
        if self.url and self.thread_id and self.run_id:
            async with self.client() as client:
                await client.cancel_run(self.thread_id, self.run_id)

    def _finish(self, status: str, error: str = "") -> None:
        super()._finish(status, error)
        self._ended.set()

    def _fail(self, exc: LGWidgetError) -> None:
        exc.timeline = self
        self._failure = exc
        self._finish("error", str(exc))

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
