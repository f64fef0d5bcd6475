"""watch(): SDK-like parts, graph chunks, (event, data) pairs; JSON like the server's.

No server here: in-process graphs, scripted sources, and the thread event
stream replayed from a scripted HTTP transport.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent

import lgwidget
from lgwidget import LGWidgetStreamError, RunTimeline
from lgwidget.feeds.foreign import Shape, messages_of
from lgwidget.feeds.thread_stream import record_of, run_id_of, start_command, thread_feed
from lgwidget.wire.serde import to_json

pytest.importorskip("langgraph", reason="needs the server extra: pip install lgwidget[server]")


def loads(text: str) -> Any:
    return json.loads(text)


async def until(predicate: Callable[[], object], timeout: float = 10) -> None:
    """Poll ``predicate`` on the loop (the feed runs meanwhile)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


# -- JSON as the server sends it ----------------------------------------------------


def test_messages_become_the_dicts_the_server_sends() -> None:
    from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

    ai = AIMessage(
        content="",
        id="m1",
        tool_calls=[{"name": "search", "args": {"q": "x"}, "id": "c1", "type": "tool_call"}],
    )
    data = loads(to_json(ai))
    assert data["type"] == "ai"
    assert data["id"] == "m1"
    assert data["tool_calls"] == [
        {"name": "search", "args": {"q": "x"}, "id": "c1", "type": "tool_call"}
    ]
    assert {
        "content",
        "additional_kwargs",
        "response_metadata",
        "name",
        "invalid_tool_calls",
    } <= set(data)
    chunk = loads(to_json((AIMessageChunk(content="hi", id="m2"), {"langgraph_node": "agent"})))
    assert chunk[0]["type"] == "AIMessageChunk"
    assert chunk[1] == {"langgraph_node": "agent"}
    tool = loads(to_json(ToolMessage(content="{}", tool_call_id="c1", name="search")))
    assert (tool["type"], tool["tool_call_id"], tool["status"]) == ("tool", "c1", "success")


def test_other_objects_become_plain_json() -> None:
    from langgraph.types import Interrupt, Send

    Point = collections.namedtuple("Point", "x y")

    @dataclasses.dataclass
    class Box:
        size: int
        tags: tuple[str, ...]

    value = {
        "interrupt": Interrupt(value={"ask": 1}, id="i1"),
        "send": Send("node", {"a": 1}),
        "point": Point(1, 2),
        "box": Box(3, ("a", "b")),
        "when": datetime.datetime(2025, 1, 2, 3, 4, 5),
        "uid": uuid.UUID(int=1),
        "set": {1},
        "error": ValueError("bad"),
        1: "int key",
        "thing": object(),
    }
    data = loads(to_json(value))
    assert data["interrupt"]["value"] == {"ask": 1}
    assert data["interrupt"]["id"] == "i1"
    assert data["send"] == {"node": "node", "args": {"a": 1}}
    assert data["point"] == {"x": 1, "y": 2}
    assert data["box"] == {"size": 3, "tags": ["a", "b"]}
    assert data["when"].startswith("2025-01-02T03:04:05")
    assert data["uid"] == str(uuid.UUID(int=1))
    assert data["set"] == [1]
    assert data["error"] == {"error": "ValueError", "message": "bad"}
    assert data["1"] == "int key"
    assert data["thing"].startswith("<object object")


# -- item shapes -------------------------------------------------------------------------


