"""Export and replay (to_jsonl, replay), to_dataframe and the text/plain listing.

Synthetic runs only: timelines filled by ``watch()`` of (event, data) pairs
and by ``add_message``; the real server's runs are in
tests/integration/test_export_server.py.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import math
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lgwidget
from lgwidget import LGWidgetStreamError, RunTimeline
from lgwidget.exports.jsonl import read_event
from lgwidget.exports.listing import LISTING_EVENTS, listing, summary_of
from lgwidget.wire.events import node_of, parse_json

DEPTH = 2000
DEEP = "[" * DEPTH + "]" * DEPTH  # deeper than Python's recursion limit

PAIRS: list[tuple[str, Any]] = [
    ("metadata", {"run_id": "r1", "attempt": 1}),
    (
        "updates",
        {
            "agent": {
                "messages": [
                    {
                        "type": "ai",
                        "content": "",
                        "tool_calls": [{"name": "search", "args": {"q": "la"}, "id": "c1"}],
                    }
                ]
            }
        },
    ),
    (
        "messages",
        [{"type": "AIMessageChunk", "content": "Sunny\nin LA"}, {"langgraph_node": "agent"}],
    ),
    ("updates|research:1a2b", {"read": {"notes": ["é", "日本"]}}),
    ("tasks", {"id": "t1", "name": "action", "input": {}, "triggers": ["x"]}),
    ("custom", "half way"),
    ("values", {"messages": [], "n": 1.5, "ok": True, "none": None}),
]


async def until(predicate: Callable[[], object], timeout: float = 5) -> None:
    """Poll ``predicate`` on the loop (the replay runs meanwhile)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


def depth(value: Any) -> int:
    """How deep ``value`` nests, without recursion."""
    level = 0
    while isinstance(value, list) and value:
        value, level = value[0], level + 1
    return level + 1 if isinstance(value, list) else level


async def synthetic_run() -> RunTimeline:
    """A finished run with every kind of data: JSON of many shapes, a raw
    event, data that is not JSON, invalid UTF-8, no data, ids, multi-line
    JSON and JSON nested 2,000 levels deep."""
    tl = await lgwidget.watch(
        PAIRS, url="http://lg.test", assistant_id="agent", thread_id="t1", run_id="r1"
    )
    tl.add_message("updates", "<html>not json</html>", "7-0")  # raw at read time
    tl.add_message("custom", "kept as text", "8-0", raw=True)  # raw on purpose
    tl.add_message("custom", b"\xff\xfe bytes", None, raw=True)  # invalid UTF-8
    tl.add_message("custom", b"")  # no data
    tl.add_message("values", '{\n  "a": 1,\n  "s": "two\\nlines"\n}')
    tl.add_message("custom", DEEP, "13-0")
    return tl


def records_without_deep(tl: RunTimeline) -> list[Any]:
    return [r if r["seq"] != 12 else {**r, "data": "<deep>"} for r in tl.events]


# -- to_jsonl --------------------------------------------------------------------


async def test_the_file_is_a_header_then_one_line_per_event(tmp_path: Path) -> None:
    tl = await synthetic_run()
    path = tmp_path / "run.jsonl"
    assert tl.to_jsonl(path) == len(tl.events) == 13
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""  # every line ends with a newline
    header = json.loads(lines[0])
    assert header == {
        "lgwidget": 1,
        "url": "http://lg.test",
        "assistant_id": "agent",
        "thread_id": "t1",
        "run_id": "r1",
        "status": "done",
        "started": tl.started,
        "elapsed": tl.elapsed,
        "error": "",
        "interrupts": [],
        "paused_at": [],
        # One section, the watched list; no supersteps: watch has no server.
        "runs": [
            {
                "run_id": "r1",
                "first": 0,
                "start": 0.0,
                "started_by": {"kind": "watch", "value": "list"},
                "status": "done",
                "elapsed": tl.runs[0]["elapsed"],
            }
        ],
        "steps": [],
        "count": 13,
    }
    rows = [parse_json(line) for line in lines[1:-1]]
    assert [list(row) for row in rows[:2]] == [["seq", "event", "id", "t", "data"]] * 2
    for row, record in zip(rows, tl.events, strict=True):
        assert (row["seq"], row["event"], row["id"], row["t"]) == (
            record["seq"],
            record["event"],
            record["id"],
            record["t"],
        )
        assert row.get("raw", False) == record.get("raw", False)
    # JSON data is inserted as it arrived, bytes and all.
    assert lines[2].endswith(b',"data":' + tl.events.raw_data(1) + b"}")
    assert lines[13].endswith(b',"data":' + DEEP.encode() + b"}")
    assert depth(rows[12]["data"]) == DEPTH
    # Not JSON: a JSON string marked raw; no data: null.
    assert rows[7]["data"] == "<html>not json</html>"
    assert rows[7]["raw"] is True
    assert rows[9]["data"] == "\ufffd\ufffd bytes"
    assert rows[10]["data"] is None
    assert "raw" not in rows[10]
    # Line breaks between JSON tokens would split the line: they become spaces.
    assert rows[11]["data"] == {"a": 1, "s": "two\nlines"}


