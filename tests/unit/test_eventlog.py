"""EventLog keeps events compactly and gives them back exactly as they came."""

from __future__ import annotations

import pytest

from lgwidget.eventlog import EventLog


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


def test_views_close_the_open_chunk_and_appending_moves_on() -> None:
    log = filled()
    (view,) = log.data_views(0, 2)
    log.append("updates", b'{"c":3}', None, 4.0)
    assert bytes(view) == b'{"run_id":"r"}{"a":1}'
    assert log.raw_data(5) == b'{"c":3}'
    with pytest.raises(TypeError):
        view[0] = 0  # read-only: the snapshot never changes under the log


def test_reads_across_closed_chunks() -> None:
    log = filled()
    log.data_views(0, 2)  # closes the open chunk: later events go to a new one
    log.append("updates", b'{"c":3}', None, 4.0)
    assert len(log._chunks) == 2
    assert log.data(5, 6) == b'{"c":3}'
    assert log.data(1, 6) == b'{"a":1}plain text{"b":2}{"c":3}'
    assert [bytes(v) for v in log.data_views(4, 6)] == [b'{"b":2}', b'{"c":3}']
    assert log.data_buffer(4, 6) == b'{"b":2}{"c":3}'  # two chunks: one joined copy
    assert log.data_views(6, 6) == []