def test_item_shapes_map_to_server_event_names() -> None:
    guess = Shape()
    sdk_part = collections.namedtuple("StreamPart", "event data id")
    assert messages_of(sdk_part("updates|sub:1", {"n": {}}, "7"), guess) == (
        "updates|sub:1",
        '{"n":{}}',
        "7",
    )
    sse = ServerSentEvent(event="values", data='{"a": 1}', id="3")
    assert messages_of(sse, guess) == ("values", '{"a": 1}', "3")
    assert messages_of(("custom", {"p": 1}), guess)[:2] == ("custom", '{"p":1}')
    assert messages_of(("custom", "text", "id9"), guess) == ("custom", '"text"', "id9")
    assert (
        messages_of((("sub:1", "deep:2"), "tasks", {"id": "x"}), guess)[0] == "tasks|sub:1|deep:2"
    )
    assert messages_of((("sub:1",), {"n": {}}), guess)[0] == "updates|sub:1"
    v2 = {"type": "values", "ns": ("sub:1",), "data": {"a": 1}, "interrupts": ({"id": "i"},)}
    event, data, _ = messages_of(v2, guess)
    assert (event, loads(data)) == ("values|sub:1", {"a": 1, "__interrupt__": [{"id": "i"}]})
    thread_event = {
        "type": "event",
        "seq": 4,
        "method": "updates",
        "params": {"namespace": ["sub:1"], "data": {"a": 1}, "node": "n"},
    }
    assert messages_of(thread_event, guess) == ("updates|sub:1", '{"n":{"a":1}}', "4")
    # A known layout: single mode "messages", chunks are (message, metadata) pairs.
    messages = Shape(stream_mode="messages", subgraphs=True, known=True)
    event, data, _ = messages_of((("sub:1",), ({"m": 1}, {"langgraph_node": "n"})), messages)
    assert (event, loads(data)) == ("messages|sub:1", [{"m": 1}, {"langgraph_node": "n"}])
    several = Shape(stream_mode=("updates", "custom"), known=True)
    assert messages_of(("custom", {"p": 1}), several)[0] == "custom"


def test_the_layout_of_a_graph_stream_is_read_from_its_call() -> None:
    from lgwidget.demo.research import graph
    from lgwidget.feeds.foreign import graph_call

    found = graph_call(
        graph.astream({"messages": []}, stream_mode=["updates", "custom"], subgraphs=True)
    )
    assert found is not None
    assert found[0] is graph
    assert found[1] == Shape(stream_mode=("updates", "custom"), subgraphs=True, known=True)
    found = graph_call(graph.stream({"messages": []}, stream_mode="messages"))
    assert found is not None
    assert found[1].stream_mode == "messages"
    assert not found[1].subgraphs
    assert graph_call(iter([])) is None


# -- watching ------------------------------------------------------------------------------


async def test_pairs_and_unknown_names_are_kept_in_order() -> None:
    tl = await lgwidget.watch(
        [("updates", {"a": {"x": 1}}), ("surprise", {"what": "?"}), ("custom|sub:1", "note")]
    )
    assert tl.status == "done"
    assert [(e["event"], e["mode"], e["ns"], e["data"]) for e in tl.events] == [
        ("updates", "updates", [], {"a": {"x": 1}}),
        ("surprise", "surprise", [], {"what": "?"}),
        ("custom|sub:1", "custom", ["sub:1"], "note"),
    ]
    assert [e["seq"] for e in tl.events] == [0, 1, 2]


async def test_an_async_source_that_raises_ends_with_an_error_event() -> None:
    async def source() -> AsyncIterator[tuple[str, Any]]:
        yield "updates", {"first": {}}
        raise RuntimeError("the source broke")

    tl = lgwidget.watch(source())
    with pytest.raises(LGWidgetStreamError, match="the source broke"):
        await tl.wait()
    assert tl.status == "error"
    assert tl.events[-1]["event"] == "error"
    assert tl.events[-1]["data"] == {"error": "RuntimeError", "message": "the source broke"}


async def test_a_sync_source_runs_in_a_thread_and_stops_on_cancel() -> None:
    closed = threading.Event()
    reader: list[str] = []

    def slow() -> Iterator[tuple[str, Any]]:
        reader.append(threading.current_thread().name)
        try:
            for n in range(10_000):
                time.sleep(0.01)
                yield "custom", {"n": n}
        finally:
            closed.set()

    tl = lgwidget.watch(slow())
    await until(lambda: len(tl.events) >= 5)  # the loop is free while the thread reads
    tl.cancel()
    await tl.wait()
    assert tl.status == "cancelled"
    assert reader
    assert reader[0] != threading.current_thread().name
    assert await asyncio.to_thread(closed.wait, 2)
    count = len(tl.events)
    await asyncio.sleep(0.1)
    assert len(tl.events) == count


async def test_cancel_stops_a_silent_async_source() -> None:
    closed = asyncio.Event()

    async def silent() -> AsyncIterator[tuple[str, Any]]:
        try:
            yield "custom", {"n": 0}
            await asyncio.sleep(3600)
            yield "custom", {"n": 1}
        finally:
            closed.set()

    tl = lgwidget.watch(silent())
    await until(lambda: tl.events)
    tl.cancel()
    await asyncio.wait_for(tl.wait(), 2)
    assert tl.status == "cancelled"
    assert closed.is_set()