async def test_writing_goes_line_by_line_to_a_file_object() -> None:
    tl = await synthetic_run()

    class Recorder(io.BytesIO):
        def __init__(self) -> None:
            super().__init__()
            self.writes: list[bytes] = []

        def write(self, data: Any) -> int:
            self.writes.append(bytes(data))
            return super().write(data)

    out = Recorder()
    tl.to_jsonl(out)
    # One write per line: the file is never built as one string.
    assert len(out.writes) == 14
    assert all(chunk.count(b"\n") == 1 and chunk.endswith(b"\n") for chunk in out.writes)
    assert not out.closed  # a file object stays the caller's


async def test_deep_json_is_written_without_recursion_error(tmp_path: Path) -> None:
    tl = lgwidget.RunTimeline()
    tl.add_message("custom", "[" * 15_000 + "]" * 15_000)
    tl.add_message("custom", '{"a":' * 3000 + "1" + "}" * 3000)
    tl._finish("done")
    tl.to_jsonl(tmp_path / "deep.jsonl")
    replayed = await lgwidget.replay(tmp_path / "deep.jsonl", speed=math.inf)
    assert [replayed.events.raw_data(i) for i in range(2)] == [
        tl.events.raw_data(i) for i in range(2)
    ]


# -- replay ----------------------------------------------------------------------


async def test_replay_reproduces_the_saved_run(tmp_path: Path) -> None:
    tl = await synthetic_run()
    tl.to_jsonl(tmp_path / "run.jsonl")
    replayed = await lgwidget.replay(tmp_path / "run.jsonl", speed=math.inf)
    assert replayed is not tl
    assert isinstance(replayed, RunTimeline)
    for name in ("url", "assistant_id", "thread_id", "run_id", "status", "started", "elapsed"):
        assert getattr(replayed, name) == getattr(tl, name), name
    assert replayed.count == len(replayed.events) == len(tl.events)
    # Same seq, event names, ids, data and t (exactly: a replay keeps the saved clock).
    assert records_without_deep(replayed) == records_without_deep(tl)
    assert replayed.events.raw_data(12) == tl.events.raw_data(12)
    assert depth(replayed.events[12]["data"]) == DEPTH
    assert replayed._snapshot["headers"]  # the saved-notebook snapshot is written too


async def test_replay_reads_gzip_and_file_objects(tmp_path: Path) -> None:
    tl = await synthetic_run()
    with gzip.open(tmp_path / "run.jsonl.gz", "wb") as file:
        tl.to_jsonl(file)
    with gzip.open(tmp_path / "run.jsonl.gz", "rb") as file:
        replayed = await lgwidget.replay(file, speed=0)
    assert records_without_deep(replayed) == records_without_deep(tl)


def test_replay_in_a_plain_script_runs_to_the_end(tmp_path: Path) -> None:
    # No running loop here: like stream(), replay() returns the finished timeline.
    tl = lgwidget.watch(PAIRS)
    tl.to_jsonl(tmp_path / "run.jsonl")
    replayed = lgwidget.replay(tmp_path / "run.jsonl", speed=0)
    assert replayed.status == "done"
    assert list(replayed.events) == list(tl.events)


