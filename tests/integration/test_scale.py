"""50,000 events through the whole kernel path: SSE client, timeline, transport."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lgwidget
from lgwidget.server import free_port
from lgwidget.timeline.widget import TimelineWidget
from lgwidget.wire.headers import decode_headers, message_buffers

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def synthetic_url() -> Iterator[str]:
    """The benchmark's loopback server: N synthetic `updates` events, as fast as it can."""
    sys.path.insert(0, str(BENCHMARKS))
    import synthetic_server

    with synthetic_server.running(free_port()) as url:
        yield url


async def test_fifty_thousand_events_all_arrive_in_order_once(
    synthetic_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    monkeypatch.setattr(
        TimelineWidget, "send", lambda self, content, buffers=None: sent.append((content, buffers))
    )
    n = 50_000
    tl = await lgwidget.stream(synthetic_url, "bench", input={"n": n, "size": 300})
    assert tl.status == "done"
    assert len(tl.events) == n + 1  # the metadata event, then the updates
    assert [e["seq"] for e in tl.events] == list(range(n + 1))
    ids = [
        e["data"]["agent" if i % 2 == 0 else "action"]["messages"][0]["id"]
        for i, e in enumerate(tl.events[1:])
    ]
    assert ids == [f"lc_run--01a20f50-e776-77ea-acd3-{i:012d}-0" for i in range(n)]
    # What the views got: every event exactly once, in order, data byte for byte.
    seqs: list[int] = []
    data = b""
    for content, buffers in sent:
        headers, buffer = message_buffers(content, buffers)
        count = len(decode_headers(content["names"], headers))
        seqs.extend(content["from"] + i for i in range(count))
        data += buffer
    assert seqs == list(range(n + 1))
    assert data == tl.events.data(0, n + 1)
    assert len(sent) < n / 100  # batched, not a message per event
    assert json.loads(tl.events.raw_data(n)) == tl.events[n]["data"]
