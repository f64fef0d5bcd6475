"""The demo graphs (research, approval, failing) on the real in-memory server."""

from __future__ import annotations

import time
from typing import Any

import pytest

import lgwidget

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
REPORT = "Report on tidal power: 3 sources agree (9 passages)."
COMBINED = ["updates", "messages-tuple", "custom"]
APPROVAL_INPUT = {"messages": [{"role": "user", "content": "Email the team the weekly report."}]}
FAILURE = "the demo graph failed on purpose"  # lgwidget.demo.FAILURE


def of_mode(events: lgwidget.RunTimeline | list[Any], mode: str) -> list[Any]:
    """The events (of a timeline, or a list) of one mode."""
    found = events.events if isinstance(events, lgwidget.RunTimeline) else events
    return [e for e in found if e["mode"] == mode]


def nodes(events: list[Any]) -> list[str]:
    """The node of each ``updates`` event (its first key)."""
    return [next(iter(e["data"])) for e in events]


def last_message(tl: lgwidget.RunTimeline) -> dict[str, Any]:
    update = of_mode(tl, "updates")[-1]["data"]
    message: dict[str, Any] = next(iter(update.values()))["messages"][-1]
    return message


# -- research ----------------------------------------------------------------------


async def test_research_streams_custom_progress_tokens_and_updates(server_url: str) -> None:
    started = time.monotonic()
    tl = await lgwidget.stream(server_url, "research", input=RESEARCH_INPUT, stream_mode=COMBINED)
    assert tl.status == "done"
    assert time.monotonic() - started < 5  # the graph itself takes milliseconds
    # Without stream_subgraphs nothing is namespaced.
    assert all(e["ns"] == [] for e in tl.events)
    assert nodes(of_mode(tl, "updates")) == ["agent", "tools", "research", "agent"]
    assert [e["data"] for e in of_mode(tl, "custom")] == [
        {"progress": 0.0, "note": "planning the research"},
        {"progress": 0.9, "note": "writing the report"},
    ]
    # messages-tuple: [chunk, metadata]; the report arrives word by word.
    chunks = [
        e["data"][0]
        for e in of_mode(tl, "messages")
        if e["data"][1]["langgraph_node"] == "agent" and e["data"][0]["content"]
    ]
    assert all(c["type"] == "AIMessageChunk" for c in chunks)
    assert len(chunks) == len(REPORT.split())
    assert "".join(c["content"] for c in chunks) == REPORT
    assert last_message(tl)["content"] == REPORT
    # The subgraph node's update carries its output: notes and summary, not the messages.
    research = next(
        e["data"]["research"] for e in of_mode(tl, "updates") if "research" in e["data"]
    )
    assert research == {
        "notes": ["encyclopedia: 2 passages", "news archive: 2 passages", "journal: 5 passages"],
        "summary": "3 sources agree (9 passages).",
    }


async def test_research_streams_tool_call_chunks_and_the_tool_message(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url, "research", input=RESEARCH_INPUT, stream_mode="messages-tuple"
    )
    messages = [e["data"] for e in tl.events if e["mode"] == "messages"]
    call_chunks = [m for m, meta in messages if m.get("tool_call_chunks")]
    assert [c["tool_call_chunks"][0]["name"] for c in call_chunks] == ["find_sources", None]
    assert "".join(c["tool_call_chunks"][0]["args"] for c in call_chunks) == (
        '{"topic": "tidal power"}'
    )
    tool = [m for m, meta in messages if m["type"] == "tool"]
    assert len(tool) == 1
    assert tool[0]["name"] == "find_sources"


async def test_research_with_subgraphs_has_namespaced_events(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url,
        "research",
        input=RESEARCH_INPUT,
        stream_mode=COMBINED,
        stream_subgraphs=True,
    )
    assert tl.status == "done"
    inner = [e for e in tl.events if e["ns"]]
    assert inner
    namespaces = {tuple(e["ns"]) for e in inner}
    assert len(namespaces) == 1
    (ns,) = namespaces
    assert len(ns) == 1
    assert ns[0].startswith("research:")
    assert all(e["event"] == f"{e['mode']}|{ns[0]}" for e in inner)
    assert {e["mode"] for e in inner} == {"updates", "custom", "messages"}
    # The subgraph's own nodes, its progress events and its model's tokens.
    assert nodes([e for e in inner if e["mode"] == "updates"]) == ["read", "summarize"]
    assert [e["data"]["note"] for e in inner if e["mode"] == "custom"] == [
        "reading the encyclopedia",
        "reading the news archive",
        "reading the journal",
        "summarizing the notes",
    ]
    tokens = [e["data"][0]["content"] for e in inner if e["mode"] == "messages"]
    assert "".join(tokens) == "3 sources agree (9 passages)."
    assert len([t for t in tokens if t]) == 5
    # Parent events stay un-namespaced around them, and the parent's progress too.
    outer = [e for e in tl.events if not e["ns"]]
    assert nodes(of_mode(outer, "updates")) == ["agent", "tools", "research", "agent"]
    assert len(of_mode(outer, "custom")) == 2
    research_update = next(e for e in outer if e["mode"] == "updates" and "research" in e["data"])
    assert research_update["seq"] > max(e["seq"] for e in inner)


