"""The persisted snapshot stays bounded, and big or deep events do not break it."""

from __future__ import annotations

import base64
import json

from ipywidgets.widgets.widget import _put_buffers, _remove_buffers
from js_fixtures import check_fixture

from lgwidget.timeline.widget import TimelineWidget
from lgwidget.wire.eventlog import EventLog
from lgwidget.wire.snapshot import (
    BUDGET_BYTES,
    EVENT_BYTES,
    STRING_CHARS,
    build_snapshot,
    snapshot_data,
    snapshot_headers,
    snapshot_records,
)


def update(i: int, size: int) -> bytes:
    return json.dumps(
        {"agent": {"messages": [{"type": "ai", "content": "x" * size, "n": i}]}}
    ).encode()


def test_ten_thousand_events_of_2_kb_fit_the_budget_as_a_prefix() -> None:
    log = EventLog()
    for i in range(10_000):
        log.append("updates", update(i, 2000), None, i / 1000)
    payload = log.nbytes()
    snap = build_snapshot(log)
    assert len(snapshot_data(snap)) <= BUDGET_BYTES < payload
    kept = len(snapshot_headers(snap))
    assert snap["omitted"] == 10_000 - kept
    assert kept > 3000  # 2 KB events are kept whole while the budget lasts
    assert snapshot_records(snap) == list(log[:kept])
    assert len(snap["headers"]) < 6 * kept  # binary headers: a few bytes an event


def test_unclipped_events_share_the_logs_memory() -> None:
    log = EventLog()
    for i in range(3):
        log.append("updates", update(i, 100), f"1732491234567-{i}", i / 10)
    (view,) = build_snapshot(log)["data"]
    assert isinstance(view, memoryview)
    assert view.obj is log._chunks[0]  # a view of the log's bytes, not a copy
    assert view.readonly
    assert bytes(view) == log.data(0, 3)


def test_the_log_grows_in_a_new_chunk_while_a_snapshot_holds_its_bytes() -> None:
    log = EventLog()
    log.append("updates", update(0, 100), None, 0.0)
    snap = build_snapshot(log)
    before = bytes(snap["data"][0])
    log.append("updates", update(1, 100), None, 0.1)  # a resumed run appends more
    assert bytes(snap["data"][0]) == before  # the old snapshot is untouched
    assert snap["data"][0].obj is log._chunks[0]  # kept, not copied
    assert log[1]["data"] == json.loads(update(1, 100))
    assert snapshot_records(build_snapshot(log)) == list(log)


def test_events_after_the_first_clipped_one_are_copied_after_the_shared_prefix() -> None:
    log = EventLog()
    log.append("updates", update(0, 100), None, 0.0)
    log.append("updates", update(1, 10_000), None, 0.1)
    log.append("updates", update(2, 100), None, 0.2)
    shared, tail = build_snapshot(log)["data"]
    assert isinstance(shared, memoryview)
    assert shared.obj is log._chunks[0]
    assert bytes(shared) == log.raw_data(0)
    assert isinstance(tail, bytes)
    assert tail.endswith(log.raw_data(2))
    assert len(tail) < EVENT_BYTES + 200


def test_the_older_snapshot_shape_still_reads() -> None:
    """Notebooks saved before transport v3 keep JSON headers and one data buffer."""
    first, second = update(0, 10), b"caf\xc3\xa9"
    old = {
        "events": [["updates", "1-0", 0.5, len(first)], ["custom", None, 1.0, len(second), 1]],
        "data": first + second,
        "omitted": 0,
    }
    a, b = snapshot_records(old)
    assert (a["event"], a["id"], a["t"], a["data"]) == ("updates", "1-0", 0.5, json.loads(first))
    assert (b["event"], b["raw"], b["data"]) == ("custom", True, "café")