def paced_file(path: Path, times: list[float]) -> Path:
    """A run file written by hand: one ``custom`` event at each of ``times``."""
    header = {"lgwidget": 1, "assistant_id": "paced", "status": "done", "elapsed": times[-1] + 0.05}
    lines = [json.dumps(header)]
    lines += [
        json.dumps({"seq": i, "event": "custom", "id": None, "t": t, "data": t})
        for i, t in enumerate(times)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("speed", "least", "most"), [(1.0, 0.6, 1.5), (3.0, 0.2, 0.55), (math.inf, 0.0, 0.2)]
)
async def test_replay_keeps_the_original_pace_divided_by_speed(
    tmp_path: Path, speed: float, least: float, most: float
) -> None:
    times = [0.0, 0.3, 0.6]
    path = paced_file(tmp_path / "paced.jsonl", times)
    began = time.monotonic()
    replayed = lgwidget.replay(path, speed=speed)
    seen: list[tuple[int, float]] = []  # (events, wall time) as they arrive
    while replayed.status not in ("done", "error"):
        if len(replayed.events) > len(seen):
            seen.append((len(replayed.events), time.monotonic() - began))
        await asyncio.sleep(0.005)
    took = time.monotonic() - began
    assert least <= took <= most
    if math.isfinite(speed):  # the second event comes at 0.3 s / speed, not at once
        second = next(wall for count, wall in seen if count >= 2)
        assert second >= 0.3 / speed - 0.01
    # Whatever the speed, the events keep their saved t and the run its elapsed.
    assert [e["t"] for e in replayed.events] == times
    assert replayed.elapsed == pytest.approx(0.65)


async def save_with_status(path: Path, status: str, **traits: Any) -> Path:
    tl = await lgwidget.watch(PAIRS[:2], url="http://127.0.0.1:9", run_id="r1", thread_id="t1")
    tl.status = status
    for name, value in traits.items():
        setattr(tl, name, value)
    tl.to_jsonl(path)
    return path


async def test_a_failed_run_replays_as_a_failure(tmp_path: Path) -> None:
    tl = lgwidget.watch(
        [("updates", {"a": {}}), ("error", {"error": "ValueError", "message": "x"})]
    )
    with pytest.raises(LGWidgetStreamError) as failed:
        await tl.wait()
    tl.to_jsonl(tmp_path / "failed.jsonl")
    replayed = lgwidget.replay(tmp_path / "failed.jsonl", speed=0)
    with pytest.raises(LGWidgetStreamError) as again:
        await replayed.wait()
    assert str(again.value) == str(failed.value) == "ValueError: x"
    assert again.value.timeline is replayed
    assert (replayed.status, replayed.error) == ("error", tl.error)
    assert list(replayed.events) == list(tl.events)


async def test_an_interrupted_run_replays_with_its_interrupts(tmp_path: Path) -> None:
    interrupts = [{"id": "i1", "value": {"question": "send?"}}]
    path = await save_with_status(
        tmp_path / "paused.jsonl", "interrupted", interrupts=interrupts, paused_at=["review"]
    )
    replayed = await lgwidget.replay(path, speed=0)
    assert (replayed.status, replayed.interrupts, replayed.paused_at) == (
        "interrupted",
        interrupts,
        ["review"],
    )
    with pytest.raises(lgwidget.LGWidgetError, match=r"not started by lgwidget\.stream"):
        replayed.resume("yes")


@pytest.mark.parametrize(
    ("saved", "ends"), [("cancelled", "cancelled"), ("streaming", "cancelled")]
)
async def test_cancelled_and_live_saves_replay_as_cancelled(
    tmp_path: Path, saved: str, ends: str
) -> None:
    replayed = await lgwidget.replay(await save_with_status(tmp_path / "s.jsonl", saved), speed=0)
    assert (replayed.status, replayed.error, len(replayed.events)) == (ends, "", 2)


