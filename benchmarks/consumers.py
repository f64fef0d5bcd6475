"""The three consumers the benchmark compares, each run alone in a fresh process.

``python consumers.py CONSUMER URL ASSISTANT INPUT_JSON CONFIG_JSON`` prints one
JSON line: events, seconds, time to first event, SSE payload bytes, peak
memory above the baseline, and for lgwidget the comm messages and bytes.

- ``raw``: httpx + httpx-sse with ``json.loads`` per event (the limit).
- ``sdk``: the guide's print loop: langgraph_sdk ``client.runs.stream`` printing
  ``chunk.event`` and ``chunk.data`` (stdout to a sink).
- ``lgwidget``: ``lgwidget.stream()`` into a RunTimeline whose comm counts what it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
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
        self.events = 0
        self.payload = 0

    def saw(self, data: str) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.start
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
    return {"clock": clock}


async def sdk(url: str, assistant: str, input: Any, config: dict[str, Any]) -> dict[str, Any]:
    client = get_client(url=url, timeout=None)
    thread = await client.threads.create()
    clock = Clock()
    with SINK as sink:
        async for chunk in client.runs.stream(
            thread["thread_id"], assistant, input=input, **config
        ):
            # The SDK hands over parsed data; count its size as the server sent it.
            clock.saw(json.dumps(chunk.data, separators=(",", ":")))
            print(chunk.event, chunk.data, file=sink)
    return {"clock": clock}


class CountingComm(comm.DummyComm):  # type: ignore[misc]
    """A comm that measures what a kernel comm would put on the wire (JSON + buffers),
    and how long each event waited in the kernel before it was sent."""

    sent: ClassVar[dict[str, list[int]]] = {}
    timeline: ClassVar[Any] = None
    waits: ClassVar[list[float]] = []

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
        counts = CountingComm.sent.setdefault(method, [0, 0])
        counts[0] += 1
        counts[1] += size
        tl = CountingComm.timeline
        if method == "custom" and tl is not None:
            first = data["content"]["from"]
            now = time.monotonic() - tl._t0
            n = len(data["content"]["events"])
            CountingComm.waits.extend(now - e["t"] for e in tl.events[first : first + n])


async def lgwidget_consumer(
    url: str, assistant: str, input: Any, config: dict[str, Any]
) -> dict[str, Any]:
    comm.create_comm = CountingComm
    clock = Clock()
    tl = lgwidget.stream(url, assistant, input=input, **config)
    CountingComm.timeline = tl
    await tl.wait()
    seconds = time.perf_counter() - clock.start
    clock.events = len(tl.events)
    clock.first = tl.events[0]["t"] if tl.events else None
    return {
        "clock": clock,
        "seconds": seconds,
        "comm": CountingComm.sent,
        "max_wait_s": max(CountingComm.waits, default=None),
        "held": tl,
    }


CONSUMERS = {"raw": raw, "sdk": sdk, "lgwidget": lgwidget_consumer}


def main() -> None:
    name, url, assistant, input_json, config_json = sys.argv[1:6]
    baseline = rss_kib("VmRSS")
    reset_peak_rss()
    result = asyncio.run(
        CONSUMERS[name](url, assistant, json.loads(input_json), json.loads(config_json))
    )
    clock: Clock = result["clock"]
    seconds = result.get("seconds", time.perf_counter() - clock.start)
    out = {
        "consumer": name,
        "events": clock.events,
        "seconds": seconds,
        "events_per_s": clock.events / seconds,
        "first_event_s": clock.first,
        "payload_bytes": clock.payload,
        "peak_mem_bytes": (rss_kib("VmHWM") - baseline) * 1024,
        "comm": result.get("comm", {}),
        "max_wait_s": result.get("max_wait_s"),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
