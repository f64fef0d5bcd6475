"""Reconnect without loss: run streams cut at random points by a loopback TCP
proxy in front of the real server end up exactly like an uncut run."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from loopback import CuttingProxy, open_connections
from test_stream import normalized

import lgwidget
from lgwidget import RunTimeline
from lgwidget.client.reconnect import Backoff
from lgwidget.feeds.join import join_feed
from lgwidget.feeds.run import run_feed

TRIALS = 50
# Four events per tick (values, updates, a task's start and its result), many of
# them in the same millisecond: the ids of consecutive events are often equal.
TICKER = {"n": 15, "pause": 0.03}
MODES = ["values", "updates", "tasks"]


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def shape(tl: RunTimeline) -> list[tuple[str, Any]]:
    return [(e["event"], normalized(e["data"])) for e in tl.events]


def statuses(tl: RunTimeline) -> list[str]:
    seen = [tl.status]
    tl.observe(lambda change: seen.append(change["new"]), names="status")
    return seen


async def test_random_cuts_lose_and_repeat_nothing(server_url: str) -> None:
    started = time.monotonic()
    async with CuttingProxy(port_of(server_url), lambda _n: None) as clean:
        reference = await lgwidget.stream(clean.url, "ticker", input=TICKER, stream_mode=MODES)
        body_size = clean.body_bytes[0]
    assert reference.status == "done"
    expected = shape(reference)
    assert len(expected) == 1 + 1 + 4 * TICKER["n"]  # metadata, first state, 4 per tick
    ids = [e["id"] for e in reference.events]
    assert len(set(ids)) < len(ids)  # shared ids: the case that makes rejoining hard

    async def trial(seed: int) -> tuple[int, list[str]]:
        rng = random.Random(seed)
        cuts = 1 + seed % 3  # the POST's stream, then rejoins, are cut too

        def plan(n: int) -> tuple[int, bool] | None:
            if n >= cuts:
                return None
            return rng.randrange(
                1, body_size if n == 0 else max(2, body_size // 2)
            ), rng.random() < 0.5

        async with CuttingProxy(port_of(server_url), plan) as proxy:
            tl = lgwidget.stream(proxy.url, "ticker", input=TICKER, stream_mode=MODES)
            seen = statuses(tl)
            await asyncio.wait_for(tl.wait(), 60)
            assert tl.status == "done", (seed, tl.error)
            assert shape(tl) == expected, f"seed {seed}: the events differ from the uncut run"
            assert [e["seq"] for e in tl.events] == list(range(len(expected)))
            got_ids = [e["id"] for e in tl.events]
            assert got_ids == sorted(got_ids)
            if proxy.cuts:
                assert "reconnecting" in seen
                assert proxy.streams == proxy.cuts + 1  # one rejoin per cut
                # Rejoins resume from an id (or from the start), never from nothing.
                assert all(last is not None for last in proxy.last_event_ids[1:])
            return proxy.cuts, seen

    limit = asyncio.Semaphore(10)

    async def limited(seed: int) -> tuple[int, list[str]]:
        async with limit:
            return await trial(seed)

    results = await asyncio.gather(*(limited(seed) for seed in range(TRIALS)))
    total_cuts = sum(cuts for cuts, _ in results)
    assert total_cuts >= TRIALS  # most planned cuts fall inside the streams
    assert time.monotonic() - started < 120
    assert open_connections(port_of(server_url)) == 0


async def test_a_drop_shows_reconnecting_then_streaming(server_url: str) -> None:
    async with CuttingProxy(port_of(server_url), lambda n: (400, False) if n == 0 else None) as px:
        tl = lgwidget.stream(px.url, "ticker", input={"n": 10, "pause": 0.05})
        seen = statuses(tl)
        await tl.wait()
    assert px.cuts == 1
    assert tl.status == "done"
    assert seen[seen.index("reconnecting") + 1] == "streaming"
    assert [e["data"]["tick"]["count"] for e in tl.events[1:]] == list(range(1, 11))


async def test_giving_up_names_the_url(server_url: str) -> None:
    # Every stream response is cut before its first byte: no progress, ever.
    async with CuttingProxy(port_of(server_url), lambda _n: (0, True)) as proxy:
        body = {
            "assistant_id": "ticker",
            "input": {"n": 20, "pause": 0.05},
            "stream_mode": "updates",
            "stream_resumable": True,
        }
        tl = RunTimeline(proxy.url, "ticker").launch(
            run_feed(body, backoff=Backoff(attempts=3, first=0.01, cap=0.05))
        )
        with pytest.raises(lgwidget.LGWidgetStreamError) as caught:
            await asyncio.wait_for(tl.wait(), 30)
    message = str(caught.value)
    assert proxy.url in message
    assert "gave up after 3 attempts" in message
    assert tl.status == "error"
    assert proxy.streams == 4  # the run's POST and three rejoins


async def test_a_run_that_is_not_resumable_reconnects_with_a_note(server_url: str) -> None:
    async with CuttingProxy(port_of(server_url), lambda n: (300, False) if n == 0 else None) as px:
        tl = lgwidget.stream(
            px.url, "ticker", input={"n": 10, "pause": 0.1}, stream_resumable=False
        )
        await tl.wait()
    assert tl.status == "done"
    assert px.last_event_ids == [None, None]  # nothing to resume from: live events only
    notes = [e for e in tl.events if e["event"] == "note"]
    assert len(notes) == 1
    assert "not resumable" in notes[0]["data"]["message"]
    assert px.url in notes[0]["data"]["message"]
    ticks = [e["data"]["tick"]["count"] for e in tl.events if e["mode"] == "updates"]
    assert ticks == sorted(set(ticks))  # what arrived is in order, nothing twice
    assert ticks[-1] == 10


async def test_a_joined_run_cut_several_times_loses_and_repeats_nothing(server_url: str) -> None:
    # The run streams on its own connection; the join, through the proxy, is
    # cut three times at different points and must end equal to that stream.
    runner = lgwidget.stream(
        server_url, "ticker", input={"n": 12, "pause": 0.05}, stream_mode=MODES
    )
    started = asyncio.Event()
    runner.observe(lambda _change: started.set(), names="run_id")
    await asyncio.wait_for(started.wait(), 30)
    cuts = {0: (500, True), 1: (900, False), 2: (1500, True)}
    async with CuttingProxy(port_of(server_url), cuts.get) as proxy:
        joined = RunTimeline(proxy.url, "", thread_id=runner.thread_id)
        joined.run_id = runner.run_id
        seen = statuses(joined)
        joined.launch(join_feed(last_event_id="-1", backoff=Backoff(first=0.01, cap=0.05)))
        await asyncio.wait_for(joined.wait(), 60)
        await runner.wait()
    assert proxy.cuts == 3
    assert joined.status == "done"
    assert seen.count("reconnecting") == 3
    assert proxy.last_event_ids[0] == "-1"
    assert all(last is not None for last in proxy.last_event_ids[1:])
    # The join replays from the start ("-1"): every event of the run, once, in order.
    expected = [item for item in shape(runner) if item[0] != "metadata"]
    assert [item for item in shape(joined) if item[0] != "metadata"] == expected
    got_ids = [e["id"] for e in joined.events]
    assert got_ids == sorted(got_ids)