def test_ids_times_and_raw_flags_survive_the_binary_headers() -> None:
    log = EventLog()
    log.append("metadata", b'{"run_id": "r"}', "1732491234567-0", 0.0)
    log.append("updates|sub:1", b"not json", "custom-id", 0.25, raw=True)
    log.append("updates", b"{}", None, 1.5)
    assert snapshot_records(build_snapshot(log)) == list(log)


def test_the_snapshot_travels_as_binary_buffers() -> None:
    """What ipywidgets sends: the headers and data leave the JSON state as buffers."""
    widget = TimelineWidget()
    widget._append("updates", update(0, 100), "1732491234567-0")
    widget._finish("done")
    state, paths, buffers = _remove_buffers({"_snapshot": widget._snapshot})
    assert state["_snapshot"]["data"] == [None]
    assert sorted(map(tuple, paths)) == [("_snapshot", "data", 0), ("_snapshot", "headers")]
    received = json.loads(json.dumps(state))  # the JSON part, as the front end gets it
    _put_buffers(received, paths, [bytes(b) for b in buffers])
    assert snapshot_records(received["_snapshot"]) == list(widget.events)


def test_big_events_have_long_strings_clipped_with_a_marker() -> None:
    log = EventLog()
    log.append("updates", update(0, 10 * 2**20), None, 0.0)  # a 10 MB tool result
    log.append("updates", update(1, 100), None, 0.1)
    snap = build_snapshot(log)
    big, small = snapshot_records(snap)
    content = big["data"]["agent"]["messages"][0]["content"]
    assert content.startswith("x" * STRING_CHARS)
    assert "clipped in the saved notebook: 10,484,760 more characters" in content
    assert len(snapshot_data(snap)) < 2 * EVENT_BYTES
    assert small == log[1]  # small events are kept as they came
    assert log[0]["data"]["agent"]["messages"][0]["content"] == "x" * (10 * 2**20)  # kernel: whole


def test_json_nested_2000_levels_is_read_and_snapshotted_without_recursion_errors() -> None:
    deep = '"bottom"'
    for level in range(2000):
        deep = f'{{"l{level}": [{deep}, "{"y" * 3}"]}}'
    log = EventLog()
    log.append("custom", deep.encode(), None, 0.0)
    record = log[0]
    assert "raw" not in record  # parsed, not given up on
    node, depth = record["data"], 0
    while isinstance(node, dict):
        node = next(iter(node.values()))[0]
        depth += 1
    assert (depth, node) == (2000, "bottom")
    # Too deep to write back as JSON: the snapshot keeps its start as text.
    (saved,) = snapshot_records(build_snapshot(log))
    assert saved["raw"] is True
    assert saved["data"].startswith(deep[: EVENT_BYTES - 4])
    assert "clipped in the saved notebook" in saved["data"]


def js_fixture() -> str:
    """A snapshot as the kernel writes it (a shared prefix, then a clipped
    event and what follows it) and the records it holds, for js/test."""
    log = EventLog()
    log.append("metadata", b'{"run_id":"r-1"}', "1732491234567-0", 0.012)
    log.append("updates|sub:1", '{"a":"é"}'.encode(), "1732491234567-1", 0.013)
    log.append("custom", b"not json \xc3\xa9", "custom-id", 0.5, raw=True)
    log.append("updates", json.dumps({"tools": {"result": "y" * 5000}}).encode(), None, 1.25)
    log.append("values", b'{"n":1}', "1732491239000-7", 4.5)
    snap = build_snapshot(log)
    return (
        json.dumps(
            {
                "names": snap["names"],
                "headers": base64.b64encode(snap["headers"]).decode(),
                "data": [base64.b64encode(chunk).decode() for chunk in snap["data"]],
                "omitted": snap["omitted"],
                "expected": [dict(record) for record in snapshot_records(snap)],
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def test_the_js_fixture_is_current() -> None:
    check_fixture("snapshot-v3.json", js_fixture(), "tests/unit/test_snapshot.py")
