"""Timing derivation: the same fixtures and expectations as js/test/model-timing.test.ts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lgwidget import RunTimeline
from lgwidget.client.sse import SSEDecoder
from lgwidget.exports.timing import GROUP_SEP, timings
from lgwidget.wire.events import EventRecord, make_record

#: The group of the research subgraph inside the nested graph's team node.
SUB = f"team{GROUP_SEP}research"
FIXTURES = Path(__file__).resolve().parents[2] / "js" / "test" / "fixtures"


def parse_sse(name: str, modes: set[str] | None = None) -> list[EventRecord]:
    """A fixture's events as records, times 0.9 + 0.01 * seq (as the JS tests'
    parseSse); with ``modes``, only those, renumbered."""
    decoder = SSEDecoder()
    messages = decoder.feed((FIXTURES / f"{name}.sse").read_bytes()) + decoder.close()
    kept = [m for m in messages if modes is None or m.event.split("|")[0] in modes]
    return [make_record(i, m.event, m.body, m.id, 0.9 + 0.01 * i) for i, m in enumerate(kept)]


def rec(seq: int, event: str, data: Any, t: float | None = None) -> EventRecord:
    return make_record(seq, event, json.dumps(data), None, 0.1 * seq if t is None else t)


def ms(row: dict[str, Any]) -> float:
    return round(row["duration"] * 1e6) / 1e3


def rows(spans: list[dict[str, Any]]) -> list[list[Any]]:
    return [[s["group"], s["node"], s["source"], s["lane"]] for s in spans]


def test_debug_timestamps_and_parallel_lanes() -> None:
    spans = timings(parse_sse("parallel"))
    assert rows(spans) == [
        ["", "plan", "debug", 0],
        ["", "fetch_a", "debug", 0],
        ["", "fetch_b", "debug", 1],
        ["", "fetch_c", "debug", 2],
        ["", "merge", "debug", 0],
    ]
    assert [ms(s) for s in spans] == [3.255, 66.218, 126.71, 36.702, 2.153]
    assert spans[0]["start"] == pytest.approx(0.91 + (0.608434 - 0.605955), abs=1e-6)
    assert spans[4]["start"] > spans[2]["end"]
    assert [s["step"] for s in spans] == [1, 2, 2, 2, 3]
    assert {s["status"] for s in spans} == {"done"}


def test_tasks_events_without_debug() -> None:
    spans = timings(parse_sse("parallel", {"metadata", "tasks", "updates"}))
    assert rows(spans) == [
        ["", "plan", "tasks", 0],
        ["", "fetch_a", "tasks", 0],
        ["", "fetch_b", "tasks", 1],
        ["", "fetch_c", "tasks", 2],
        ["", "merge", "tasks", 0],
    ]
    assert [ms(s) for s in spans] == [20, 60, 70, 20, 20]
    assert [s["seq"] for s in spans] == [1, 4, 5, 6, 13]


def test_subgraph_tasks_nest_inside_their_parent() -> None:
    spans = timings(parse_sse("nested"))
    assert [(s["group"], s["node"]) for s in spans] == [
        ("", "team"),
        ("team", "agent"),
        ("team", "tools"),
        ("team", "research"),
        (SUB, "read"),
        (SUB, "summarize"),
        ("team", "agent"),
    ]

    def inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
        return bool(inner["start"] >= outer["start"] and inner["end"] <= outer["end"])

    assert all(inside(s, spans[0]) for s in spans[1:])
    assert inside(spans[4], spans[3])
    assert inside(spans[5], spans[3])


def test_failing_task() -> None:
    spans = timings(parse_sse("tasks-error"))
    assert [(s["node"], s["status"], s["source"]) for s in spans] == [
        ("prepare", "done", "debug"),
        ("explode", "error", "debug"),
    ]


def test_running_task_and_lanes() -> None:
    spans = timings(
        [
            rec(0, "tasks", {"id": "1", "name": "slow", "input": {}, "triggers": []}),
            rec(1, "tasks", {"id": "2", "name": "quick", "input": {}, "triggers": []}),
            rec(2, "tasks", {"id": "2", "name": "quick", "result": {}, "error": None}),
            rec(3, "tasks", {"id": "3", "name": "next", "input": {}, "triggers": []}),
        ]
    )
    assert [(s["node"], s["end"], s["duration"], s["status"], s["lane"]) for s in spans] == [
        ("slow", None, None, "running", 0),
        ("quick", 0.2, pytest.approx(0.1), "done", 1),
        ("next", None, None, "running", 1),
    ]


def test_server_times_kept_whichever_mode_comes_first() -> None:
    def ts(ms: int) -> str:
        return (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).isoformat()

    start = {"id": "1", "name": "n", "input": {}, "triggers": []}
    end = {"id": "1", "name": "n", "result": {}, "error": None, "interrupts": []}
    spans = timings(
        [
            rec(0, "debug", {"type": "task", "step": 1, "timestamp": ts(0), "payload": start}),
            rec(1, "tasks", start),
            rec(
                2, "debug", {"type": "task_result", "step": 1, "timestamp": ts(250), "payload": end}
            ),
            rec(3, "tasks", end),
        ]
    )
    assert [(s["source"], ms(s), s["step"]) for s in spans] == [("debug", 250, 1)]


def test_arrival_gaps_for_updates_only() -> None:
    spans = timings(parse_sse("parallel", {"metadata", "updates"}))
    assert rows(spans) == [
        ["", "plan", "arrival", 0],
        ["", "fetch_c", "arrival", 0],
        ["", "fetch_a", "arrival", 0],
        ["", "fetch_b", "arrival", 0],
        ["", "merge", "arrival", 0],
    ]
    assert [(round(s["start"] * 100), round(s["end"] * 100)) for s in spans] == [
        (90, 91),
        (91, 92),
        (92, 93),
        (93, 94),
        (94, 95),
    ]


def test_arrival_gaps_in_subgraphs() -> None:
    spans = timings(parse_sse("nested", {"metadata", "updates"}))
    by = {s["node"]: s for s in spans if s["node"] != "agent"}
    assert by["read"]["start"] == by["tools"]["end"]
    assert by["read"]["group"] == SUB
    assert by["summarize"]["start"] == by["read"]["end"]
    assert by["research"]["start"] == by["tools"]["end"]
    assert by["team"]["start"] == pytest.approx(0.9)


def test_arrival_skips_interrupts_and_restarts_at_metadata() -> None:
    spans = timings(
        [
            rec(0, "metadata", {"run_id": "a"}, 0.5),
            rec(1, "updates", {"ask": {}}, 1),
            rec(2, "updates", {"__interrupt__": [{"value": "?"}]}, 1.5),
            rec(3, "metadata", {"run_id": "b"}, 10),
            rec(4, "updates", {"ask": {}, "tell": {}}, 12),
        ]
    )
    assert [(s["node"], s["start"], s["end"], s["lane"]) for s in spans] == [
        ("ask", 0.5, 1, 0),
        ("ask", 10, 12, 0),
        ("tell", 10, 12, 1),
    ]


def test_bad_payloads_are_skipped() -> None:
    spans = timings(
        [
            rec(0, "tasks", "not a task"),
            rec(1, "tasks", {"id": 1, "name": "n"}),
            rec(2, "debug", ["x"]),
            rec(3, "debug", {"type": "task", "timestamp": "yesterday", "payload": None}),
            rec(4, "updates", "text"),
        ]
    )
    assert spans == []


def test_run_timeline_timings() -> None:
    tl = RunTimeline()
    for r in parse_sse("parallel"):
        tl.add_message(r["event"], json.dumps(r["data"]))
    # Arrival times are whatever this loop took; server timestamps decide durations.
    spans = tl.timings()
    assert [(s["node"], s["source"], ms(s)) for s in spans] == [
        ("plan", "debug", 3.255),
        ("fetch_a", "debug", 66.218),
        ("fetch_b", "debug", 126.71),
        ("fetch_c", "debug", 36.702),
        ("merge", "debug", 2.153),
    ]
