"""Faults from loopback servers (real TCP on 127.0.0.1): malformed streams,
silence, connect timeouts, rejoins that fail or repeat, and clean ends mid-run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Iterator

import pytest
from loopback import (
    CUT,
    HANG,
    Reply,
    Request,
    ScriptedServer,
    fake_langgraph,
    json_reply,
    sse,
    sse_reply,
)

import lgwidget
from lgwidget import LGWidgetConnectionError, LGWidgetHTTPError, LGWidgetStreamError, RunTimeline
from lgwidget.client.http import client_timeout
from lgwidget.client.reconnect import Backoff
from lgwidget.feeds.join import join_feed
from lgwidget.feeds.run import run_feed

FAST = Backoff(attempts=3, first=0.01, cap=0.05)
BODY = {"assistant_id": "agent", "stream_mode": "updates", "stream_resumable": True}
META = sse("metadata", {"run_id": "r1", "attempt": 1}, "100-0")


def launch(url: str, *, idle: float = 30.0, backoff: Backoff = FAST) -> RunTimeline:
    tl = RunTimeline(url, "agent", timeout=client_timeout(idle_timeout=idle))
    return tl.launch(run_feed(BODY, backoff=backoff))


def update(n: int, event_id: str | None = None) -> bytes:
    return sse("updates", {"node": {"n": n}}, event_id)


async def test_malformed_events_are_kept_and_the_stream_goes_on() -> None:
    huge = "x" * 20_000_000
    parts: list[bytes | float] = [
        META,
        b"event: updates\r\ndata: {not json\r\n\r\n",
        sse("mystery|sub:1", {"what": "unknown"}),
        b'event: custom\r\ndata: {"big": "' + huge.encode() + b'"}\r\n\r\n',
        b'event: custom\r\ndata: {"name": "caf\xe9"}\r\n\r\n',
        b"event: updates\r\n\r\n",  # no data field: no event (WHATWG)
        update(1),
    ]
    async with ScriptedServer(fake_langgraph(lambda _r: sse_reply(*parts))) as server:
        started = time.monotonic()
        tl = await launch(server.url)
    assert time.monotonic() - started < 20
    assert tl.status == "done"
    bad_json, unknown, big, latin, last = tl.events[1:]
    assert (bad_json["data"], bad_json["raw"]) == ("{not json", True)
    assert (unknown["event"], unknown["mode"], unknown["ns"]) == (
        "mystery|sub:1",
        "mystery",
        ["sub:1"],
    )
    assert unknown["data"] == {"what": "unknown"}
    assert len(big["data"]["big"]) == 20_000_000
    # Invalid UTF-8: the text with a replacement character, marked raw, not parsed.
    assert latin["raw"] is True
    assert latin["data"] == '{"name": "caf\ufffd"}'
    # The event-only block used to be kept as ("updates", None); the SSE spec
    # dispatches nothing for a block without data, and the stream goes on.
    assert not any(e["event"] == "updates" and e["data"] is None for e in tl.events)
    assert last["data"] == {"node": {"n": 1}}
    assert [e["seq"] for e in tl.events] == list(range(6))


async def test_a_silent_server_is_detected_and_named() -> None:
    silent = fake_langgraph(
        lambda _r: sse_reply(META, update(1, "101-0"), HANG),
        join=lambda _r: sse_reply(HANG),
        run_status="running",
    )
    async with ScriptedServer(silent) as server:
        started = time.monotonic()
        tl = launch(server.url, idle=0.3)
        with pytest.raises(LGWidgetStreamError) as caught:
            await tl.wait()
        took = time.monotonic() - started
        await asyncio.sleep(0.05)
        assert server.open_connections == 0  # every silent connection was closed
    assert f"no data from {server.url}/threads/t1/runs/r1/stream for 0.3 s" in str(caught.value)
    assert "gave up after 3 attempts" in str(caught.value)
    assert took < 4  # four silences of 0.3 s and three short pauses
    assert tl.status == "error"
    assert [e["event"] for e in tl.events] == ["metadata", "updates"]  # kept


def test_stream_passes_idle_timeout_to_its_client() -> None:
    async def main() -> float:
        tl = lgwidget.stream("http://127.0.0.1:9", "agent", idle_timeout=2.5)
        tl.close()
        async with tl.client() as client:
            return float(client.timeout.read or 0)

    assert asyncio.run(main()) == 2.5
    with pytest.raises(ValueError, match="idle_timeout"):
        lgwidget.stream("http://127.0.0.1:9", "agent", idle_timeout=0)


@contextlib.contextmanager
def never_accepting() -> Iterator[str]:
    """A listening socket whose accept queue is full: connecting hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for sock in [*fillers, server]:
            sock.close()