async def test_an_error_event_under_another_status_does_not_fail_the_replay(
    tmp_path: Path,
) -> None:
    tl = RunTimeline()
    tl.add_message("error", '{"error": "Stopped"}')
    tl._finish("cancelled")
    tl.to_jsonl(tmp_path / "stopped.jsonl")
    replayed = await lgwidget.replay(tmp_path / "stopped.jsonl", speed=0)
    assert (replayed.status, replayed.error) == ("cancelled", "")


async def test_stop_ends_a_replay_without_calling_the_server(tmp_path: Path) -> None:
    # The header names a server, a thread and a run: a Stop that called it
    # would fail (nothing listens on port 9) and turn the status into error.
    path = paced_file(tmp_path / "slow.jsonl", [0.0, 5.0])
    header = json.loads(path.read_bytes().split(b"\n")[0])
    header.update(url="http://127.0.0.1:9", thread_id="t1", run_id="r1")
    rest = path.read_bytes().split(b"\n", 1)[1]
    path.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    replayed = lgwidget.replay(path)
    await until(lambda: replayed.events)
    replayed.cancel()
    await asyncio.wait_for(replayed.wait(), 2)
    await asyncio.sleep(0.05)  # a detached server cancel would have failed by now
    assert (replayed.status, replayed.error, len(replayed.events)) == ("cancelled", "", 1)


async def test_stop_without_a_run_id_ends_a_replay_too(tmp_path: Path) -> None:
    replayed = lgwidget.replay(paced_file(tmp_path / "slow.jsonl", [0.0, 5.0]))
    await until(lambda: replayed.events)
    replayed.cancel()
    await asyncio.wait_for(replayed.wait(), 2)
    assert replayed.status == "cancelled"


def test_replay_refuses_what_is_not_a_run_file(tmp_path: Path) -> None:
    (tmp_path / "other.jsonl").write_text('{"a": 1}\n')
    with pytest.raises(ValueError, match="not an lgwidget run file"):
        lgwidget.replay(tmp_path / "other.jsonl")
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(ValueError, match="not an lgwidget run file"):
        lgwidget.replay(tmp_path / "empty.jsonl")
    (tmp_path / "newer.jsonl").write_text('{"lgwidget": 2}\n')
    with pytest.raises(ValueError, match="format 2"):
        lgwidget.replay(tmp_path / "newer.jsonl")
    with pytest.raises(ValueError, match="speed"):
        lgwidget.replay(tmp_path / "newer.jsonl", speed=-1)


async def test_a_broken_or_cut_file_fails_the_replay_and_names_the_line(tmp_path: Path) -> None:
    tl = await synthetic_run()
    tl.to_jsonl(tmp_path / "run.jsonl")
    lines = (tmp_path / "run.jsonl").read_bytes().split(b"\n")
    (tmp_path / "broken.jsonl").write_bytes(b"\n".join([*lines[:3], b"{oops", *lines[3:]]))
    replayed = lgwidget.replay(tmp_path / "broken.jsonl", speed=0)
    with pytest.raises(LGWidgetStreamError, match=r"broken\.jsonl, line 4: "):
        await replayed.wait()
    assert len(replayed.events) == 2  # what came before stays
    (tmp_path / "cut.jsonl").write_bytes(b"\n".join(lines[:5]))
    with pytest.raises(LGWidgetStreamError, match="ends after 4 of its 13 events"):
        await lgwidget.replay(tmp_path / "cut.jsonl", speed=0)


def test_read_event_takes_other_field_orders() -> None:
    # Another writer may put data first; its value is then written anew.
    line = b'{"data": {"b": [1, 2]}, "t": 1.5, "event": "updates", "id": "3-0", "seq": 3}'
    assert read_event(line) == ("updates", b'{"b":[1,2]}', "3-0", 1.5, False)
    raw = b'{"data": "<p>", "raw": true, "event": "custom", "t": 0}'
    assert read_event(raw) == ("custom", b"<p>", None, 0.0, True)
    # A "data" key inside an earlier field is not mistaken for the data.
    tricky = b'{"event":"x","id":null,"t":0,"meta":{"k":1,"data":2},"data":[3]}'
    assert read_event(tricky) == ("x", b"[3]", None, 0.0, False)
    with pytest.raises(ValueError, match="not an event line"):
        read_event(b'{"event": "x"}')
    for t in (b"NaN", b"Infinity", b"-1e300"):
        with pytest.raises(ValueError, match="not a number of seconds a run can take"):
            read_event(b'{"event":"x","t":' + t + b',"data":1}')


