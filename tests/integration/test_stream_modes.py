"""Every stream mode of the research graph on the real server: what the timeline holds."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import lgwidget
from lgwidget import RunTimeline

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
REPORT = "Report on tidal power: 3 sources agree (9 passages)."
SUMMARY = "3 sources agree (9 passages)."
ALL_MODES = [
    "updates",
    "values",
    "messages",
    "messages-tuple",
    "custom",
    "tasks",
    "checkpoints",
    "debug",
    "events",
]


async def research(url: str, stream_mode: Any, **options: Any) -> RunTimeline:
    tl = await lgwidget.stream(
        url, "research", input=RESEARCH_INPUT, stream_mode=stream_mode, **options
    )
    assert tl.status == "done"
    assert tl.events[0]["event"] == "metadata"
    assert [e["seq"] for e in tl.events] == list(range(len(tl.events)))
    return tl


def of_mode(tl: RunTimeline, mode: str, *, root: bool = False) -> list[Any]:
    return [e for e in tl.events if e["mode"] == mode and not (root and e["ns"])]


async def test_updates_name_each_node_in_order(server_url: str) -> None:
    tl = await research(server_url, "updates")
    assert [list(e["data"]) for e in of_mode(tl, "updates")] == [
        ["agent"],
        ["tools"],
        ["research"],
        ["agent"],
    ]


async def test_values_states_grow_step_by_step(server_url: str) -> None:
    tl = await research(server_url, "values")
    states = [e["data"] for e in of_mode(tl, "values")]
    assert len(states) == 5  # the input, then after agent, tools, research, agent
    for before, after in itertools.pairwise(states):
        assert after["messages"][: len(before["messages"])] == before["messages"]
        assert set(before) <= set(after)
    assert [len(s["messages"]) for s in states] == [1, 2, 3, 3, 4]
    assert "summary" not in states[2]
    assert states[3]["summary"] == SUMMARY
    assert states[-1]["messages"][-1]["content"] == REPORT


async def test_messages_tuple_tokens_share_an_id_and_end_last(server_url: str) -> None:
    tl = await research(server_url, "messages-tuple")
    pairs = [e["data"] for e in of_mode(tl, "messages")]
    assert all(isinstance(p, list) and len(p) == 2 for p in pairs)
    streamed = [(m, meta) for m, meta in pairs if m["type"] == "AIMessageChunk"]
    by_id: dict[str, list[dict[str, Any]]] = {}
    for message, _meta in streamed:
        by_id.setdefault(message["id"], []).append(message)
    assert len(by_id) == 2  # the tool call, then the report (the subgraph is not streamed)
    for chunks in by_id.values():
        assert chunks[-1]["chunk_position"] == "last"
        assert all(c.get("chunk_position") != "last" for c in chunks[:-1])
    report = list(by_id.values())[-1]
    assert "".join(c["content"] for c in report) == REPORT
    assert {meta["langgraph_node"] for _m, meta in streamed} == {"agent"}
    # Finished messages (the tool result) arrive whole in the same mode.
    assert [m["type"] for m, _meta in pairs if m["type"] != "AIMessageChunk"] == ["tool"]


async def test_messages_partial_grow_one_message_per_id(server_url: str) -> None:
    tl = await research(server_url, "messages")
    names = {e["event"] for e in tl.events} - {"metadata"}
    assert names <= {"messages/metadata", "messages/partial", "messages/complete"}
    metadata_ids = [next(iter(e["data"])) for e in of_mode(tl, "messages/metadata")]
    assert len(metadata_ids) == len(set(metadata_ids))  # once per message
    partial = [e["data"][0] for e in of_mode(tl, "messages/partial")]
    report = [m["content"] for m in partial if m["content"].startswith("Report")]
    assert report[-1] == REPORT
    assert all(a == b[: len(a)] for a, b in itertools.pairwise(report))
    assert {m["id"] for m in partial} <= set(metadata_ids)


async def test_custom_events_carry_the_writer_payload(server_url: str) -> None:
    tl = await research(server_url, "custom", stream_subgraphs=True)
    notes = [(len(e["ns"]), e["data"]["note"]) for e in of_mode(tl, "custom")]
    assert notes == [
        (0, "planning the research"),
        (1, "reading the encyclopedia"),
        (1, "reading the news archive"),
        (1, "reading the journal"),
        (1, "summarizing the notes"),
        (0, "writing the report"),
    ]


async def test_tasks_start_and_finish_in_pairs(server_url: str) -> None:
    tl = await research(server_url, "tasks", stream_subgraphs=True)
    open_tasks: dict[str, str] = {}
    finished: list[str] = []
    for event in of_mode(tl, "tasks"):
        task = event["data"]
        if "result" in task or "error" in task:
            assert open_tasks.pop(task["id"]) == task["name"]
            assert task["error"] is None
            finished.append(task["name"])
        else:
            assert task["id"] not in open_tasks
            open_tasks[task["id"]] = task["name"]
    assert open_tasks == {}
    assert finished == ["agent", "tools", "read", "summarize", "research", "agent"]


async def test_checkpoints_and_debug_mark_each_step(server_url: str) -> None:
    tl = await research(server_url, ["checkpoints", "debug"])
    checkpoints = [e["data"] for e in of_mode(tl, "checkpoints")]
    assert [c["metadata"]["step"] for c in checkpoints] == [-1, 0, 1, 2, 3, 4]
    assert [c["next"] for c in checkpoints] == [
        ["__start__"],
        ["agent"],
        ["tools"],
        ["research"],
        ["agent"],
        [],
    ]
    ids = [c["config"]["configurable"]["checkpoint_id"] for c in checkpoints]
    assert len(set(ids)) == len(ids)
    parents = [
        c["parent_config"] and c["parent_config"]["configurable"]["checkpoint_id"]
        for c in checkpoints
    ]
    assert parents == [None, *ids[:-1]]
    debug = [e["data"] for e in of_mode(tl, "debug")]
    assert {d["type"] for d in debug} == {"checkpoint", "task", "task_result"}
    debug_ids = [
        d["payload"]["checkpoint"]["checkpoint_id"] for d in debug if d["type"] == "checkpoint"
    ]
    assert debug_ids == ids


async def test_events_are_langchain_stream_events(server_url: str) -> None:
    tl = await research(server_url, "events")
    names = [e["data"]["event"] for e in of_mode(tl, "events")]
    assert names[0] == "on_chain_start"
    assert {"on_chat_model_stream", "on_tool_start", "on_tool_end", "on_chain_end"} <= set(names)


async def test_subgraph_events_carry_the_namespace_of_their_parent_node(server_url: str) -> None:
    tl = await research(
        server_url, ["updates", "tasks", "custom", "messages-tuple"], stream_subgraphs=True
    )
    research_task = next(
        e["data"]["id"]
        for e in of_mode(tl, "tasks", root=True)
        if e["data"]["name"] == "research" and "result" not in e["data"]
    )
    nested = [e for e in tl.events if e["ns"]]
    assert {tuple(e["ns"]) for e in nested} == {(f"research:{research_task}",)}
    assert all(e["event"] == f"{e['mode']}|research:{research_task}" for e in nested)
    assert {e["mode"] for e in nested} == {"updates", "tasks", "custom", "messages"}
    assert [list(e["data"]) for e in nested if e["mode"] == "updates"] == [["read"], ["summarize"]]
    tokens = [e["data"][0]["content"] for e in nested if e["mode"] == "messages"]
    assert "".join(tokens) == SUMMARY
    # The subgraph's events come between the start and the end of its parent node.
    seqs = [e["seq"] for e in of_mode(tl, "tasks", root=True) if e["data"]["name"] == "research"]
    assert seqs[0] < min(e["seq"] for e in nested) <= max(e["seq"] for e in nested) < seqs[1]


async def test_all_modes_at_once(server_url: str) -> None:
    tl = await research(server_url, ALL_MODES, stream_subgraphs=True)
    modes = {e["mode"] for e in tl.events}
    # Asked for both, the server sends messages-tuple's [message, metadata] only.
    assert modes == {"metadata"} | set(ALL_MODES) - {"messages-tuple"}
    assert all(isinstance(e["data"], list) for e in of_mode(tl, "messages"))
    assert {e["mode"] for e in tl.events if e["ns"]} >= {"updates", "values", "custom", "tasks"}


@pytest.mark.parametrize("mode", ["bogus"])
async def test_an_invalid_mode_is_an_http_error(server_url: str, mode: str) -> None:
    with pytest.raises(lgwidget.LGWidgetHTTPError) as info:
        await lgwidget.stream(server_url, "research", input=RESEARCH_INPUT, stream_mode=mode)
    assert info.value.status == 422


async def test_unknown_event_names_are_kept() -> None:
    tl = await lgwidget.watch(
        [("updates", {"agent": {}}), ("feedback", {"url": "x"}), ("brand-new|sub:1", [1, 2])]
    )
    assert [(e["mode"], e["ns"]) for e in tl.events] == [
        ("updates", []),
        ("feedback", []),
        ("brand-new", ["sub:1"]),
    ]
