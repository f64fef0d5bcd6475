"""Export and replay of real runs on the embedded LangGraph API server."""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

import lgwidget
from lgwidget import LGWidgetStreamError, RunTimeline

WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}
HEADER = ("url", "assistant_id", "thread_id", "run_id", "status", "started", "elapsed", "error")
DEPTH = 2000


def same_run(replayed: RunTimeline, original: RunTimeline, *, deep: Collection[int] = ()) -> None:
    """The replay has the original's header and events: seq, names, ids, data, t."""
    for name in HEADER:
        assert getattr(replayed, name) == getattr(original, name), name
    assert len(replayed.events) == len(original.events)
    for seq, (got, want) in enumerate(zip(replayed.events, original.events, strict=True)):
        if seq in deep:  # too deep to compare as objects: compare the bytes
            assert replayed.events.raw_data(seq) == original.events.raw_data(seq)
            got, want = {**got, "data": None}, {**want, "data": None}
        assert got == want, seq


async def test_a_weather_run_replays_with_the_same_events(server_url: str, tmp_path: Path) -> None:
    modes = ["updates", "messages-tuple", "values", "tasks", "debug", "custom"]
    tl = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode=modes)
    assert tl.status == "done"
    count = len(tl.events)
    # A raw event and JSON nested 2,000 levels deep, as a stream may send them.
    tl.add_message("custom", "<html>a proxy's error page</html>", "raw-1")
    tl.add_message("custom", "[" * DEPTH + "]" * DEPTH, "deep-1")
    assert tl.events[count]["raw"] is True
    assert tl.to_jsonl(tmp_path / "weather.jsonl") == count + 2

    replayed = await lgwidget.replay(tmp_path / "weather.jsonl", speed=math.inf)
    same_run(replayed, tl, deep={count + 1})
    assert replayed.events.header(count + 1) == tl.events.header(count + 1)

    frame = replayed.to_dataframe()
    updates = frame[frame["mode"] == "updates"]
    assert list(updates["node"]) == ["agent", "action", "agent"]
    tokens = frame[(frame["mode"] == "messages") & (frame["node"] == "agent")]
    assert len(tokens) > 3

    listing = repr(replayed).split("\n")
    assert listing[0].startswith(f"RunTimeline  assistant=weather  run={tl.run_id}  ")
    assert "status=done" in listing[0]
    assert f"events={count + 2}" in listing[0]
    assert any(line.endswith("→ tavily_search_results_json()") for line in listing)
    assert any('"The weather in Los Angeles is sunny' in line for line in listing)


async def test_a_replay_at_speed_one_takes_the_run_s_time(server_url: str, tmp_path: Path) -> None:
    tl = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT)
    tl.to_jsonl(tmp_path / "weather.jsonl")
    began = time.monotonic()
    replayed = await lgwidget.replay(tmp_path / "weather.jsonl")
    took = time.monotonic() - began
    last = tl.events[-1]["t"]
    assert last * 0.9 <= took <= last + 1.0
    same_run(replayed, tl)


async def test_subgraph_events_of_every_mode_replay(server_url: str, tmp_path: Path) -> None:
    modes = ["updates", "values", "messages", "custom", "tasks", "checkpoints", "debug", "events"]
    tl = await lgwidget.stream(
        server_url,
        "research",
        input={"messages": [{"role": "user", "content": "tidal power"}]},
        stream_mode=modes,
        stream_subgraphs=True,
    )
    assert any(e["ns"] for e in tl.events)
    tl.to_jsonl(tmp_path / "research.jsonl")
    same_run(await lgwidget.replay(tmp_path / "research.jsonl", speed=0), tl)


async def test_a_failed_run_replays_and_raises_the_same_error(
    server_url: str, tmp_path: Path
) -> None:
    tl = lgwidget.stream(server_url, "failing", input={})
    with pytest.raises(LGWidgetStreamError) as failed:
        await tl.wait()
    tl.to_jsonl(tmp_path / "failing.jsonl")
    replayed = lgwidget.replay(tmp_path / "failing.jsonl", speed=0)
    with pytest.raises(LGWidgetStreamError) as again:
        await replayed.wait()
    assert str(again.value) == str(failed.value)
    same_run(replayed, tl)


async def test_an_interrupted_run_replays_paused(server_url: str, tmp_path: Path) -> None:
    approval: dict[str, Any] = {"messages": [{"role": "user", "content": "mail the report"}]}
    tl = await lgwidget.stream(server_url, "approval", input=approval)
    assert tl.status == "interrupted"
    tl.to_jsonl(tmp_path / "approval.jsonl")
    replayed = await lgwidget.replay(tmp_path / "approval.jsonl", speed=0)
    same_run(replayed, tl)
    assert (replayed.interrupts, replayed.paused_at) == (tl.interrupts, tl.paused_at)
    assert replayed.interrupts