async def test_a_time_no_run_can_take_fails_the_replay_at_its_line(tmp_path: Path) -> None:
    tl = await synthetic_run()
    tl.to_jsonl(tmp_path / "run.jsonl")
    lines = (tmp_path / "run.jsonl").read_bytes().split(b"\n")
    lines[3] = re.sub(rb'"t": ?[0-9.e-]+', b'"t":Infinity', lines[3])
    (tmp_path / "forever.jsonl").write_bytes(b"\n".join(lines))
    replayed = lgwidget.replay(tmp_path / "forever.jsonl")  # paced: would wait forever
    with pytest.raises(LGWidgetStreamError, match=r"forever\.jsonl, line 4: t is not"):
        await replayed.wait()
    assert len(replayed.events) == 2  # what came before stays


# -- to_dataframe ----------------------------------------------------------------


async def test_to_dataframe_has_a_row_per_event() -> None:
    pytest.importorskip("pandas")
    tl = await lgwidget.watch(
        [
            *PAIRS,
            ("updates", {"__interrupt__": [{"value": "ok?", "id": "i1"}]}),
            ("debug", {"type": "task", "step": 1, "payload": {"name": "agent"}}),
            ("messages/metadata", {"m1": {"metadata": {"langgraph_node": "agent"}}}),
        ]
    )
    tl.add_message("updates", "<not json>", "9-0")
    frame = tl.to_dataframe()
    assert list(frame.columns) == ["seq", "event", "mode", "ns", "node", "t", "id", "data", "raw"]
    assert list(frame["seq"]) == list(range(len(tl.events)))
    assert list(frame["node"]) == [
        None,
        "agent",
        "agent",
        "read",
        "action",
        None,
        None,
        "__interrupt__",
        "agent",
        "agent",
        None,
    ]
    assert frame["ns"][3] == ["research:1a2b"]
    assert frame["mode"][3] == "updates"
    assert frame["data"][6] == PAIRS[6][1]
    assert frame["id"][0] is None
    assert frame["id"][10] == "9-0"
    assert list(frame["raw"]) == [False] * 10 + [True]
    assert list(frame["t"]) == [e["t"] for e in tl.events]
    assert str(frame["seq"].dtype) == "int64"
    assert str(frame["t"].dtype) == "float64"
    empty = RunTimeline().to_dataframe()
    assert len(empty) == 0
    assert (str(empty["seq"].dtype), str(empty["t"].dtype)) == ("int64", "float64")


def test_to_dataframe_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'lgwidget\[pandas\]'"):
        RunTimeline().to_dataframe()


def test_node_of_reads_the_payloads_that_name_one() -> None:
    assert node_of({"mode": "updates", "data": {"a": {}, "b": {}}}) == "a, b"
    assert node_of({"mode": "updates", "data": {}}) is None
    assert node_of({"mode": "messages", "data": [{}, {}]}) is None
    assert node_of({"mode": "tasks", "data": {"name": "t"}, "raw": True}) is None
    assert node_of({"mode": "events", "data": {"metadata": {"langgraph_node": "n"}}}) == "n"
    assert node_of({"mode": "custom", "data": {"name": "x"}}) is None


# -- the text/plain repr -----------------------------------------------------------