async def test_a_connect_timeout_names_the_url_in_bounded_time() -> None:
    with never_accepting() as url:
        started = time.monotonic()
        tl = RunTimeline(url, "agent", timeout=client_timeout(connect_timeout=0.5))
        tl.launch(run_feed(BODY))
        with pytest.raises(LGWidgetConnectionError) as caught:
            await tl.wait()
    assert time.monotonic() - started < 5
    assert f"POST {url}/threads: no connection within 0.5 s" in str(caught.value)
    assert url in tl.error


async def test_a_rejoin_answered_503_is_retried() -> None:
    joins: list[Request] = []

    def join(request: Request) -> Reply:
        joins.append(request)
        if len(joins) == 1:
            return json_reply({"detail": "restarting"}, 503)
        return sse_reply(update(1, "101-0"), update(2, "102-0"))

    handler = fake_langgraph(lambda _r: sse_reply(META, update(1, "101-0"), CUT), join=join)
    async with ScriptedServer(handler) as server:
        tl = await launch(server.url)
    assert tl.status == "done"
    assert [e["data"] for e in tl.events[1:]] == [{"node": {"n": 1}}, {"node": {"n": 2}}]
    assert [j.headers["last-event-id"] for j in joins] == ["100-0", "100-0"]


async def test_a_rejoin_answered_404_fails_and_keeps_the_events() -> None:
    handler = fake_langgraph(
        lambda _r: sse_reply(META, update(1, "101-0"), CUT),
        join=lambda _r: json_reply({"detail": "Run not found"}, 404),
    )
    async with ScriptedServer(handler) as server:
        tl = launch(server.url)
        with pytest.raises(LGWidgetHTTPError, match="Run not found") as caught:
            await tl.wait()
    assert caught.value.status == 404
    assert [e["event"] for e in tl.events] == ["metadata", "updates"]


async def test_a_clean_end_while_the_run_still_runs_is_rejoined() -> None:
    statuses = iter(["running", "success"])
    joins: list[Request] = []

    def join(request: Request) -> Reply:
        joins.append(request)
        # The replay starts after 101-0, whose group the first stream ended in.
        return sse_reply(update(2, "102-0"), update(3, "102-0"), update(4, "103-0"))

    handler = fake_langgraph(
        lambda _r: sse_reply(META, update(1, "101-0"), update(2, "102-0")),
        join=join,
        run_status=lambda: next(statuses),
    )
    async with ScriptedServer(handler) as server:
        tl = await launch(server.url)
    assert tl.status == "done"
    assert [e["data"]["node"]["n"] for e in tl.events[1:]] == [1, 2, 3, 4]
    assert joins[0].headers["last-event-id"] == "101-0"


async def test_a_replay_that_repeats_itself_is_de_duplicated() -> None:
    # The live part of a rejoin restarts inside what the replay already sent.
    first = [META, update(1, "101-0"), update(2, "102-0"), update(3, "102-0")]
    replay = [update(2, "102-0"), update(3, "102-0"), update(4, "103-0"), update(5, "103-0")]
    live = [update(4, "103-0"), update(5, "103-0"), update(6, "104-0")]
    handler = fake_langgraph(
        lambda _r: sse_reply(*first, CUT), join=lambda _r: sse_reply(*replay, *live)
    )
    async with ScriptedServer(handler) as server:
        tl = await launch(server.url)
    assert [e["data"]["node"]["n"] for e in tl.events[1:]] == [1, 2, 3, 4, 5, 6]
    assert [e["id"] for e in tl.events][-3:] == ["103-0", "103-0", "104-0"]