async def test_research_accepts_no_messages(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "research", input={"messages": []})
    assert tl.status == "done"
    assert last_message(tl)["content"].startswith("Report on streaming in LangGraph: ")


# -- approval ----------------------------------------------------------------------


async def test_approval_pauses_on_interrupt_with_the_question(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url, "approval", input=APPROVAL_INPUT, stream_mode=["updates", "values"]
    )
    assert tl.status == "interrupted"
    updates = of_mode(tl, "updates")
    assert nodes(updates) == ["agent", "__interrupt__"]
    (interrupt,) = updates[-1]["data"]["__interrupt__"]
    assert interrupt["value"]["question"] == "Send this email?"
    call = interrupt["value"]["tool_call"]
    assert call["name"] == "send_email"
    assert call["args"]["to"] == "team@example.com"
    assert call["id"] == "call_email_1"
    # values mode carries the interrupt too.
    assert "__interrupt__" in of_mode(tl, "values")[-1]["data"]


@pytest.mark.parametrize(
    ("answer", "after", "reply"),
    [
        ({"approved": True}, ["review", "tools", "agent"], "Done: I sent 'Weekly report'"),
        ({"approved": False}, ["review", "agent"], "Understood: I did not send the email."),
    ],
    ids=["approved", "declined"],
)
async def test_approval_resumes_with_the_answer(
    server_url: str, answer: dict[str, bool], after: list[str], reply: str
) -> None:
    first = await lgwidget.stream(server_url, "approval", input=APPROVAL_INPUT)
    assert first.status == "interrupted"
    second = await lgwidget.stream(
        server_url, "approval", thread_id=first.thread_id, command={"resume": answer}
    )
    assert second.status == "done"
    updates = of_mode(second, "updates")
    assert nodes(updates) == after
    assert last_message(second)["content"].startswith(reply)
    if not answer["approved"]:
        declined = updates[0]["data"]["review"]["messages"][0]
        assert (declined["type"], declined["status"]) == ("tool", "error")


async def test_approval_with_a_breakpoint_before_the_tool(server_url: str) -> None:
    first = await lgwidget.stream(
        server_url, "approval", input=APPROVAL_INPUT, interrupt_before=["tools"]
    )
    assert first.status == "interrupted"
    approved = await lgwidget.stream(
        server_url,
        "approval",
        thread_id=first.thread_id,
        command={"resume": {"approved": True}},
        interrupt_before=["tools"],
    )
    # Approved, then paused at the breakpoint: the tool has not run yet.
    assert approved.status == "interrupted"
    assert nodes(of_mode(approved, "updates")) == ["review", "__interrupt__"]
    resumed = await lgwidget.stream(server_url, "approval", thread_id=first.thread_id)
    assert resumed.status == "done"
    assert nodes(of_mode(resumed, "updates")) == ["tools", "agent"]


# -- failing -----------------------------------------------------------------------


async def test_failing_ends_in_error_and_keeps_the_update_before_it(server_url: str) -> None:
    tl = lgwidget.stream(
        server_url, "failing", input={"value": 0}, stream_mode=["updates", "values"]
    )
    with pytest.raises(lgwidget.LGWidgetStreamError, match=FAILURE) as caught:
        await tl.wait()
    assert caught.value.timeline is tl
    assert tl.status == "error"
    assert FAILURE in tl.error
    assert [e["event"] for e in tl.events] == ["metadata", "values", "updates", "values", "error"]
    assert tl.events[2]["data"] == {"prepare": {"value": 1}}
    assert tl.events[-1]["data"] == {"error": "ValueError", "message": FAILURE}