async def test_repr_lists_the_run_line_by_line() -> None:
    tl = await synthetic_run()
    lines = repr(tl).split("\n")
    assert lines[0] == (
        f"RunTimeline  assistant=agent  run=r1  thread=t1  status=done  events=13  "
        f"elapsed={tl.elapsed:.3f}s  url=http://lg.test"
    )
    assert lines[1].split() == ["seq", "+t", "event", "node", "summary"]
    rows = lines[2:]
    assert len(rows) == 13
    t1 = f"+{tl.events[1]['t']:.3f}"
    assert rows[1].split()[:4] == ["1", t1, "updates", "agent"]
    assert rows[1].endswith("ai → search()")
    assert rows[2].endswith('AIMessageChunk "Sunny in LA"')
    # Subgraph events without their task ids; the node of the update.
    assert rows[3].split()[2:5] == ["updates|research", "read", "{notes}"]
    assert rows[4].split()[2:] == ["tasks", "action", "start"]
    assert rows[5].endswith('"half way"')
    assert rows[6].endswith("no messages (+ n, ok, none)")
    assert rows[7].endswith('raw "<html>not json</html>"')
    assert rows[10].split() == ["10", f"+{tl.events[10]['t']:.3f}", "custom", "-"]
    assert rows[12].endswith("[1 item]")  # the deep event, read at its top only
    # Columns line up.
    assert lines[1].index("event") == rows[0].index("metadata") == rows[9].index("custom")
    assert lines[1].index("summary") == rows[1].index("ai →") == rows[0].index("run_id")


async def test_repr_is_capped_and_names_errors_and_pauses() -> None:
    tl = RunTimeline("http://lg.test", "agent")
    for i in range(LISTING_EVENTS + 25):
        tl.add_message("custom", json.dumps({"i": i}))
    tl.add_message("custom", json.dumps({"big": "x" * 2_000_000}))
    tl._fail(LGWidgetStreamError("boom"))
    lines = repr(tl).split("\n")
    assert "status=error" in lines[0]
    assert lines[1] == "error: boom"
    assert len(lines) == 3 + LISTING_EVENTS + 1
    assert lines[-1] == "… 26 more events"
    assert "(2,000,011 bytes of data)" in listing(tl, limit=LISTING_EVENTS + 26)
    paused = RunTimeline("", "approval")
    paused.add_message("updates", '{"__interrupt__": [{"value": {"question": "send?"}}]}')
    paused.paused_at = ["review"]
    paused._finish("interrupted")
    text = repr(paused).split("\n")
    assert text[1] == "paused at: review"
    assert text[-1].endswith("__interrupt__  interrupt: {question}")


def test_repr_of_a_new_timeline_is_one_line() -> None:
    assert repr(RunTimeline("http://lg.test", "agent")) == (
        "RunTimeline  assistant=agent  status=connecting  events=0  url=http://lg.test"
    )


async def test_the_widget_view_and_the_listing_are_both_in_the_display() -> None:
    from IPython.core.formatters import DisplayFormatter

    tl = await lgwidget.watch(PAIRS)
    data, _metadata = DisplayFormatter().format(tl)  # type: ignore[no-untyped-call]
    # Jupyter shows the widget; text/plain is what terminals, logs and nbval see.
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == tl.model_id
    assert data["text/plain"] == repr(tl)
    assert data["text/plain"].count("\n") == len(PAIRS) + 1


def test_summaries_of_other_modes() -> None:
    def summary(mode: str, data: Any) -> str:
        return summary_of({"mode": mode, "data": data})

    assert summary("error", {"error": "ValueError", "message": "bad"}) == "ValueError: bad"
    assert summary("note", {"message": "reconnected"}) == "reconnected"
    assert summary("tasks", {"name": "a", "result": []}) == "result"
    assert summary("tasks", {"name": "a", "error": "boom"}) == "error: boom"
    assert summary("checkpoints", {"metadata": {"step": 2, "source": "loop"}, "next": ["b"]}) == (
        "step 2 (loop), next: b"
    )
    assert summary("debug", {"type": "checkpoint", "step": 3}) == "checkpoint step 3"
    assert summary("events", {"event": "on_tool_end", "name": "search"}) == "on_tool_end search"
    assert summary("messages/partial", [{"type": "ai", "content": [{"text": "hi"}]}]) == 'ai "hi"'
    assert summary("values", {"messages": [{"type": "human", "content": "q"}] * 2}) == (
        '2 messages, last: human "q"'
    )
    assert summary("custom", 42) == "42"
    assert summary("custom", list(range(5))) == "[5 items]"
    assert summary("custom", {str(i): i for i in range(8)}) == "{0, 1, 2, 3, 4, 5, …}"
    assert summary("custom", "x" * 100) == '"' + "x" * 59 + '…"'
