"""The three consumers the benchmark compares, each run alone in a fresh process.

``python consumers.py [--warm] CONSUMER URL ASSISTANT INPUT_JSON CONFIG_JSON``
prints one JSON line: events, seconds, time to first event, SSE payload bytes,
peak memory above the baseline, and for lgwidget the comm messages and bytes.

Memory is the peak resident size (VmHWM) during the run minus the resident
size (VmRSS) just before it. By default the run is the process's first: its
figure includes what any first run pays once (httpx's transport modules that
load on the first request, the TLS context, ...). With ``--warm`` the figure is
that of a later run in a warm kernel: the process first runs the same consumer
on the same stream cut to one event (``INPUT_JSON`` with ``"n": 1``) in the
same event loop, as a kernel keeps its loop; lets go of all that run returned
(for lgwidget the timeline is closed and the counting comm's tallies reset),
collects garbage and hands the freed heap back to the system (``malloc_trim``,
so that the measured run cannot hide in memory the warm-up left free); then
takes the baseline and measures the run as the default mode does. Every other
figure of the JSON line is the measured run's.

- ``raw``: httpx + httpx-sse with ``json.loads`` per event (the limit).
- ``sdk``: the guide's print loop: langgraph_sdk ``client.runs.stream`` printing
  ``chunk.event`` and ``chunk.data`` (stdout to a sink).
- ``lgwidget``: ``lgwidget.stream()`` into a RunTimeline whose comm counts what it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import comm
import httpx
from httpx_sse import aconnect_sse
from langgraph_sdk import get_client

import lgwidget


def rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets VmHWM, the peak resident set (Linux >= 4.0).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# The print loop's stdout goes nowhere: opened before the loop, as a terminal would be.
SINK = open(os.devnull, "w")  # noqa: SIM115


class Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: float | None = None
        self.last = 0.0
        self.events = 0
        self.payload = 0

    def saw(self, data: str) -> None:
        self.last = time.perf_counter() - self.start
        if self.first is None:
            self.first = self.last
        self.events += 1
        self.payload += len(data.encode())


async def raw(url: str, assistant: str, input: Any, config: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=None) as http:
        thread = (await http.post("/threads", json={})).json()["thread_id"]
        body = {"assistant_id": assistant, "input": input, **config}
        clock = Clock()
        async with aconnect_sse(http, "POST", f"/threads/{thread}/runs/stream", json=body) as src:
            async for sse in src.aiter_sse():
                clock.saw(sse.data)
                json.loads(sse.data)
            stream_bytes = src.response.num_bytes_downloaded
    return {"clock": clock, "stream_bytes": stream_bytes}


async def sdk(url: str, assistant: str, input: Any, config: dict[str, Any]) -> dict[str, Any]:
    client = get_client(url=url, timeout=None)
    thread = await client.threads.create()
    clock = Clock()
    # SINK stays open: a warm process prints to it again in its measured run.
    async for chunk in client.runs.stream(thread["thread_id"], assistant, input=input, **config):
        # The SDK hands over parsed data; count its size as the server sent it.
        clock.saw(json.dumps(chunk.data, separators=(",", ":")))
        print(chunk.event, chunk.data, file=SINK)
    return {"clock": clock}


class CountingComm(comm.DummyComm):
    """A comm that measures what a kernel comm would put on the wire (JSON + buffers),
    and how long each event waited in the kernel before it was sent."""

    sent: ClassVar[dict[str, list[int]]] = {}
    timeline: ClassVar[Any] = None
    # The longest wait only: a list of every event's would weigh on the memory measured.
    max_wait: ClassVar[float | None] = None
    stamps: ClassVar[list[float]] = []  # when each append or count update went out

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        if msg_type != "comm_msg" or not isinstance(data, dict):
            return
        method = data.get("method", "?")
        if method == "update" and "_snapshot" in data.get("state", {}):
            method = "snapshot"
        size = len(json.dumps(data, ensure_ascii=False).encode())
        size += sum(len(memoryview(b).cast("B")) for b in buffers or [])
        if method == "update" and set(data.get("state", {})) == {"count"}:
            method = "count"  # the count trait that follows each flush
        if method in ("custom", "count"):
            CountingComm.stamps.append(time.monotonic())
        counts = CountingComm.sent.setdefault(method, [0, 0])
        counts[0] += 1
        counts[1] += size
        tl = CountingComm.timeline
        if method == "custom" and tl is not None:
            first = data["content"]["from"]
            now = time.monotonic() - tl._t0
            # Events are stamped in arrival order: the message's first waited longest.
            longest = now - tl.events.header(first)[2]
            if CountingComm.max_wait is None or longest > CountingComm.max_wait:
                CountingComm.max_wait = longest


def busiest_second(stamps: list[float]) -> int:
    """The most messages sent within any one second."""
    most, first = 0, 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


async def lgwidget_consumer(
    url: str, assistant: str, input: Any, config: dict[str, Any]
) -> dict[str, Any]:
    comm.create_comm = CountingComm
    clock = Clock()
    tl = lgwidget.stream(url, assistant, input=input, **config)
    CountingComm.timeline = tl
    await tl.wait()
    # Times of the events as the timeline stamped them: from the run's POST on.
    clock.events = len(tl.events)
    clock.first = tl.events.header(0)[2]
    clock.last = tl.events.header(len(tl.events) - 1)[2]
    return {
        "clock": clock,
        "comm": CountingComm.sent,
        "max_wait_s": CountingComm.max_wait,
        "max_msgs_per_s": busiest_second(CountingComm.stamps),
        "held": tl,
    }


CONSUMERS = {"raw": raw, "sdk": sdk, "lgwidget": lgwidget_consumer}


def let_go(result: dict[str, Any]) -> None:
    """Release what a warm-up run returned and reset the counting comm's tallies,
    so that only the measured run is counted."""
    held = result.get("held")
    if held is not None:
        held.close()
    result.clear()
    CountingComm.sent = {}
    CountingComm.stamps = []
    CountingComm.max_wait = None
    CountingComm.timeline = None


async def warm_then_measure(
    name: str, url: str, assistant: str, input: Any, config: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """A later run in a warm kernel: one run of the stream cut to one event, then
    the measured run in the same loop. Returns the baseline (KiB) and the result."""
    consumer = CONSUMERS[name]
    let_go(await consumer(url, assistant, {**input, "n": 1}, config))
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    baseline = rss_kib("VmRSS")
    reset_peak_rss()
    return baseline, await consumer(url, assistant, input, config)


def main() -> None:
    args = sys.argv[1:]
    warm = args[:1] == ["--warm"]
    name, url, assistant, input_json, config_json = args[1:6] if warm else args[:5]
    if warm:
        baseline, result = asyncio.run(
            warm_then_measure(name, url, assistant, json.loads(input_json), json.loads(config_json))
        )
    else:
        baseline = rss_kib("VmRSS")
        reset_peak_rss()
        result = asyncio.run(
            CONSUMERS[name](url, assistant, json.loads(input_json), json.loads(config_json))
        )
    clock: Clock = result["clock"]
    # From the run's POST to the last event: how fast the consumer keeps up.
    seconds = clock.last
    out = {
        "consumer": name,
        "events": clock.events,
        "seconds": seconds,
        "events_per_s": clock.events / seconds,
        "first_event_s": clock.first,
        "payload_bytes": clock.payload,
        "stream_bytes": result.get("stream_bytes"),
        "peak_mem_bytes": (rss_kib("VmHWM") - baseline) * 1024,
        "comm": result.get("comm", {}),
        "max_wait_s": result.get("max_wait_s"),
        "max_msgs_per_s": result.get("max_msgs_per_s"),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
