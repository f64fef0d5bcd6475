"""EventLog keeps events compactly and gives them back exactly as they came."""

from __future__ import annotations

import pytest

from lgwidget.wire import eventlog
from lgwidget.wire.columns import IdColumn, IntColumn, id_key
from lgwidget.wire.eventlog import EventLog


def filled() -> EventLog:
    log = EventLog()
    log.append("metadata", b'{"run_id":"r"}', "1732491234567-0", 0.0123)
    log.append("updates|sub:1", b'{"a":1}', "0042-1", 0.5)  # leading zeros: kept as text
    log.append("", b"plain text", "custom-id", 1.0, raw=True)  # no name: "message"
    log.append("updates", b"", None, 2.0)
    log.append("updates", b'{"b":2}', f"{10**16}-0", 3.0)  # too long for a server id
    return log


def test_ids_names_times_and_data_come_back_as_they_came() -> None:
    log = filled()
    assert [log.event_id(i) for i in range(len(log))] == [
        "1732491234567-0",
        "0042-1",
        "custom-id",
        None,
        f"{10**16}-0",
    ]
    assert log.header(0) == ["metadata", "1732491234567-0", 0.012, 14]
    assert log.header(2) == ["message", "custom-id", 1.0, 10, 1]
    assert [log.raw_data(i) for i in range(len(log))] == [
        b'{"run_id":"r"}',
        b'{"a":1}',
        b"plain text",
        b"",
        b'{"b":2}',
    ]
    assert log[3]["data"] is None
    assert log[2]["data"] == "plain text"


def test_sizes_slices_and_rows() -> None:
    log = filled()
    assert log.data(1, 3) == b'{"a":1}plain text'
    assert [log.size(i) for i in range(len(log))] == [14, 7, 10, 0, 7]
    assert log.nbytes() == 38
    assert log.nbytes(1, 3) == 17
    assert log.nbytes(-1) == 7
    assert log.nbytes(4, 2) == 0
    assert [row[3:] for row in log.rows(1, 4)] == [(7, False), (10, True), (0, False)]


def test_views_never_change_as_appending_moves_on() -> None:
    log = filled()
    (view,) = log.data_views(0, 2)
    log.append("updates", b'{"c":3}', None, 4.0)
    assert bytes(view) == b'{"run_id":"r"}{"a":1}'
    assert log.raw_data(5) == b'{"c":3}'
    assert len(log._chunks) == 1  # views do not end a chunk: appends go on after them
    with pytest.raises(TypeError):
        view[0] = 0  # read-only: the snapshot never changes under the log


def test_chunks_double_and_reads_cross_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventlog, "FIRST_CHUNK_BYTES", 16)
    monkeypatch.setattr(eventlog, "MAX_CHUNK_BYTES", 32)
    log = EventLog()
    events = [b'{"run_id":"r"}', b'{"a":1}', b"", b'{"b":2}', b"x" * 40, b'{"c":3}', b"[4]"]
    views = []
    for i, data in enumerate(events):
        log.append("updates", data, None, float(i))
        views.append(log.data_views(0, i + 1))
    # 16 bytes, then 32 (twice, capped), and a chunk of its own for the 40-byte event.
    assert [len(chunk) for chunk in log._chunks] == [16, 32, 40, 32]
    assert [log.raw_data(i) for i in range(len(events))] == events
    assert log.data(0, len(events)) == b"".join(events)
    assert log.data(1, 4) == b'{"a":1}{"b":2}'  # across the first chunk's end
    assert [bytes(v) for v in log.data_views(3, 6)] == [b'{"b":2}', b"x" * 40, b'{"c":3}']
    (one,) = log.data_views(5, 7)
    assert one == b'{"c":3}[4]'
    assert one.obj is log._chunks[3]  # a view of the chunk, not a copy
    assert log.data_views(2, 3) == []
    assert log.data(2, 3) == b""
    for i, taken in enumerate(views):  # what was handed out never changed
        assert b"".join(taken) == b"".join(events[: i + 1])


def test_columns_widen_to_the_values_they_hold() -> None:
    column = IntColumn(signed=True)
    values = [0, -1, 127, 300, -70_000, 2**40, -(2**63)]
    for value in values:
        column.append(value)
    assert [column[i] for i in range(len(column))] == values
    assert column.items.typecode == "q"
    small = IntColumn(signed=False)
    small.append(255)
    assert small.items.typecode == "B"
    small.append(256)
    assert (small.items.typecode, list(small.items)) == ("H", [255, 256])
    with pytest.raises(OverflowError, match="out of range for unsigned 64-bit"):
        small.append(2**64)
    with pytest.raises(OverflowError):
        small.append(-1)
    assert list(small.items) == [255, 256]  # a refused value leaves the column as it was


def test_ids_come_back_in_any_order_and_sort_as_the_server_sent_them() -> None:
    ids = IdColumn()
    sent = [
        "1732491234567-0",
        "1732491234567-12",
        "1732491230000-0",  # older than the first: an offset below zero
        None,
        "custom-id",
        "9999999999999999-9999999999999999",
        "1-0",
        "17",  # the thread event stream's ids: numbers
        "0",
        "007",  # leading zeros: kept as text
        "99999999999999999",  # 17 digits: kept as text
    ]
    for event_id in sent:
        ids.append(event_id)
    assert [ids[i] for i in range(len(ids))] == sent
    assert ids[-2] == sent[-2]
    assert [ids.key(i) for i in range(len(ids))] == [id_key(i or "") for i in sent]
    # Nearly every event of a run costs a few bytes: milliseconds apart, small sequence numbers.
    run = IdColumn()
    for ms in range(1732491234567, 1732491234567 + 100_000, 7):
        run.append(f"{ms}-0")
    assert (run._ms.items.typecode, run._kinds.items.typecode) == ("i", "B")
    numbered = IdColumn()
    for n in range(1, 5000):
        numbered.append(str(n))
    assert numbered[4998] == "4999"
    assert numbered._text == {}  # no text kept for numbers


def test_times_are_kept_to_the_millisecond() -> None:
    log = EventLog()
    for t in (0.0, 0.0004, 0.0125, 3600.5, 86_400 * 30.0):
        log.append("updates", b"{}", None, t)
    assert [log.header(i)[2] for i in range(len(log))] == [0.0, 0.0, 0.012, 3600.5, 2_592_000.0]