def test_outside_a_loop_watch_runs_to_the_end() -> None:
    from lgwidget.demo.research import graph

    tl = lgwidget.watch(graph.stream({"messages": []}, stream_mode="updates"))
    assert tl.status == "done"
    assert [next(iter(e["data"])) for e in tl.events] == ["agent", "tools", "research", "agent"]
    assert tl.assistant_id == graph.name


async def test_in_process_modes_and_subgraphs() -> None:
    from lgwidget.demo.research import graph

    tl = await lgwidget.watch(
        graph.astream(
            {"messages": []}, stream_mode=["updates", "messages", "custom"], subgraphs=True
        )
    )
    assert tl.status == "done"
    modes = {e["mode"] for e in tl.events}
    assert modes == {"updates", "messages", "custom"}
    nested = [e for e in tl.events if e["ns"]]
    assert nested
    assert all(e["ns"][0].startswith("research:") for e in nested)
    tokens = [e["data"] for e in tl.events if e["mode"] == "messages" and e["ns"]]
    assert {m["id"] for m, _meta in tokens} == {tokens[0][0]["id"]}  # one message, one id
    assert tokens[-1][0]["chunk_position"] == "last"
    assert {meta["langgraph_node"] for _m, meta in tokens} == {"summarize"}
    assert "".join(m["content"] for m, _ in tokens) == "3 sources agree (9 passages)."


async def test_an_in_process_interrupt_ends_interrupted() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    from lgwidget.demo.approval import builder

    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    tl = await lgwidget.watch(graph.astream({"messages": []}, config, stream_mode="updates"))
    assert tl.status == "interrupted"
    assert tl.events[-1]["data"]["__interrupt__"][0]["value"]["question"] == "Send this email?"


async def test_a_timeline_watches_one_source() -> None:
    tl = await RunTimeline().watch([("custom", 1)])
    with pytest.raises(RuntimeError, match="already shows"):
        tl.watch([("custom", 2)])


# -- the thread event stream, scripted -------------------------------------------------------


def envelope(seq: int, method: str, data: Any, ns: list[str] | None = None, **extra: Any) -> bytes:
    event_id = extra.pop("event_id", f"1700000000000-{seq}")
    params = {"namespace": ns or [], "timestamp": 1700000000000, "data": data, **extra}
    body = {"type": "event", "event_id": event_id, "seq": seq, "method": method, "params": params}
    return f"event: {method}\r\ndata: {json.dumps(body)}\r\nid: {seq}\r\n\r\n".encode()


def lifecycle(seq: int, run: str, status: str) -> bytes:
    data = {"event": status, "graph_name": "g"}
    return envelope(seq, "lifecycle", data, event_id=f"synth:{run}:lc||{status}")


