"""lgwidget.stream() against the real in-memory LangGraph API server."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from httpx_sse import aconnect_sse

import lgwidget
from lgwidget import RunTimeline
from lgwidget.feeds.run import run_feed
from lgwidget.wire.snapshot import snapshot_records

WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}
# Ids the server generates afresh for every run: uuids, "lc_run--<uuid>-0", ms-epoch stamps.
GENERATED = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{13}(?:\.\d+)?\b"
)
TIMING_KEYS = {"created_at", "updated_at", "timestamp", "run_completed_in_ms"}


def normalized(value: Any) -> Any:
    """``value`` with generated ids and timestamps replaced by placeholders."""
    if isinstance(value, dict):
        return {k: "<time>" if k in TIMING_KEYS else normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return GENERATED.sub("<id>", value)
    return value


async def raw_capture(url: str, body: dict[str, Any]) -> list[tuple[str, Any]]:
    """The same run read with plain httpx-sse: (event, parsed data) pairs."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        thread = (await http.post("/threads", json={})).json()["thread_id"]
        async with aconnect_sse(
            http, "POST", f"/threads/{thread}/runs/stream", json=body
        ) as source:
            return [(sse.event, sse.json()) async for sse in source.aiter_sse()]


@pytest.mark.parametrize(
    "stream_mode", ["updates", ["updates", "messages-tuple", "values"]], ids=["updates", "combined"]
)
async def test_timeline_events_match_a_raw_httpx_sse_capture(
    server_url: str, stream_mode: Any
) -> None:
    tl = lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode=stream_mode)
    await tl.wait()
    raw = await raw_capture(
        server_url, {"assistant_id": "weather", "input": WEATHER_INPUT, "stream_mode": stream_mode}
    )
    assert tl.status == "done"
    assert [e["event"] for e in tl.events] == [name for name, _ in raw]
    assert [normalized(e["data"]) for e in tl.events] == [normalized(data) for _, data in raw]
    assert [e["seq"] for e in tl.events] == list(range(len(raw)))
    assert all(e["t"] >= 0 for e in tl.events)
    assert [e["t"] for e in tl.events] == sorted(e["t"] for e in tl.events)


async def test_the_guides_scenario_arrives_node_by_node(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode="updates")
    # The call returns at once: nothing has been received yet.
    assert tl.status == "connecting"
    assert tl.events == []
    assert await tl is tl
    assert tl.status == "done"
    assert [e["event"] for e in tl.events] == ["metadata", "updates", "updates", "updates"]
    assert [next(iter(e["data"])) for e in tl.events[1:]] == ["agent", "action", "agent"]
    call = tl.events[1]["data"]["agent"]["messages"][0]["tool_calls"][0]
    assert (call["name"], call["args"]) == (
        "tavily_search_results_json",
        {"query": "weather in los angeles"},
    )
    result = tl.events[2]["data"]["action"]["messages"][0]
    assert result["type"] == "tool"
    assert '"condition": "Sunny"' in result["content"]
    assert tl.run_id == tl.events[0]["data"]["run_id"]
    assert tl.thread_id
    assert tl.count == 4
    assert tl.elapsed > 0
    assert snapshot_records(tl._snapshot) == tl.events


async def test_the_kernel_stays_free_while_the_run_streams(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "weather", input=WEATHER_INPUT)
    ticks = 0
    while tl.status not in ("done", "error"):
        ticks += 1  # other work runs on the same loop meanwhile
        await asyncio.sleep(0.01)
    assert ticks > 5
    await tl.wait()


async def test_run_options_pass_through_to_the_run(server_url: str) -> None:
    tl = lgwidget.stream(
        server_url,
        "weather",
        input=WEATHER_INPUT,
        metadata={"origin": "lgwidget-test"},
        interrupt_before=["action"],
    )
    await tl.wait()
    # The breakpoint paused the run before the tool ran; the thread waits for a resume.
    assert tl.status == "interrupted"
    updates = [next(iter(e["data"])) for e in tl.events if e["mode"] == "updates"]
    assert updates == ["agent", "__interrupt__"]  # a breakpoint shows as an empty interrupt
    async with httpx.AsyncClient(base_url=server_url) as http:
        run = (await http.get(f"/threads/{tl.thread_id}/runs/{tl.run_id}")).json()
    assert run["metadata"]["origin"] == "lgwidget-test"


async def test_an_existing_thread_is_continued(server_url: str) -> None:
    first = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode="values")
    second = await lgwidget.stream(
        server_url,
        "weather",
        input={"messages": [{"role": "user", "content": "again"}]},
        stream_mode="values",
        thread_id=first.thread_id,
    )
    assert second.thread_id == first.thread_id
    # The second run's first state already holds the first run's four messages plus the new one.
    assert len(second.events[1]["data"]["messages"]) == 5


