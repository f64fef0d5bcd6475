"""resume(): the body of the thread's next run, and the traits a paused run sets."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from loopback import Reply, Request, ScriptedServer, fake_langgraph, json_reply, sse, sse_reply

import lgwidget
from lgwidget.feeds.run import CONTINUE, next_run_body

INTERRUPT = {"value": {"question": "ok?"}, "id": "i1", "response_schema": None}
STATE = {
    "values": {},
    "next": ["review"],
    "tasks": [
        {"id": "t", "name": "review", "interrupts": [{"value": {"question": "ok?"}, "id": "i1"}]}
    ],
    "interrupts": [{"value": {"question": "ok?"}, "id": "i1"}],
}


def test_the_next_run_keeps_the_options_and_drops_the_first_runs_input() -> None:
    body = {
        "assistant_id": "a",
        "input": {"x": 1},
        "stream_mode": ["updates", "values"],
        "interrupt_before": ["tools"],
        "checkpoint_id": "c1",
        "config": {"configurable": {"k": 1}},
        "stream_resumable": True,
    }
    kept = {
        "assistant_id": "a",
        "stream_mode": ["updates", "values"],
        "interrupt_before": ["tools"],
        "config": {"configurable": {"k": 1}},
        "stream_resumable": True,
    }
    assert next_run_body(body, {"approved": True}) == {
        **kept,
        "command": {"resume": {"approved": True}},
    }
    assert next_run_body(body, None) == {**kept, "command": {"resume": None}}
    assert next_run_body(body, CONTINUE) == kept
    assert next_run_body({**body, "command": {"goto": "x"}}, CONTINUE) == kept


async def test_resume_and_continue_send_the_next_runs_and_clear_the_traits() -> None:
    posts: list[Request] = []

    def run_stream(request: Request) -> Reply:
        posts.append(request)
        meta = sse("metadata", {"run_id": "r1", "attempt": 1}, f"{len(posts)}00-0")
        return sse_reply(meta, sse("updates", {"__interrupt__": [INTERRUPT]}, f"{len(posts)}01-0"))

    handler = fake_langgraph(run_stream, thread_status="interrupted", state=STATE)
    async with ScriptedServer(handler) as server:
        tl = await lgwidget.stream(server.url, "a", input={"x": 1}, stream_mode=["updates"])
        assert tl.status == "interrupted"
        assert tl.interrupts == [{"id": "i1", "value": {"question": "ok?"}}]
        assert tl.paused_at == ["review"]
        tl._on_view_message(tl, {"type": "resume", "value": "yes"}, [])
        assert (tl.status, tl.interrupts, tl.paused_at) == ("connecting", [], [])
        await tl.wait()
        tl._on_view_message(tl, {"type": "continue"}, [])
        await tl.wait()
    first, resumed, continued = (json.loads(p.body) for p in posts)
    assert first["input"] == {"x": 1}
    assert first["stream_resumable"] is True
    assert resumed == {
        "assistant_id": "a",
        "stream_mode": ["updates"],
        "stream_resumable": True,
        "command": {"resume": "yes"},
    }
    assert continued == {"assistant_id": "a", "stream_mode": ["updates"], "stream_resumable": True}
    assert [e["seq"] for e in tl.events] == list(range(6))
    assert [e["id"] for e in tl.events] == ["100-0", "101-0", "200-0", "201-0", "300-0", "301-0"]
    assert tl.status == "interrupted"  # the thread still says so
    assert tl.interrupts == [{"id": "i1", "value": {"question": "ok?"}}]


async def test_interrupts_come_from_the_stream_when_the_state_says_nothing() -> None:
    def run_stream(_request: Request) -> Reply:
        return sse_reply(sse("updates", {"__interrupt__": [INTERRUPT]}))

    handler = fake_langgraph(run_stream, thread_status="interrupted", state={"next": []})
    async with ScriptedServer(handler) as server:
        tl = await lgwidget.stream(server.url, "a", stream_resumable=False)
    assert tl.interrupts == [{"id": "i1", "value": {"question": "ok?"}}]
    assert tl.paused_at == []


def test_resume_in_a_plain_script_runs_to_the_end() -> None:
    # No running loop here: like stream(), resume() returns the finished run and
    # raises its error. The scripted server runs on a loop in another thread.
    posts: list[Request] = []

    def run_stream(request: Request) -> Reply:
        posts.append(request)
        if len(posts) == 3:
            return json_reply({"detail": "no pending interrupt"}, 400)
        return sse_reply(sse("updates", {"node": len(posts)}))

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = ScriptedServer(fake_langgraph(run_stream))
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(5)
    try:
        tl = lgwidget.stream(server.url, "a")
        assert tl.status == "done"
        assert tl.resume("go") is tl
        assert tl.status == "done"
        assert [e["data"] for e in tl.events] == [{"node": 1}, {"node": 2}]
        assert json.loads(posts[1].body)["command"] == {"resume": "go"}
        with pytest.raises(lgwidget.LGWidgetHTTPError, match="no pending interrupt") as caught:
            tl.resume("again")
        assert caught.value.timeline is tl
        assert tl.status == "error"
    finally:
        asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
