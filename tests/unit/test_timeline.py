"""RunTimeline over a scripted HTTP transport: bad data, error events, final statuses."""

from __future__ import annotations

import json

import httpx
import pytest

from lgwidget import LGWidgetStreamError, RunTimeline
from lgwidget.feeds.contract import FeedTarget, TimelineStatus
from lgwidget.feeds.run import run_feed
from lgwidget.timeline.runner import STARTED_BY_CHARS
from lgwidget.wire.snapshot import snapshot_records


def scripted_server(sse: bytes, thread_status: str = "idle") -> httpx.MockTransport:
    """A LangGraph API server that answers every run with ``sse``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/threads" and request.method == "POST":
            return httpx.Response(200, json={"thread_id": "t1"})
        if request.url.path == "/threads/t1/runs/stream":
            return httpx.Response(
                200,
                content=sse,
                headers={
                    "content-type": "text/event-stream",
                    "content-location": "/threads/t1/runs/r1",
                },
            )
        if request.url.path == "/threads/t1":
            return httpx.Response(200, json={"thread_id": "t1", "status": thread_status})
        return httpx.Response(404, json={"detail": "not scripted"})

    return httpx.MockTransport(handle)


def timeline(transport: httpx.MockTransport) -> RunTimeline:
    tl = RunTimeline("http://lg.test", "agent", transport=transport)
    return tl.launch(run_feed({"assistant_id": "agent"}))


async def test_a_non_json_line_is_kept_raw_and_the_run_goes_on() -> None:
    sse = (
        b'event: metadata\r\ndata: {"run_id":"r1","attempt":1}\r\n\r\n'
        b"event: updates\r\ndata: <html>oops</html>\r\n\r\n"
        b'event: updates\r\ndata: {"agent":{}}\r\n\r\n'
    )
    tl = await timeline(scripted_server(sse))
    assert tl.status == "done"
    assert [e.get("raw", False) for e in tl.events] == [False, True, False]
    assert tl.events[1]["data"] == "<html>oops</html>"
    assert (tl.thread_id, tl.run_id) == ("t1", "r1")


async def test_an_error_event_is_an_entry_a_status_and_a_raised_error() -> None:
    error = {"error": "ValueError", "message": "the node failed"}
    sse = (
        b'event: updates\r\ndata: {"first":{}}\r\n\r\n'
        b"event: error\r\ndata: " + json.dumps(error).encode() + b"\r\n\r\n"
    )
    tl = timeline(scripted_server(sse))
    with pytest.raises(LGWidgetStreamError, match="ValueError: the node failed") as caught:
        await tl.wait()
    assert caught.value.timeline is tl
    assert tl.status == "error"
    assert "the node failed" in tl.error
    assert [e["event"] for e in tl.events] == ["updates", "error"]  # nothing received is lost
    assert snapshot_records(tl._snapshot) == tl.events


async def test_a_paused_thread_ends_interrupted() -> None:
    sse = b'event: updates\r\ndata: {"agent":{}}\r\n\r\n'
    tl = await timeline(scripted_server(sse, thread_status="interrupted"))
    assert tl.status == "interrupted"


async def test_each_launch_is_a_section_with_a_bounded_cause() -> None:
    async def feed(tl: FeedTarget) -> TimelineStatus:
        tl.mark_started()
        tl.add_message("updates", '{"a": {}}')
        return "interrupted"

    tl = RunTimeline()
    await tl.launch(feed, started_by={"kind": "input", "value": {"text": "x" * 5000}})
    (section,) = tl.runs
    assert section["started_by"]["kind"] == "input"
    preview = section["started_by"]["value"]
    assert isinstance(preview, str)
    assert len(preview) == STARTED_BY_CHARS
    assert preview.startswith('{"text": "xxx')
    assert preview.endswith("…")
    assert (section["first"], section["start"], section["status"]) == (0, 0.0, "interrupted")
    assert section["elapsed"] >= 0
