"""The persisted snapshot stays bounded, and big or deep events do not break it."""

from __future__ import annotations

import json

from lgwidget.eventlog import EventLog
from lgwidget.snapshot import (
    BUDGET_BYTES,
    EVENT_BYTES,
    STRING_CHARS,
    build_snapshot,
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
    assert len(snap["data"]) <= BUDGET_BYTES < payload
    kept = len(snap["events"])
    assert snap["omitted"] == 10_000 - kept
    assert kept > 3000  # 2 KB events are kept whole while the budget lasts
    assert snapshot_records(snap) == list(log[:kept])


def test_big_events_have_long_strings_clipped_with_a_marker() -> None:
    log = EventLog()
    log.append("updates", update(0, 10 * 2**20), None, 0.0)  # a 10 MB tool result
    log.append("updates", update(1, 100), None, 0.1)
    snap = build_snapshot(log)
    big, small = snapshot_records(snap)
    content = big["data"]["agent"]["messages"][0]["content"]
    assert content.startswith("x" * STRING_CHARS)
    assert "clipped in the saved notebook: 10,484,760 more characters" in content
    assert len(snap["data"]) < 2 * EVENT_BYTES
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