def scripted_thread(sse: bytes, runs: list[str], commands: list[Any]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/threads/t1/runs":
            return httpx.Response(200, json=[{"run_id": run} for run in runs])
        if path == "/threads/t1/stream/events":
            return httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"})
        if path == "/threads/t1/commands":
            commands.append(json.loads(request.content))
            result = {"run_id": "r2"} if commands[-1]["method"] == "run.start" else {}
            return httpx.Response(200, json={"type": "success", "id": 1, "result": result})
        if path == "/threads/t1":
            interrupts = {"task": [{"id": "i1", "value": "ok?"}]}
            return httpx.Response(200, json={"thread_id": "t1", "interrupts": interrupts})
        return httpx.Response(404, json={"detail": "not scripted"})

    return httpx.MockTransport(handle)


async def test_the_thread_feed_keeps_its_run_and_the_run_stream_shapes() -> None:
    sse = b"".join(
        [
            lifecycle(1, "r1", "running"),  # an earlier run of the thread, replayed
            envelope(2, "values", {"old": True}),
            lifecycle(3, "r1", "completed"),
            lifecycle(4, "r2", "running"),
            envelope(5, "updates", {"n": 1}, node="agent"),
            envelope(6, "custom", {"payload": {"progress": 0.5}}, ns=["sub:1"]),
            envelope(7, "custom", {"name": "audit", "payload": 1}),
            envelope(8, "messages", {"event": "message-start", "role": "ai", "id": "m"}),
            lifecycle(9, "r2", "completed"),
            envelope(10, "values", {"after": True}),  # never read: the run ended
        ]
    )
    commands: list[Any] = []
    tl = RunTimeline(
        "http://lg.test", "g", thread_id="t1", transport=scripted_thread(sse, ["r1"], commands)
    )
    await tl.launch(thread_feed({"assistant_id": "g", "input": {"x": 1}, "stream_mode": "updates"}))
    assert tl.status == "done"
    assert tl.run_id == "r2"
    assert commands == [
        {"id": 1, "method": "run.start", "params": {"assistant_id": "g", "input": {"x": 1}}}
    ]
    assert [(e["event"], e["data"], e["id"]) for e in tl.events] == [
        ("lifecycle", {"event": "running", "graph_name": "g"}, "4"),
        ("updates", {"agent": {"n": 1}}, "5"),
        ("custom|sub:1", {"progress": 0.5}, "6"),
        ("custom:audit", 1, "7"),
        ("messages", {"event": "message-start", "role": "ai", "id": "m"}, "8"),
        ("lifecycle", {"event": "completed", "graph_name": "g"}, "9"),
    ]


async def test_the_thread_feed_answers_input_and_fails_with_the_run() -> None:
    sse = b"".join(
        [
            lifecycle(1, "r1", "running"),
            lifecycle(2, "r1", "interrupted"),
            lifecycle(3, "r3", "running"),  # the run input.respond made
            envelope(
                4,
                "lifecycle",
                {"event": "failed", "graph_name": "g", "error": "boom"},
                event_id="synth:r3:lc||failed",
            ),
        ]
    )
    commands: list[Any] = []
    tl = RunTimeline(
        "http://lg.test", "g", thread_id="t1", transport=scripted_thread(sse, ["r1"], commands)
    )
    tl.launch(thread_feed({"assistant_id": "g", "command": {"resume": "yes"}}))
    with pytest.raises(LGWidgetStreamError, match="boom"):
        await tl.wait()
    assert tl.run_id == "r3"
    assert tl.status == "error"
    assert commands[0]["method"] == "input.respond"
    assert commands[0]["params"] == {"response": "yes", "interrupt_id": "i1", "namespace": []}
    assert [e["data"]["event"] for e in tl.events] == ["running", "failed"]


async def test_the_thread_feed_reads_the_last_state_after_an_interrupt() -> None:
    sse = b"".join(
        [
            lifecycle(1, "r2", "running"),
            envelope(
                2,
                "input.requested",
                {"interrupt_id": "i1", "payload": "ok?"},
                event_id="synth:r2:input||i1",
            ),
            lifecycle(3, "r2", "interrupted"),
            envelope(4, "values", {"state": 1}),
        ]
    )
    tl = RunTimeline("http://lg.test", "g", thread_id="t1", transport=scripted_thread(sse, [], []))
    await tl.launch(thread_feed({"assistant_id": "g"}))
    assert tl.status == "interrupted"
    assert [e["mode"] for e in tl.events] == ["lifecycle", "input.requested", "lifecycle", "values"]


def test_run_start_takes_what_the_protocol_has() -> None:
    body = {
        "assistant_id": "g",
        "input": None,
        "stream_mode": ["values"],
        "stream_subgraphs": True,
        "multitask_strategy": "reject",
        "checkpoint_id": "c1",
        "config": {"tags": ["x"]},
    }
    assert start_command(body)["params"] == {
        "assistant_id": "g",
        "input": None,
        "multitaskStrategy": "reject",
        "config": {"tags": ["x"], "configurable": {"checkpoint_id": "c1"}},
    }
    with pytest.raises(TypeError, match="interrupt_before"):
        start_command({"assistant_id": "g", "interrupt_before": ["n"]})
    with pytest.raises(TypeError, match="resume"):
        start_command({"assistant_id": "g", "command": {"goto": "n"}})
    assert run_id_of("synth:abc:lc||running") == "abc"
    assert run_id_of("1700000000000-0") is None
    assert record_of({"method": "updates", "params": {"data": {"a": 1}, "node": "n"}}, "x") == (
        "updates",
        {"n": {"a": 1}},
    )
    assert record_of({"params": {"data": 1}}, "fallback") == ("fallback", 1)
    with pytest.raises(ValueError, match="transport"):
        lgwidget.stream("http://lg.test", "g", transport="carrier-pigeon")