async def test_unknown_assistant_name_gives_the_servers_422_detail(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "does-not-exist", input={})
    with pytest.raises(lgwidget.LGWidgetHTTPError) as caught:
        await tl.wait()
    assert caught.value.status == 422
    assert "does-not-exist" in str(caught.value.detail)
    assert tl.status == "error"
    assert "422" in tl.error
    assert server_url in tl.error
    assert caught.value.timeline is tl


async def test_unknown_assistant_uuid_gives_the_servers_404_detail(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "00000000-0000-0000-0000-000000000000", input={})
    with pytest.raises(lgwidget.LGWidgetHTTPError) as caught:
        await tl.wait()
    assert caught.value.status == 404
    assert "not found" in str(caught.value.detail).lower()


async def test_unknown_thread_gives_the_servers_404_detail(server_url: str) -> None:
    tl = lgwidget.stream(
        server_url, "weather", input={}, thread_id="00000000-0000-0000-0000-000000000001"
    )
    with pytest.raises(lgwidget.LGWidgetHTTPError) as caught:
        await tl.wait()
    assert caught.value.status == 404


async def test_invalid_stream_mode_gives_the_servers_422_detail(server_url: str) -> None:
    with pytest.raises(lgwidget.LGWidgetHTTPError) as caught:
        await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, stream_mode="bogus")
    assert caught.value.status == 422
    assert "bogus" in str(caught.value.detail)


async def test_invalid_body_gives_the_servers_422_detail(server_url: str) -> None:
    with pytest.raises(lgwidget.LGWidgetHTTPError) as caught:
        await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT, multitask_strategy=42)
    assert caught.value.status == 422


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [f"http://127.0.0.1:{closed_port()}", "http://lgwidget-no-such-host.invalid"],
    ids=["refused", "unknown-host"],
)
async def test_an_unreachable_url_is_an_error_naming_it_within_bounded_time(url: str) -> None:
    started = time.monotonic()
    tl = lgwidget.stream(url, "weather", input=WEATHER_INPUT)
    with pytest.raises(lgwidget.LGWidgetConnectionError, match=re.escape(url)):
        await asyncio.wait_for(tl.wait(), timeout=30)
    assert tl.status == "error"
    assert url in tl.error
    assert time.monotonic() - started < 30


def test_outside_an_event_loop_stream_runs_to_completion(server_url: str) -> None:
    script = (
        "import lgwidget\n"
        f"tl = lgwidget.stream({server_url!r}, 'weather', input={WEATHER_INPUT!r})\n"
        "print(tl.status, [e['event'] for e in tl.events])\n"
        "try:\n"
        f"    lgwidget.stream({server_url!r}, 'nope')\n"
        "except lgwidget.LGWidgetHTTPError as exc:\n"
        "    print(exc.status, exc.timeline.status)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "done ['metadata', 'updates', 'updates', 'updates']",
        "422 error",
    ]


async def until(predicate: Callable[[], object], timeout: float = 30) -> None:
    """Poll ``predicate`` on the loop (the consumer task runs meanwhile)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.001)


async def run_status(url: str, thread_id: str, run_id: str) -> str:
    async with httpx.AsyncClient(base_url=url) as http:
        status: str = (await http.get(f"/threads/{thread_id}/runs/{run_id}")).json()["status"]
        return status


async def until_run_stopped(url: str, thread_id: str, run_id: str) -> None:
    """Wait (10 s at most) until the server no longer runs the run."""
    deadline = time.monotonic() + 10
    while (status := await run_status(url, thread_id, run_id)) in ("pending", "running"):
        assert time.monotonic() < deadline, f"run still {status}"
        await asyncio.sleep(0.1)


async def test_cancel_mid_run_stops_the_run_on_the_server(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "ticker", input={"n": 50, "pause": 0.1})
    await until(lambda: len(tl.events) >= 3)
    tl.cancel()
    await tl.wait()  # a cancelled run is not an error
    assert tl.status == "cancelled"
    kept = len(tl.events)
    assert kept >= 3
    await until_run_stopped(server_url, tl.thread_id, tl.run_id)
    assert len(tl.events) == kept  # nothing after the stop


class SlowToAnswerRuns(httpx.AsyncBaseTransport):
    """Real HTTP, but the answer to a run request is held back: the run exists
    on the server while the client does not know its id yet."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.run_created = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/runs/stream"):
            self.run_created.set()
            await asyncio.sleep(0.5)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_cancel_before_the_run_id_is_known_still_cancels_the_run(server_url: str) -> None:
    transport = SlowToAnswerRuns()
    body = {"assistant_id": "ticker", "input": {"n": 50, "pause": 0.1}, "stream_mode": "updates"}
    tl = RunTimeline(server_url, "ticker", transport=transport).launch(run_feed(body))
    await transport.run_created.wait()
    assert not tl.run_id
    tl.cancel()  # Stop pressed before the id is known
    await tl.wait()
    assert tl.status == "cancelled"
    assert tl.run_id  # learnt from the answer, then used to cancel the run
    await until_run_stopped(server_url, tl.thread_id, tl.run_id)
    assert len(tl.events) == 0  # stopped before reading anything
