"""Ending a timeline's task: close(), a cancelled wait(), garbage collection,
re-running the cell that made it. Each must close the HTTP connection."""

from __future__ import annotations

import asyncio
import gc
import time
import weakref
from collections.abc import Callable

import anywidget
import pytest
from loopback import HANG, ScriptedServer, fake_langgraph, sse, sse_reply

from lgwidget import RunTimeline
from lgwidget.feeds.run import run_feed
from lgwidget.timeline import lifecycle
from lgwidget.timeline.runner import _RUNNING

HANGING = fake_langgraph(
    lambda _r: sse_reply(sse("metadata", {"run_id": "r1", "attempt": 1}, "1-0"), HANG),
    run_status="running",
)


async def until(predicate: Callable[[], object], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


def streaming(url: str) -> RunTimeline:
    tl = RunTimeline(url, "agent")
    return tl.launch(run_feed({"assistant_id": "agent", "stream_resumable": True}))


async def test_close_stops_the_task_and_closes_the_connection() -> None:
    async with ScriptedServer(HANGING) as server:
        tl = streaming(server.url)
        await until(lambda: tl.events and server.open_connections == 1)
        task = tl._task
        tl.close()
        await until(lambda: server.open_connections == 0)
    assert task is not None
    assert task.cancelled()
    assert tl.status == "cancelled"
    assert len(tl.events) == 1  # kept


async def test_a_cancelled_wait_stops_the_stream() -> None:
    # What a kernel interrupt does to a cell awaiting the timeline.
    async with ScriptedServer(HANGING) as server:
        tl = streaming(server.url)
        await until(lambda: tl.events)
        waiting = asyncio.ensure_future(tl.wait())
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await until(lambda: server.open_connections == 0)
    assert tl.status == "cancelled"


async def test_dropping_the_last_reference_stops_the_task() -> None:
    async with ScriptedServer(HANGING) as server:
        tl = streaming(server.url)
        events = tl.events
        await until(lambda: events and server.open_connections == 1)
        task = tl._task
        assert task is not None
        # What a widget registry holding widgets weakly would do: let go of the
        # widget without calling RunTimeline.close (ipywidgets 8 holds them).
        anywidget.AnyWidget.close(tl)
        await asyncio.sleep(0.1)  # the last batched append has gone out
        ref = weakref.ref(tl)
        del tl
        gc.collect()
        assert ref() is None  # the running task did not keep it alive
        await until(lambda: task.done() and server.open_connections == 0)
    assert task.cancelled()
    assert task not in _RUNNING


@pytest.fixture
def cell(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str] | None]:
    """Which cell runs now, as the kernel would say: set ``cell[0]``."""
    now: list[tuple[str, str] | None] = [None]
    monkeypatch.setattr(lifecycle, "current_cell", lambda: now[0])
    monkeypatch.setattr(lifecycle, "_by_cell", {})
    return now


async def test_re_running_a_cell_closes_what_its_last_run_made(
    cell: list[tuple[str, str] | None],
) -> None:
    async with ScriptedServer(HANGING) as server:
        cell[0] = ("cell-a", "execution-1")
        first, second = streaming(server.url), streaming(server.url)  # one execution: both stay
        cell[0] = ("cell-b", "execution-2")
        other = streaming(server.url)  # another cell
        await until(lambda: first.status == second.status == other.status == "streaming")
        assert server.open_connections == 3

        cell[0] = ("cell-a", "execution-3")  # cell-a runs again
        again = streaming(server.url)
        await until(lambda: first.status == second.status == "cancelled")
        await until(lambda: server.open_connections == 2)
        assert first.comm is None  # closed widgets
        assert second.comm is None
        assert other.status == "streaming"
        assert again.status in ("connecting", "streaming")
        cell[0] = None  # outside a cell (a button, a script): nothing is replaced
        streaming(server.url).close()
        assert again.status in ("connecting", "streaming")
        other.close()
        again.close()
        await until(lambda: server.open_connections == 0)


async def test_closing_before_the_task_ever_ran_still_ends_wait() -> None:
    tl = streaming("http://127.0.0.1:9")
    tl.close()  # the task is cancelled before its first step: _drive never runs
    await asyncio.wait_for(tl.wait(), 1)
    assert tl.status == "cancelled"
