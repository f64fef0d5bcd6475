"""Kernel -> view transport: batched append messages, the hello handshake, the snapshot."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from lgwidget.events import make_record
from lgwidget.outbox import REPLAY_CHUNK
from lgwidget.widget import TimelineWidget


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Custom messages the widget sends to its views."""
    messages: list[dict[str, Any]] = []
    monkeypatch.setattr(
        TimelineWidget, "send", lambda self, content, buffers=None: messages.append(content)
    )
    return messages


def add_events(widget: TimelineWidget, n: int) -> None:
    for _ in range(n):
        seq = len(widget.events)
        widget._append(make_record(seq, "updates", f'{{"node{seq}": {{}}}}', None, 0.0))


def seqs(messages: list[dict[str, Any]]) -> list[int]:
    return [event["seq"] for message in messages for event in message["events"]]


async def test_a_burst_goes_out_as_one_append_message(sent: list[dict[str, Any]]) -> None:
    widget = TimelineWidget()
    add_events(widget, 1000)
    assert sent == []  # nothing until the loop turns
    await asyncio.sleep(0)
    assert len(sent) == 1
    assert sent[0]["type"] == "append"
    assert sent[0]["from"] == 0
    assert seqs(sent) == list(range(1000))
    assert widget.count == 1000


async def test_a_lone_event_goes_out_on_the_next_loop_turn(sent: list[dict[str, Any]]) -> None:
    widget = TimelineWidget()
    add_events(widget, 1)
    await asyncio.sleep(0)
    assert seqs(sent) == [0]


async def test_steady_events_cost_at_most_30_comm_messages_per_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    comm: list[dict[str, Any]] = []  # everything on the wire: state updates and custom messages
    monkeypatch.setattr(TimelineWidget, "_send", lambda self, msg, buffers=None: comm.append(msg))
    widget = TimelineWidget()
    comm.clear()
    started = time.monotonic()
    while time.monotonic() - started < 0.5:
        add_events(widget, 1)
        await asyncio.sleep(0.001)
    widget._outbox.flush()
    duration = time.monotonic() - started
    # Flushes are at least 1/15 s apart and each costs an append and a count update.
    assert len(comm) <= duration * 30 + 4
    appends = [m["content"] for m in comm if m["method"] == "custom"]
    assert seqs(appends) == list(range(len(widget.events)))  # every event once, in order
    assert widget.count == len(widget.events)


async def test_hello_answers_with_the_events_the_view_lacks(sent: list[dict[str, Any]]) -> None:
    widget = TimelineWidget()
    add_events(widget, 10)
    widget._outbox.flush()
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 4}, [])
    assert sent == [{"type": "append", "from": 4, "events": widget.events[4:]}]
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 0}, [])  # a second view
    assert seqs(sent) == list(range(10))


async def test_hello_replies_are_chunked(sent: list[dict[str, Any]]) -> None:
    widget = TimelineWidget()
    add_events(widget, REPLAY_CHUNK * 2 + 5)
    widget._outbox.flush()
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 0}, [])
    assert [m["from"] for m in sent] == [0, REPLAY_CHUNK, REPLAY_CHUNK * 2]
    assert seqs(sent) == list(range(REPLAY_CHUNK * 2 + 5))


async def test_snapshot_is_written_once_when_the_run_ends(sent: list[dict[str, Any]]) -> None:
    widget = TimelineWidget()
    add_events(widget, 3)
    assert widget._snapshot == []
    widget._finish("done")
    assert widget._snapshot == widget.events
    assert widget.status == "done"
    assert seqs(sent) == [0, 1, 2]  # pending events flushed before the final state


def test_events_are_not_a_synced_trait() -> None:
    widget = TimelineWidget()
    synced = widget.keys
    assert "events" not in synced
    assert {"status", "count", "run_id", "thread_id", "assistant_id", "_snapshot"} <= set(synced)
