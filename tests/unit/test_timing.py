"""Timing derivation, checked against the golden cases shared with the widget.

tests/golden/timing.json holds the timing rules' cases (event records and the
spans expected); js/test/model-timing.test.ts checks js/src/model/timing.ts
against the same file. What the file cannot express is tested below it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from lgwidget import RunTimeline
from lgwidget.client.sse import SSEDecoder
from lgwidget.exports.timing import timings
from lgwidget.wire.events import EventRecord, make_record

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = json.loads((ROOT / "tests" / "golden" / "timing.json").read_text(encoding="utf-8"))
FIXTURES = ROOT / "js" / "test" / "fixtures"

#: The golden rows' keys. They are the Python rows' own: the mapping from a
#: row of lgwidget.exports.timing.timings() to a golden row is the identity (checked:
#: no key more, none less). The TS test maps its spans' keys in its own goldenRow().
GOLDEN_KEYS = (
    "node",
    "ns",
    "group",
    "start",
    "end",
    "duration",
    "source",
    "status",
    "step",
    "seq",
    "lane",
)
#: Compared to within the file's tolerance (seconds); every other key exactly.
TIMES = ("start", "end", "duration")


def golden_row(row: dict[str, Any]) -> dict[str, Any]:
    assert set(row) == set(GOLDEN_KEYS), sorted(set(row) ^ set(GOLDEN_KEYS))
    return {key: row[key] for key in GOLDEN_KEYS}


def within_tolerance(row: dict[str, Any]) -> dict[str, Any]:
    tolerance = GOLDEN["tolerance"]
    return {
        key: pytest.approx(value, abs=tolerance) if key in TIMES and value is not None else value
        for key, value in row.items()
    }


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[case["name"] for case in GOLDEN["cases"]])
def test_golden_case(case: dict[str, Any]) -> None:
    rows = [golden_row(row) for row in timings(case["events"])]
    assert rows == [within_tolerance(row) for row in case["expected"]]


def test_the_golden_file_covers_every_source_and_status() -> None:
    rows = [row for case in GOLDEN["cases"] for row in case["expected"]]
    assert {row["source"] for row in rows} == {"debug", "tasks", "arrival"}
    assert {row["status"] for row in rows} == {"running", "done", "error", "interrupted"}
    assert any(row["ns"] for row in rows)
    assert any(row["lane"] > 1 for row in rows)


# -- what the golden file cannot express ---------------------------------------------


@pytest.mark.parametrize("t", [math.nan, math.inf], ids=["nan", "inf"])
def test_a_time_that_is_not_finite_is_no_time(t: float) -> None:
    # JSON has no NaN: the golden file has t missing and null instead.
    start = {"id": "1", "name": "n", "input": {}, "triggers": []}
    records: list[EventRecord] = [
        {"seq": 0, "event": "tasks", "mode": "tasks", "ns": [], "data": start, "id": None, "t": t},
        {"seq": 1, "event": "updates", "mode": "updates", "ns": [], "data": {"n": {}}, "t": t},
    ]
    assert timings(records) == []


def parse_sse(name: str) -> list[EventRecord]:
    """A fixture's events as records, times 0.9 + 0.01 * seq."""
    decoder = SSEDecoder()
    messages = decoder.feed((FIXTURES / f"{name}.sse").read_bytes()) + decoder.close()
    return [make_record(i, m.event, m.body, m.id, 0.9 + 0.01 * i) for i, m in enumerate(messages)]


def ms(row: dict[str, Any]) -> float:
    return round(row["duration"] * 1e6) / 1e3


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
