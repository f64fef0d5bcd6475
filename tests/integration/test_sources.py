"""Any source, one timeline: SSE vs SDK vs in-process parity, join and history."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx
import pytest

import lgwidget
from lgwidget import RunTimeline

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}
# Ids made afresh for every run: uuids, "lc_run--<uuid>-0".
GENERATED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalized(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return GENERATED.sub("<id>", value)
    return value


def entries(tl: RunTimeline) -> list[tuple[Any, ...]]:
    """What the parity is about: kind, depth and node of each entry, in order
    (the server's own ``metadata`` event aside)."""
    found: list[tuple[Any, ...]] = []
    for e in tl.events:
        if e["mode"] == "metadata":
            continue
        data = e["data"]
        label = tuple(data) if e["mode"] == "updates" else data.get("note")
        found.append((e["mode"], len(e["ns"]), label))
    return found


async def via_sse(url: str, stream_mode: Any, subgraphs: bool) -> RunTimeline:
    return await lgwidget.stream(
        url, "research", input=RESEARCH_INPUT, stream_mode=stream_mode, stream_subgraphs=subgraphs
    )


async def via_sdk(url: str, stream_mode: Any, subgraphs: bool) -> RunTimeline:
    from langgraph_sdk import get_client

    client = get_client(url=url)
    thread = await client.threads.create()
    parts = client.runs.stream(
        thread["thread_id"],
        "research",
        input=RESEARCH_INPUT,
        stream_mode=stream_mode,
        stream_subgraphs=subgraphs,
    )
    return await lgwidget.watch(
        parts, url=url, assistant_id="research", thread_id=thread["thread_id"]
    )


async def in_process(_url: str, stream_mode: Any, subgraphs: bool) -> RunTimeline:
    from lgwidget.demo.research import graph

    return await lgwidget.watch(
        graph.astream(RESEARCH_INPUT, stream_mode=stream_mode, subgraphs=subgraphs)
    )


async def in_process_sync(_url: str, stream_mode: Any, subgraphs: bool) -> RunTimeline:
    from lgwidget.demo.research import graph

    return await lgwidget.watch(
        graph.stream(RESEARCH_INPUT, stream_mode=stream_mode, subgraphs=subgraphs)
    )


@pytest.mark.parametrize(
    ("stream_mode", "subgraphs"),
    [("updates", False), (["updates", "custom"], True)],
    ids=["updates", "updates+custom+subgraphs"],
)
async def test_sse_sdk_and_in_process_give_the_same_entries(
    server_url: str, stream_mode: Any, subgraphs: bool
) -> None:
    sse = await via_sse(server_url, stream_mode, subgraphs)
    expected = entries(sse)
    assert expected  # a real run
    for source in (via_sdk, in_process, in_process_sync):
        tl = await source(server_url, stream_mode, subgraphs)
        assert tl.status == "done", source.__name__
        assert entries(tl) == expected, source.__name__
    if subgraphs:
        assert (
            "updates",
            1,
            ("read",),
        ) in expected
        assert ("custom", 1, "reading the journal") in expected


async def test_in_process_data_has_the_servers_json_shape(server_url: str) -> None:
    """Not only the same entries: the same JSON, generated ids aside."""
    modes = ["updates", "values", "custom"]
    sse = await via_sse(server_url, modes, True)
    local = await in_process(server_url, modes, True)
    assert sse.events[0]["mode"] == "metadata"
    server_data = [(e["mode"], normalized(e["data"])) for e in sse.events[1:]]
    local_data = [(e["mode"], normalized(e["data"])) for e in local.events]
    assert local_data == server_data


async def test_in_process_tokens_have_the_servers_message_shape(server_url: str) -> None:
    sse = await via_sse(server_url, "messages-tuple", True)
    local = await in_process(server_url, "messages", True)
    server_messages = [normalized(e["data"][0]) for e in sse.events if e["mode"] == "messages"]
    local_messages = [normalized(e["data"][0]) for e in local.events if e["mode"] == "messages"]
    assert local_messages == server_messages
    local_meta = [e["data"][1] for e in local.events]
    server_meta = [e["data"][1] for e in sse.events if e["mode"] == "messages"]
    assert [m["langgraph_node"] for m in local_meta] == [m["langgraph_node"] for m in server_meta]


async def test_the_sdk_source_knows_its_run_and_keeps_the_sdk_names(server_url: str) -> None:
    tl = await via_sdk(server_url, ["updates", "messages-tuple"], True)
    assert tl.events[0]["event"] == "metadata"
    assert tl.run_id == tl.events[0]["data"]["run_id"]
    assert any(e["event"].startswith("messages|research:") for e in tl.events)


# -- join ------------------------------------------------------------------------------


async def start_background_run(url: str, body: dict[str, Any]) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        thread_id = (await http.post("/threads", json={})).json()["thread_id"]
        run = (await http.post(f"/threads/{thread_id}/runs", json=body)).json()
    return thread_id, str(run["run_id"])


async def ticks_so_far(url: str, thread_id: str) -> int:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        state = (await http.get(f"/threads/{thread_id}/state")).json()
    values = state.get("values") or {}
    return int(values.get("count", 0)) if isinstance(values, dict) else 0


async def test_join_shows_the_rest_of_a_run_in_flight(server_url: str) -> None:
    body = {"assistant_id": "ticker", "input": {"n": 10, "pause": 0.2}, "stream_mode": "updates"}
    thread_id, run_id = await start_background_run(server_url, body)
    deadline = time.monotonic() + 30
    while await ticks_so_far(server_url, thread_id) < 3:
        assert time.monotonic() < deadline, "the background run did not start"
        await asyncio.sleep(0.05)
    tl = lgwidget.join(server_url, thread_id, run_id)
    assert tl.status == "connecting"  # returned at once
    await tl.wait()
    assert tl.status == "done"
    assert (tl.thread_id, tl.run_id) == (thread_id, run_id)
    assert tl.assistant_id  # from the run
    counts = [e["data"]["tick"]["count"] for e in tl.events if e["mode"] == "updates"]
    assert counts[-1] == 10
    assert 1 < counts[0] <= 10  # joined late: the first ticks were before
    assert counts == list(range(counts[0], 11))


async def test_join_replays_a_resumable_run_from_the_start(server_url: str) -> None:
    body = {
        "assistant_id": "ticker",
        "input": {"n": 3},
        "stream_mode": "updates",
        "stream_resumable": True,
    }
    thread_id, run_id = await start_background_run(server_url, body)
    tl = await lgwidget.join(server_url, thread_id, run_id, last_event_id="-1")
    assert tl.status == "done"
    assert [e["mode"] for e in tl.events] == ["metadata", "updates", "updates", "updates"]
    assert all(e["id"] for e in tl.events)


async def test_join_an_unknown_run_is_an_http_error(server_url: str) -> None:
    thread_id, _run = await start_background_run(server_url, {"assistant_id": "ticker"})
    with pytest.raises(lgwidget.LGWidgetHTTPError) as info:
        await lgwidget.join(server_url, thread_id, "00000000-0000-0000-0000-000000000000")
    assert info.value.status == 404


# -- history -------------------------------------------------------------------------------


async def test_history_shows_a_finished_thread_like_its_checkpoints_stream(server_url: str) -> None:
    live = await lgwidget.stream(
        server_url, "weather", input=WEATHER_INPUT, stream_mode=["checkpoints", "updates"]
    )
    tl = await lgwidget.history(server_url, live.thread_id)
    assert tl.status == "done"
    assert tl.assistant_id == "weather"
    assert {e["event"] for e in tl.events} == {"checkpoints"}
    steps = [e["data"] for e in tl.events]
    assert [s["metadata"]["step"] for s in steps] == [-1, 0, 1, 2, 3]
    assert [s["metadata"]["source"] for s in steps] == ["input", "loop", "loop", "loop", "loop"]
    assert [s["next"] for s in steps] == [["__start__"], ["agent"], ["action"], ["agent"], []]
    # The same checkpoints, in the same shape, as the live run's checkpoints events.
    streamed = [e["data"] for e in live.events if e["mode"] == "checkpoints"]
    ids = [c["config"]["configurable"]["checkpoint_id"] for c in streamed]
    assert [s["config"]["configurable"]["checkpoint_id"] for s in steps] == ids
    for old, new in zip(streamed, steps, strict=True):
        assert set(old) <= set(new)
        assert new["values"] == old["values"]
        assert (new["parent_config"] is None) == (old["parent_config"] is None)
    assert len(steps[-1]["values"]["messages"]) == 4