async def test_an_error_event_after_a_rejoin_fails_the_timeline() -> None:
    error = sse("error", {"error": "ValueError", "message": "boom"}, "102-0")
    handler = fake_langgraph(
        lambda _r: sse_reply(META, update(1, "101-0"), CUT),
        join=lambda _r: sse_reply(update(1, "101-0"), error),
        run_status="error",
    )
    async with ScriptedServer(handler) as server:
        tl = launch(server.url)
        with pytest.raises(LGWidgetStreamError, match="ValueError: boom"):
            await tl.wait()
    assert [e["event"] for e in tl.events] == ["metadata", "updates", "error"]


async def test_a_drop_before_the_run_id_is_known_is_not_retried() -> None:
    # Retrying the POST could start the run twice: say what happened instead.
    posts: list[Request] = []

    def run_stream(request: Request) -> Reply:
        posts.append(request)
        return Reply(200, {}, [CUT])

    async with ScriptedServer(fake_langgraph(run_stream)) as server:
        tl = launch(server.url)
        with pytest.raises(LGWidgetStreamError, match=server.url):
            await tl.wait()
    assert len(posts) == 1
    assert json.loads(posts[0].body)["stream_resumable"] is True


JOIN_IDS = ["200-0", "201-0", "201-0", "202-0", "203-0", "203-0", "204-0", "205-0", "206-0"]
# Where each join response is cut (events sent before the cut); the last ends cleanly.
JOIN_CUTS = [3, 5, 4, None]


def join_server(joins: list[Request]) -> ScriptedServer:
    """A run in flight whose join stream is cut three times: each join replays
    the stored events after its Last-Event-ID (as a resumable run does), then
    is cut after the next ``JOIN_CUTS`` events."""
    events = [update(n, event_id) for n, event_id in enumerate(JOIN_IDS)]

    def join(request: Request) -> Reply:
        joins.append(request)
        after = request.headers.get("last-event-id")
        start = 0 if after is None else sum(1 for i in JOIN_IDS if id_order(i) <= id_order(after))
        cut = JOIN_CUTS[len(joins) - 1]
        if cut is None:
            return sse_reply(*events[start:])
        return sse_reply(*events[start : start + cut], CUT)

    def status() -> str:
        return "success" if len(joins) == len(JOIN_CUTS) else "running"

    return ScriptedServer(
        fake_langgraph(lambda _r: json_reply({}, 500), join=join, run_status=status)
    )


def id_order(event_id: str) -> tuple[int, int]:
    ms, seq = event_id.split("-")
    return int(ms), int(seq)


async def test_a_joined_run_resumes_after_each_cut_and_loses_and_repeats_nothing() -> None:
    joins: list[Request] = []
    async with join_server(joins) as server:
        tl = RunTimeline(server.url, "", thread_id="t1")
        tl.run_id = "r1"
        seen = [tl.status]
        tl.observe(lambda change: seen.append(change["new"]), names="status")
        await asyncio.wait_for(tl.launch(join_feed(backoff=FAST)).wait(), 20)
    assert tl.status == "done"
    assert [e["data"]["node"]["n"] for e in tl.events] == list(range(len(JOIN_IDS)))
    assert [e["id"] for e in tl.events] == JOIN_IDS
    assert len(joins) == len(JOIN_CUTS)  # one rejoin per cut
    # The first join asks for live events only; each rejoin resumes from an id.
    assert joins[0].headers.get("last-event-id") is None
    assert all(j.headers.get("last-event-id") for j in joins[1:])
    assert seen.count("reconnecting") == 3
    assert not [e for e in tl.events if e["event"] == "note"]  # resumable: no gap


async def test_a_join_from_an_event_id_resumes_from_it_when_cut_before_any_event() -> None:
    joins: list[Request] = []

    def join(request: Request) -> Reply:
        joins.append(request)
        if len(joins) == 1:
            return sse_reply(CUT)
        return sse_reply(update(7, "207-0"))

    handler = fake_langgraph(lambda _r: json_reply({}, 500), join=join)
    async with ScriptedServer(handler) as server:
        tl = RunTimeline(server.url, "", thread_id="t1")
        tl.run_id = "r1"
        await asyncio.wait_for(tl.launch(join_feed(last_event_id="206-0", backoff=FAST)).wait(), 20)
    assert tl.status == "done"
    assert [j.headers.get("last-event-id") for j in joins] == ["206-0", "206-0"]
    assert [e["id"] for e in tl.events] == ["207-0"]
