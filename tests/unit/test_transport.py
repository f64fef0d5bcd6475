"""Kernel -> view transport: batched append messages with a data buffer, hello, the snapshot."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from lgwidget.timeline.outbox import MESSAGE_EVENTS, SMALL_EVENT_BYTES
from lgwidget.timeline.widget import TimelineWidget
from lgwidget.wire import eventlog
from lgwidget.wire.headers import decode_headers, deflate, message_buffers

Sent = list[tuple[dict[str, Any], list[bytes]]]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Custom messages (content, buffers) the widget sends to its views."""
    messages: Sent = []
    monkeypatch.setattr(
        TimelineWidget,
        "send",
        lambda self, content, buffers=None: messages.append((content, list(buffers or []))),
    )
    return messages


def add_events(widget: TimelineWidget, n: int, pad: int = 0) -> None:
    """``n`` updates events of about 20 bytes, or 20 + ``pad``."""
    for _ in range(n):
        seq = len(widget.events)
        data = {f"node{seq}": {"é": seq, **({"pad": "x" * pad} if pad else {})}}
        widget._append("updates", json.dumps(data).encode(), None)


def decode(messages: Sent) -> list[dict[str, Any]]:
    """What a view rebuilds from the messages: (seq, event, data) per event."""
    out = []
    for content, buffers in messages:
        assert content["type"] == "append"
        headers, buffer = message_buffers(content, buffers)
        offset = 0
        events = decode_headers(content["names"], headers)
        for i, (event, event_id, t, nbytes, *raw) in enumerate(events):
            text = bytes(buffer[offset : offset + nbytes]).decode()
            offset += nbytes
            out.append(
                {
                    "seq": content["from"] + i,
                    "event": event,
                    "id": event_id,
                    "t": t,
                    "data": json.loads(text),
                    "raw": bool(raw),
                }
            )
        assert offset == len(buffer)  # the buffer holds exactly these events' data
    return out


async def test_a_burst_goes_out_as_one_append_message(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 1000)
    assert sent == []  # nothing until the loop turns
    await asyncio.sleep(0)
    assert len(sent) == 1
    events = decode(sent)
    assert [e["seq"] for e in events] == list(range(1000))
    assert events[7]["data"] == {"node7": {"é": 7}}  # multi-byte UTF-8 sliced right
    assert [e["data"] for e in events] == [r["data"] for r in widget.events]
    assert widget.count == 1000


async def test_a_flush_sends_a_view_of_the_logs_bytes_not_a_copy(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 3, pad=SMALL_EVENT_BYTES)  # big enough to go undeflated
    await asyncio.sleep(0)
    sent_bytes = widget.events.data(0, 3)
    add_events(widget, 2, pad=SMALL_EVENT_BYTES)  # written after the sent bytes
    await asyncio.sleep(0.1)
    (_, (_, first)), (_, (_, second)) = sent
    assert isinstance(first, memoryview)
    assert first.readonly
    assert first.obj is widget.events._chunks[0]
    assert bytes(first) == sent_bytes  # unchanged by the events after it
    assert isinstance(second, memoryview)
    assert bytes(second) == widget.events.data(3, 5)


