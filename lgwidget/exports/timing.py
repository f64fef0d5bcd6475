"""Timing: one span per task or node run, on the run's clock (the records' ``t``).

The same rules as the widget's waterfall (``js/src/model/timing.ts``); both
are tested against the golden cases of ``tests/golden/timing.json``. Best
source first:

- ``"debug"``: the ``task``/``task_result`` events of the ``debug`` mode carry
  server timestamps, so durations are exact. They are placed on the run clock
  by the first timestamped debug event (its server time = its arrival time).
  A timestamp without an offset is UTC.
- ``"tasks"``: the ``tasks`` mode's start and result events, by arrival time.
- ``"arrival"``: only ``updates`` were streamed. A node's span runs from the
  previous update of its namespace (or the run's start: ``t`` 0, or the
  ``metadata`` event that opens each run; a subgraph's first node: its
  parent's previous update) to its own update's arrival. An approximation:
  parallel nodes look sequential.

Task spans win: arrival spans are returned only when no task was seen. Spans
that overlap in time within a group (the node names of their namespace) get
different lanes. A record whose ``t`` is missing, null or not finite has no
arrival time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..wire.events import EventRecord

#: Joins the node names of a namespace into a group label ("team \u203a research").
GROUP_SEP = " \u203a "


@dataclass(slots=True)
class _Span:
    node: str
    ns: list[str]
    group: str
    start: float
    end: float | None
    source: str
    status: str
    step: int | float | None
    seq: int
    lane: int = 0

    def row(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "ns": self.ns,
            "group": self.group,
            "start": self.start,
            "end": self.end,
            "duration": None if self.end is None else max(0.0, self.end - self.start),
            "source": self.source,
            "status": self.status,
            "step": self.step,
            "seq": self.seq,
            "lane": self.lane,
        }


@dataclass(slots=True)
class _Task:
    name: str
    start_t: float | None = None
    end_t: float | None = None
    start_ts: datetime | None = None
    end_ts: datetime | None = None
    step: int | float | None = None
    status: str = "running"


class _Spans:
    """Spans of one source kind, each given a lane when added."""

    def __init__(self) -> None:
        self.spans: list[_Span] = []
        self._lanes: dict[str, list[_Span]] = {}

    def add(self, span: _Span) -> _Span:
        lanes = self._lanes.setdefault(span.group, [])
        free = (i for i, s in enumerate(lanes) if s.end is not None and s.end <= span.start)
        span.lane = next(free, len(lanes))
        if span.lane == len(lanes):
            lanes.append(span)
        else:
            lanes[span.lane] = span
        self.spans.append(span)
        return span


def _timestamp(value: Any) -> datetime | None:
    """An ISO timestamp; one without an offset is UTC (as the widget reads it)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _number(value: Any) -> int | float | None:
    """A finite number (not a bool), else None: a missing or null ``t`` is no time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return None


def _is_start(payload: dict[str, Any]) -> bool:
    return (
        "result" not in payload
        and "error" not in payload
        and ("input" in payload or "triggers" in payload)
    )


def _group(ns: list[str]) -> str:
    return GROUP_SEP.join(segment.split(":", 1)[0] for segment in ns)


class _Timing:
    def __init__(self) -> None:
        self.tasks = _Spans()
        self.arrival = _Spans()
        self._states: dict[tuple[str, str], _Task] = {}
        self._by_key: dict[tuple[str, str], _Span] = {}
        self._anchor: tuple[float, datetime] | None = None
        self._marks: dict[str, float] = {}

    def take(self, record: EventRecord) -> None:
        mode, data, t = record.get("mode"), record.get("data"), _number(record.get("t"))
        if mode == "tasks":
            self._task(record, data, None, None)
        elif mode == "debug" and isinstance(data, dict):
            ts = _timestamp(data.get("timestamp"))
            if self._anchor is None and ts is not None and t is not None:
                self._anchor = (t, ts)
            if data.get("type") in ("task", "task_result"):
                self._task(record, data.get("payload"), ts, data.get("step"))
        elif mode == "updates":
            self._update(record)
        elif mode == "metadata" and not record.get("ns") and t is not None:
            self._marks[""] = t

    def _task(self, record: EventRecord, payload: Any, ts: datetime | None, step: Any) -> None:
        if not isinstance(payload, dict):
            return
        task_id, name = payload.get("id"), payload.get("name")
        if not isinstance(task_id, str) or not isinstance(name, str):
            return
        ns = list(record.get("ns", []))
        key = ("|".join(ns), task_id)
        task = self._states.setdefault(key, _Task(name))
        t = _number(record.get("t"))
        step = _number(step)
        if step is not None:  # as sent (1.5 stays 1.5); 2.0 is 2
            task.step = int(step) if isinstance(step, float) and step.is_integer() else step
        if _is_start(payload):
            task.start_t, task.status = t, "running"
            task.start_ts = ts or task.start_ts  # tasks and debug both report a task
        else:
            task.end_t = t
            task.end_ts = ts or task.end_ts
            error, interrupts = payload.get("error"), payload.get("interrupts")
            if error not in (None, ""):
                task.status = "error"
            elif isinstance(interrupts, list) and interrupts:
                task.status = "interrupted"
            else:
                task.status = "done"
        times = self._times(task)
        if times is None:
            return
        start, end, source = times
        span = self._by_key.get(key)
        if span is None:
            # Named as the task was first reported (a later event may not have made a span).
            seq, status, step = record["seq"], task.status, task.step
            span = _Span(task.name, ns, _group(ns), start, end, source, status, step, seq)
            self._by_key[key] = self.tasks.add(span)
            return
        span.start, span.end, span.source = start, end, source
        span.step, span.status = task.step, task.status

    def _times(self, task: _Task) -> tuple[float, float | None, str] | None:
        anchor = self._anchor
        # On the server clock once the start has a timestamp (and the end too, once known).
        if (
            anchor is not None
            and task.start_ts is not None
            and (task.end_ts is not None or task.end_t is None)
        ):
            t0, ts0 = anchor

            def at(ts: datetime) -> float:
                return t0 + (ts - ts0).total_seconds()

            end = at(task.end_ts) if task.end_ts is not None else None
            return at(task.start_ts), end, "debug"
        start = task.start_t if task.start_t is not None else task.end_t
        if start is None:
            return None
        return start, task.end_t, "tasks"

    def _update(self, record: EventRecord) -> None:
        data, t = record.get("data"), _number(record.get("t"))
        if not isinstance(data, dict) or t is None:
            return
        ns = list(record.get("ns", []))
        start = self._mark(ns)
        self._marks["|".join(ns)] = t
        for node in data:
            if str(node).startswith("__"):
                continue  # __interrupt__, __metadata__: not nodes
            self.arrival.add(
                _Span(str(node), ns, _group(ns), start, t, "arrival", "done", None, record["seq"])
            )

    def _mark(self, ns: list[str]) -> float:
        for depth in range(len(ns), -1, -1):
            mark = self._marks.get("|".join(ns[:depth]))
            if mark is not None:
                return mark
        return 0.0


def timings(records: Iterable[EventRecord]) -> list[dict[str, Any]]:
    """The spans of a run, one dict per task (or node run), in the order their
    tasks (or updates) were first seen.

    Each row: ``node``, ``ns`` (the namespace path), ``group`` (its node names
    joined with :data:`GROUP_SEP`; "" for the root graph), ``start`` and ``end`` (seconds
    since the run started; ``end`` None while running), ``duration``,
    ``source`` (``"debug"``, ``"tasks"`` or ``"arrival"``), ``status``
    (``running``, ``done``, ``error``, ``interrupted``), ``step`` (from
    ``debug`` events, as sent), ``seq`` (the event that started the span) and
    ``lane`` (overlapping spans of a group get different lanes).
    """
    timing = _Timing()
    for record in records:
        timing.take(record)
    spans = timing.tasks.spans or timing.arrival.spans
    return [span.row() for span in spans]
