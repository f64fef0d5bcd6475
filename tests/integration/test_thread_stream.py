"""transport="thread": the thread event stream (protocol v2) against the run stream."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

import lgwidget
from lgwidget import RunTimeline

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}
WEATHER_ANSWER = "The weather in Los Angeles is sunny, 24 degrees C with light wind."


def text(content: Any) -> str:
    """A message's text, whether its content is a string or content blocks."""
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


def state_digest(state: dict[str, Any]) -> dict[str, Any]:
    """A state with each message reduced to type, text and tool calls: the thread
    stream's runs use the content-block output format, the run stream strings."""
    digest = {k: v for k, v in state.items() if k != "messages"}
    digest["messages"] = [
        (m["type"], text(m["content"]), [c["name"] for c in m.get("tool_calls") or []])
        for m in state.get("messages", [])
    ]
    return digest


def node_sequence(tl: RunTimeline) -> list[tuple[int, str]]:
    return [(len(e["ns"]), next(iter(e["data"]))) for e in tl.events if e["mode"] == "updates"]


def final_state(tl: RunTimeline) -> dict[str, Any]:
    data: dict[str, Any] = [e for e in tl.events if e["event"] == "values"][-1]["data"]
    return data


def root_lifecycle(tl: RunTimeline) -> list[str]:
    return [e["data"]["event"] for e in tl.events if e["event"] == "lifecycle"]


async def test_research_thread_stream_matches_the_run_stream(server_url: str) -> None:
    run = await lgwidget.stream(
        server_url,
        "research",
        input=RESEARCH_INPUT,
        stream_mode=["updates", "values"],
        stream_subgraphs=True,
    )
    thread = await lgwidget.stream(server_url, "research", input=RESEARCH_INPUT, transport="thread")
    assert thread.status == "done"
    assert thread.run_id
    assert root_lifecycle(thread) == ["running", "completed"]
    assert node_sequence(thread) == node_sequence(run)
    assert node_sequence(run) == [
        (0, "agent"),
        (0, "tools"),
        (1, "read"),
        (1, "summarize"),
        (0, "research"),
        (0, "agent"),
    ]
    assert state_digest(final_state(thread)) == state_digest(final_state(run))
    # The subgraph's events are namespaced like the run stream's, and it has a lifecycle.
    namespaces = {tuple(e["ns"]) for e in thread.events if e["ns"]}
    assert len(namespaces) == 1
    assert next(iter(namespaces))[0].startswith("research:")
    sub = [e["data"]["event"] for e in thread.events if e["mode"] == "lifecycle" and e["ns"]]
    assert sub == ["started", "completed"]
    # Opted in by the graph (lgwidget.demo.research.stream_transformers): custom progress.
    notes = [e["data"]["note"] for e in thread.events if e["mode"] == "custom"]
    assert notes[0] == "planning the research"
    assert notes[-1] == "writing the report"
    assert len(notes) == 6


async def test_weather_thread_stream_has_content_block_deltas(server_url: str) -> None:
    run = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode="values")
    thread = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, transport="thread")
    assert thread.status == "done"
    assert {e["mode"] for e in thread.events} == {"lifecycle", "values", "messages"}
    blocks = [e["data"] for e in thread.events if e["mode"] == "messages"]
    starts = [b for b in blocks if b["event"] == "message-start"]
    assert [b["role"] for b in starts] == ["ai", "ai"]
    deltas = [b["delta"] for b in blocks if b["event"] == "content-block-delta"]
    assert {d["type"] for d in deltas} == {"tool-call-delta", "text-delta"}
    args = "".join(d["args"] for d in deltas if d["type"] == "tool-call-delta")
    assert args == '{"query": "weather in los angeles"}'
    assert "".join(d["text"] for d in deltas if d["type"] == "text-delta") == WEATHER_ANSWER
    assert [b["event"] for b in blocks].count("message-finish") == 2
    assert state_digest(final_state(thread)) == state_digest(final_state(run))
    assert all(e["id"] for e in thread.events)  # the protocol's seq


async def test_input_requests_and_answers_over_the_thread_stream(server_url: str) -> None:
    asked = await lgwidget.stream(
        server_url, "approval", input={"messages": []}, transport="thread"
    )
    assert asked.status == "interrupted"
    request = next(e["data"] for e in asked.events if e["mode"] == "input.requested")
    assert request["payload"]["question"] == "Send this email?"
    assert root_lifecycle(asked) == ["running", "interrupted"]
    answered = await lgwidget.stream(
        server_url,
        "approval",
        thread_id=asked.thread_id,
        command={"resume": {"approved": True}},
        transport="thread",
    )
    assert answered.status == "done"
    assert answered.run_id
    assert answered.run_id != asked.run_id
    # Only the new run: the stream replays the first one, the timeline skips it.
    assert root_lifecycle(answered) == ["running", "completed"]
    last = final_state(answered)["messages"][-1]
    assert text(last["content"]) == "Done: I sent 'Weekly report' to team@example.com."


async def test_channels_narrow_what_is_received(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url,
        "research",
        input=RESEARCH_INPUT,
        transport="thread",
        channels=["lifecycle", "updates"],
    )
    assert tl.status == "done"
    assert {e["mode"] for e in tl.events} == {"lifecycle", "updates"}


async def test_a_failing_run_fails_the_timeline(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "failing", input={"value": 0}, transport="thread")
    with pytest.raises(lgwidget.LGWidgetStreamError, match="failed on purpose"):
        await tl.wait()
    assert tl.status == "error"
    assert root_lifecycle(tl)[-1] == "failed"


def test_options_the_protocol_cannot_send_are_refused_at_once() -> None:
    with pytest.raises(TypeError, match="interrupt_before"):
        lgwidget.stream(
            "http://127.0.0.1:9", "research", transport="thread", interrupt_before=["x"]
        )


async def test_stop_cancels_the_run_on_the_server(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "ticker", input={"n": 50, "pause": 0.1}, transport="thread")
    deadline = time.monotonic() + 30
    while sum(e["mode"] == "values" for e in tl.events) < 3:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)
    tl.cancel()
    await tl.wait()
    assert tl.status == "cancelled"
    async with httpx.AsyncClient(base_url=server_url) as http:
        for _ in range(100):
            run = (await http.get(f"/threads/{tl.thread_id}/runs/{tl.run_id}")).json()
            if run["status"] != "running":
                break
            await asyncio.sleep(0.05)
    assert run["status"] == "interrupted"