async def test_a_flush_across_log_chunks_sends_a_view_of_each(
    sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(eventlog, "FIRST_CHUNK_BYTES", 1024)
    widget = TimelineWidget()
    add_events(widget, 40, pad=SMALL_EVENT_BYTES)  # about 6 KB: three chunks
    await asyncio.sleep(0)
    ((_, (_, *data)),) = sent  # still one message
    assert len(widget.events._chunks) == 3
    assert [view.obj for view in data] == widget.events._chunks
    assert [e["data"] for e in decode(sent)] == [r["data"] for r in widget.events]


async def test_small_events_go_deflated_and_come_back_the_same(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 200)  # about 20 bytes each: mostly header
    widget._outbox.flush()
    ((content, buffers),) = sent
    assert len(buffers) == 1
    head_size, data_size = content["deflate"]
    assert data_size == len(widget.events.data(0, 200))
    assert len(buffers[0]) < (head_size + data_size) / 3
    assert decode(sent) == [
        {
            "seq": e["seq"],
            "event": e["event"],
            "id": None,
            "t": e["t"],
            "data": e["data"],
            "raw": False,
        }
        for e in widget.events
    ]


async def test_events_of_small_event_size_or_more_go_as_they_are(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 50, pad=SMALL_EVENT_BYTES)
    widget._outbox.flush()
    ((content, buffers),) = sent
    assert "deflate" not in content
    assert len(buffers) == 2
    assert [e["seq"] for e in decode(sent)] == list(range(50))


def test_a_deflated_message_that_does_not_inflate_is_a_clear_error() -> None:
    headers, data = b"\x08\x00\x00\x02", b"{}"
    content = {"type": "append", "from": 0, "names": ["updates"], "deflate": [4, 2]}
    assert message_buffers(content, [deflate(headers, data)]) == (headers, data)
    with pytest.raises(ValueError, match="does not inflate"):
        message_buffers(content, [b"not deflate at all"])
    with pytest.raises(ValueError, match="inflates to 6 bytes, not 7"):
        message_buffers({**content, "deflate": [4, 3]}, [deflate(headers, data)])


async def test_a_lone_event_goes_out_on_the_next_loop_turn(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 1)
    await asyncio.sleep(0)
    assert [e["seq"] for e in decode(sent)] == [0]


async def test_steady_events_cost_at_most_30_comm_messages_per_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    comm: list[tuple[dict[str, Any], Any]] = []  # everything on the wire: updates, custom messages
    monkeypatch.setattr(
        TimelineWidget, "_send", lambda self, msg, buffers=None: comm.append((msg, buffers))
    )
    widget = TimelineWidget()
    comm.clear()
    started = time.monotonic()
    while time.monotonic() - started < 0.5:
        add_events(widget, 1)
        await asyncio.sleep(0.001)
    widget._outbox.flush()
    duration = time.monotonic() - started
    # Flushes are at least 1/14 s apart and each costs an append and a count update.
    assert len(comm) <= duration * 30 + 4
    appends = [
        (m["content"], message_buffers(m["content"], b)[0])
        for m, b in comm
        if m["method"] == "custom"
    ]
    seqs = [
        a["from"] + i for a, head in appends for i in range(len(decode_headers(a["names"], head)))
    ]
    assert seqs == list(range(len(widget.events)))  # every event once, in order
    assert widget.count == len(widget.events)


async def test_hello_answers_with_the_events_the_view_lacks(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 10)
    widget._outbox.flush()
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 4}, [])
    assert [e["seq"] for e in decode(sent)] == list(range(4, 10))
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 0}, [])  # a second view
    assert [e["seq"] for e in decode(sent)] == list(range(10))


async def test_hello_replies_are_cut_into_messages(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, MESSAGE_EVENTS * 2 + 5)
    widget._outbox.flush()
    sent.clear()
    widget._on_view_message(widget, {"type": "hello", "have": 0}, [])
    assert [content["from"] for content, _ in sent] == [0, MESSAGE_EVENTS, MESSAGE_EVENTS * 2]
    assert [e["seq"] for e in decode(sent)] == list(range(MESSAGE_EVENTS * 2 + 5))


async def test_raw_events_are_marked_in_their_header(sent: Sent) -> None:
    widget = TimelineWidget()
    widget._append("updates", "caf\ufffd".encode(), None, raw=True)
    widget._outbox.flush()
    ((content, buffers),) = sent
    headers, _ = message_buffers(content, buffers)
    assert decode_headers(content["names"], headers)[0][4:] == [1]
    assert widget.events[0]["raw"] is True


async def test_snapshot_is_written_once_when_the_run_ends(sent: Sent) -> None:
    widget = TimelineWidget()
    add_events(widget, 3)
    assert widget._snapshot == {}
    widget._finish("done")
    snap = widget._snapshot
    assert snap["omitted"] == 0
    assert [h[0] for h in decode_headers(snap["names"], snap["headers"])] == ["updates"] * 3
    assert b"".join(snap["data"]) == widget.events.data(0, 3)
    assert widget.status == "done"
    assert [e["seq"] for e in decode(sent)] == [0, 1, 2]  # flushed before the final state


def test_events_are_not_a_synced_trait() -> None:
    widget = TimelineWidget()
    synced = widget.keys
    assert "events" not in synced
    assert {"status", "count", "run_id", "thread_id", "assistant_id", "_snapshot"} <= set(synced)
