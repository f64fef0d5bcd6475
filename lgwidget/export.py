"""Keep and share a run: JSON Lines files and their replay, a pandas DataFrame,
and the plain-text listing that is a timeline's ``repr``.

The file (:func:`write_jsonl`, ``tl.to_jsonl(path)``) is one JSON object per
line. The first line is the header::

    {"lgwidget": 1, "url": ..., "assistant_id": ..., "thread_id": ..., "run_id": ...,
     "status": ..., "started": <epoch ms>, "elapsed": <s>, "error": ..., "interrupts": [...],
     "paused_at": [...], "count": <events that follow>}

then one line per event, in arrival order, with ``data`` last::

    {"seq": 0, "event": "updates", "id": null, "t": 0.912, "data": {...}}

The data is the event's JSON text as it arrived, inserted as is (so nesting of
any depth costs nothing to write and reads back byte for byte, line breaks
between tokens aside); data that is not JSON is a JSON string with
``"raw": true``. :func:`replay` reads such a file into a new timeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from .errors import LGWidgetStreamError
from .eventlog import EventLog
from .events import EventRecord, make_record, parse_json, split_event_name
from .timeline import FINAL_STATUSES, Feed, RunTimeline

if TYPE_CHECKING:
    import pandas

#: The version of the file format, the header's ``"lgwidget"`` value.
FORMAT = 1


class BinaryWriter(Protocol):
    """A binary file object to write to: ``open(p, "wb")``, ``gzip.open(p, "wb")``, ``BytesIO``."""

    def write(self, data: bytes, /) -> object: ...


class BinaryReader(Protocol):
    """A binary file object to read lines from: ``open(p, "rb")``, ``gzip.open(p, "rb")``, ..."""

    def readline(self, size: int = -1, /) -> bytes: ...

    def __iter__(self) -> Iterator[bytes]: ...


#: Where :func:`write_jsonl` writes: a path, or a binary file object (left open).
WriteTarget: TypeAlias = "str | os.PathLike[str] | BinaryWriter"
#: What :func:`replay` reads: a path, or a binary file object (left open).
ReadSource: TypeAlias = "str | os.PathLike[str] | BinaryReader"

# What separates an event line's fields from its data (see write_jsonl): a
# JSON string never holds an unescaped quote, so this cannot occur inside one.
_DATA_KEY = b',"data":'

# A replay lets the loop run (the widget's outbox, the kernel's other tasks)
# at least after this many events, even as fast as possible.
_YIELD_EVERY = 256

# How often a paced replay waiting for its next event looks at the Stop button.
_POLL_SECONDS = 0.1


# -- writing -----------------------------------------------------------------------


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def header_of(tl: RunTimeline) -> dict[str, Any]:
    """The header line of ``tl``'s file, as a dict."""
    live = tl.status not in FINAL_STATUSES
    return {
        "lgwidget": FORMAT,
        "url": tl.url,
        "assistant_id": tl.assistant_id,
        "thread_id": tl.thread_id,
        "run_id": tl.run_id,
        "status": tl.status,
        "started": tl.started,
        # ``elapsed`` is set when the run ends; a file saved mid-run gets the time so far.
        "elapsed": round(tl._since_start(), 3) if live and tl.started else tl.elapsed,
        "error": tl.error,
        "interrupts": list(tl.interrupts),
        "paused_at": list(tl.paused_at),
        "count": len(tl.events),
    }


def data_json(data: bytes, raw: bool) -> tuple[bytes, bool]:
    """An event's data as the JSON text of its line, and whether it is raw text.

    JSON data is written as it arrived, never re-serialized: that keeps the
    bytes and cannot hit RecursionError on deep nesting. It is parsed once to
    be sure that it is JSON (a line must stay one JSON object).
    """
    if not raw:
        if not data:
            return b"null", False  # no data: the record's ``data`` is None either way
        try:
            data.decode("utf-8")  # the file is UTF-8; anything else is kept as text
            parse_json(data)
        except (UnicodeDecodeError, ValueError):
            pass  # not JSON: the record holds it as raw text, and so does the file
        else:
            # Line breaks in valid JSON lie between tokens (inside strings they
            # are always escaped), where a space means the same; a JSON Lines
            # line cannot hold them.
            if b"\n" in data or b"\r" in data:
                data = data.replace(b"\r", b" ").replace(b"\n", b" ")
            return data, False
    return _dumps(data.decode("utf-8", "replace")), True


def event_line(log: EventLog, seq: int) -> bytes:
    """The line of event ``seq``: its fields, then ``"data"`` last (see :func:`read_event`)."""
    event, event_id, t, _nbytes, *raw_flag = log.header(seq)
    data, raw = data_json(log.raw_data(seq), bool(raw_flag))
    fields: dict[str, Any] = {"seq": seq, "event": event, "id": event_id, "t": t}
    if raw:
        fields["raw"] = True
    return _dumps(fields)[:-1] + _DATA_KEY + data + b"}\n"


def write_jsonl(tl: RunTimeline, target: WriteTarget) -> int:
    """Write ``tl`` to ``target`` as JSON Lines (see the module docstring), one
    line at a time; returns the number of events written.

    Saving a run that still streams writes the events received so far, with
    the live status in the header.
    """
    # The header's count and the events written agree even if the loop
    # appends more later: nothing here yields to it.
    header = header_of(tl)
    count = len(tl.events)
    try:
        head = _dumps(header)
    except (TypeError, ValueError, RecursionError):
        # interrupts whose values JSON cannot write (or too deep to): the
        # events matter more than the pending interrupts' display.
        head = _dumps({**header, "interrupts": []})
    with contextlib.ExitStack() as stack:
        file = (
            stack.enter_context(open(target, "wb"))
            if isinstance(target, (str, os.PathLike))
            else target
        )
        file.write(head + b"\n")
        for seq in range(count):
            file.write(event_line(tl.events, seq))
    return count


# -- reading -----------------------------------------------------------------------


def _where(target: WriteTarget | ReadSource) -> str:
    if isinstance(target, (str, os.PathLike)):
        return os.fspath(target)
    return str(getattr(target, "name", "") or "<file>")


def parse_header(line: bytes, where: str) -> dict[str, Any]:
    """The header of a run file, checked; ValueError when it is not one."""
    try:
        header = json.loads(line) if line.strip() else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or "lgwidget" not in header:
        raise ValueError(f"{where}: not an lgwidget run file (no lgwidget header on line 1)")
    if header["lgwidget"] != FORMAT:
        raise ValueError(
            f"{where}: lgwidget run file format {header['lgwidget']!r}; this lgwidget reads "
            f"format {FORMAT}"
        )
    return header


def read_header(source: ReadSource) -> dict[str, Any]:
    """Read the header line of a run file (a file object is left just after it)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            return parse_header(file.readline(), _where(source))
    return parse_header(source.readline(), _where(source))


# A saved event's time, in seconds from the run's start: far more than any run
# lasts, and its milliseconds stay exact integers.
_MAX_T = 1e12


def read_event(line: bytes) -> tuple[str, bytes, str | None, float, bool]:
    """``(event, data bytes, id, t, raw)`` of one event line; ValueError if it is not one.

    The data bytes are the line's ``data`` text as written, not re-serialized
    (deep nesting, exact bytes). That slice is taken only when ``data`` is the
    last field, which is checked: the fields before it must be all the others.
    """
    line = line.strip()
    full = parse_json(line)
    if not isinstance(full, dict) or not isinstance(full.get("event"), str) or "data" not in full:
        raise ValueError("not an event line (an object with event and data)")
    raw = full.get("raw") is True
    data: bytes | None = None
    cut = line.find(_DATA_KEY)
    if cut > 0 and line.endswith(b"}"):
        try:
            before = json.loads(line[:cut] + b"}")
        except ValueError:
            before = None
        if isinstance(before, dict) and set(before) == set(full) - {"data"}:
            data = line[cut + len(_DATA_KEY) : -1].strip()
    value = full["data"]
    if raw:
        data = (value if isinstance(value, str) else json.dumps(value)).encode()
    elif data is None:  # another writer's field order: the value written anew
        data = b"" if value is None else _dumps(value)
    event_id = full.get("id")
    t = full.get("t")
    t = float(t) if isinstance(t, (int, float)) else 0.0
    if not abs(t) < _MAX_T:  # NaN too
        raise ValueError(f"t is not a number of seconds a run can take: {t}")
    return (full["event"], data, None if event_id is None else str(event_id), t, raw)


class ReplayTimeline(RunTimeline):
    """A timeline that replays a saved run (see :func:`replay`).

    Its clock is the saved run's: each event keeps its saved ``t`` and
    ``elapsed`` is the saved one, whatever the replay speed. Stop ends the
    replay and never touches a server: the saved run ended long ago.
    """

    def __init__(self, header: Mapping[str, Any]) -> None:
        super().__init__(
            str(header.get("url") or ""),
            str(header.get("assistant_id") or ""),
            thread_id=str(header.get("thread_id") or "") or None,
        )
        self.run_id = str(header.get("run_id") or "")
        started = header.get("started")
        self.started = float(started) if isinstance(started, (int, float)) else 0.0
        #: The saved run's time that the replay has reached.
        self._clock = 0.0

    def _since_start(self) -> float:
        # The widget stamps each appended event and the end with this clock:
        # for a replay it is the saved run's, set by the feed before each event.
        return self._clock

    async def _cancel_on_server(self) -> None:
        return None


def replay_feed(source: ReadSource, header: Mapping[str, Any], speed: float) -> Feed:
    """The feed of :func:`replay`: the events of ``source`` (whose ``header``
    line was read already) at ``speed`` times their saved pace, then the saved end."""
    paced = 0 < speed < math.inf
    where = _where(source)

    async def feed(timeline: RunTimeline) -> str:
        tl = cast("ReplayTimeline", timeline)  # (behind a weak proxy, see RunTimeline._launch)
        tl.status = "streaming"
        start = time.monotonic()
        count = 0
        with contextlib.ExitStack() as stack:
            if isinstance(source, (str, os.PathLike)):
                # Read on the loop: a line of a local file takes microseconds,
                # a hop to a worker thread per line would cost more.
                file: BinaryReader = stack.enter_context(open(source, "rb"))  # noqa: ASYNC230
                file.readline()  # the header, read by replay()
            else:
                file = source  # just after its header, read by replay()
            for number, line in enumerate(file, start=2):
                if not line.strip():
                    continue
                try:
                    event, data, event_id, t, raw = read_event(line)
                except ValueError as exc:
                    raise LGWidgetStreamError(f"{where}, line {number}: {exc}") from None
                if paced:
                    while (delay := start + t / speed - time.monotonic()) > 0:
                        if tl.cancel_requested:
                            return "cancelled"
                        await asyncio.sleep(min(delay, _POLL_SECONDS))
                if count % _YIELD_EVERY == _YIELD_EVERY - 1:
                    await asyncio.sleep(0)  # a burst (or speed=inf) must not hold the loop
                if tl.cancel_requested:
                    return "cancelled"
                tl._clock = t
                tl.add_message(event, data, event_id, raw=raw)
                count += 1
        elapsed = header.get("elapsed")
        if isinstance(elapsed, (int, float)):
            # The saved elapsed, exactly: events appended after a run ended
            # carry later times than its elapsed.
            tl._clock = float(elapsed)
        expected = header.get("count")
        if isinstance(expected, int) and count < expected:
            raise LGWidgetStreamError(
                f"{where}: the file ends after {count} of its {expected} events (cut short?)"
            )
        return _saved_end(tl, header)

    return feed


def _saved_end(tl: RunTimeline, header: Mapping[str, Any]) -> str:
    """End the replay as the saved run ended."""
    status = header.get("status")
    if status == "error":
        # As the original wait() did: raise, with the saved message.
        message = str(header.get("error") or "the saved run failed")
        raise LGWidgetStreamError(message, url=tl.url or None)
    # An ``error`` event replayed under another status (a run stopped while
    # it failed) must not turn the replay into a failure.
    tl._server_error = None
    if status == "interrupted":
        interrupts, paused_at = header.get("interrupts"), header.get("paused_at")
        tl.interrupts = interrupts if isinstance(interrupts, list) else []
        tl.paused_at = [str(node) for node in paused_at] if isinstance(paused_at, list) else []
        return "interrupted"
    if status in FINAL_STATUSES:
        return str(status)
    # Saved while the run still streamed: the file stops before the run did.
    return "cancelled"


def replay(path: ReadSource, speed: float = 1.0) -> RunTimeline:
    """Replay a run saved by ``tl.to_jsonl(path)`` into a new timeline.

    The new timeline has the saved header (url, assistant, thread and run
    ids, started, elapsed) and gets the saved events at their original pace
    divided by ``speed`` (``speed=2`` twice as fast; ``0`` or ``math.inf`` as
    fast as possible). Each event keeps its saved ``seq``, name, id, data and
    ``t``. It ends as the saved run did: ``done``, ``cancelled``,
    ``interrupted`` (with the saved ``interrupts`` and ``paused_at``; it cannot
    be resumed), or ``error``, where ``tl.error`` is the saved message and
    ``wait()`` raises :class:`~lgwidget.LGWidgetStreamError` with it. A file
    saved mid-run ends ``cancelled``. Stop ends the replay (``cancelled``)
    without calling any server.

    ``path`` is a path or a binary file object (e.g. ``gzip.open(p, "rb")``).
    The header is read at once (ValueError when the file is no lgwidget run);
    events are read one line at a time while they replay. Like
    :func:`lgwidget.stream`, it returns at once inside a running event loop,
    and replays to the end first in a plain script.
    """
    if math.isnan(speed) or speed < 0:
        raise ValueError(f"speed must be a positive number, 0 or math.inf, not {speed!r}")
    header = read_header(path)
    return ReplayTimeline(header)._launch(replay_feed(path, header, speed))


# -- what an event is about ------------------------------------------------------


def node_of(record: EventRecord) -> str | None:
    """The graph node an event belongs to, where its payload says so: the
    node(s) of an ``updates`` event (several joined by ", "), the
    ``langgraph_node`` of a message's metadata (and of ``events`` events),
    the task of ``tasks`` and ``debug`` events; else None."""
    data = record.get("data")
    mode = record.get("mode")
    if record.get("raw"):
        return None
    if mode == "updates" and isinstance(data, dict) and data:
        return ", ".join(str(key) for key in data)
    if mode == "messages" and isinstance(data, list) and len(data) == 2:
        return _str_or_none(data[1].get("langgraph_node") if isinstance(data[1], dict) else None)
    if mode == "messages/metadata" and isinstance(data, dict):
        for entry in data.values():
            meta = entry.get("metadata") if isinstance(entry, dict) else None
            if isinstance(meta, dict):
                return _str_or_none(meta.get("langgraph_node"))
        return None
    if mode == "tasks" and isinstance(data, dict):
        return _str_or_none(data.get("name"))
    if mode == "debug" and isinstance(data, dict) and isinstance(data.get("payload"), dict):
        return _str_or_none(data["payload"].get("name"))
    if mode == "events" and isinstance(data, dict) and isinstance(data.get("metadata"), dict):
        return _str_or_none(data["metadata"].get("langgraph_node"))
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def to_dataframe(tl: RunTimeline) -> pandas.DataFrame:
    """``tl``'s events as a pandas DataFrame, one row per event (see
    :meth:`RunTimeline.to_dataframe`)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "tl.to_dataframe() needs pandas, an optional extra of lgwidget: "
            "pip install 'lgwidget[pandas]'"
        ) from exc
    columns: dict[str, list[Any]] = {
        name: [] for name in ("seq", "event", "mode", "ns", "node", "t", "id", "data", "raw")
    }
    for record in tl.events:
        for name in ("seq", "event", "mode", "ns", "t", "id", "data"):
            columns[name].append(record.get(name))
        columns["node"].append(node_of(record))
        columns["raw"].append(bool(record.get("raw")))
    # Explicit dtypes: the same for an empty run as for a full one, and None
    # stays None (pandas would infer a string dtype with NaN for the ids).
    dtypes = {"seq": "int64", "t": "float64", "raw": "bool"}
    return pandas.DataFrame(
        {
            name: pandas.Series(values, dtype=dtypes.get(name, "object"))
            for name, values in columns.items()
        }
    )


# -- the text listing --------------------------------------------------------------

#: Events listed by the text repr; the rest are counted.
LISTING_EVENTS = 200
#: Data bigger than this is not parsed for the listing (a repr must stay quick).
LISTING_PARSE_BYTES = 2**20

_TEXT_CHARS = 60
_SUMMARY_CHARS = 100
_EVENT_WIDTH = 28
_NODE_WIDTH = 20
_SPACE = re.compile(r"\s+")


def _short(text: str, limit: int = _TEXT_CHARS) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content_text(content: Any) -> str:
    """The text of a message's content: a string, or the text of its blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            block if isinstance(block, str) else str(block.get("text") or "")
            for block in content
            if isinstance(block, str) or (isinstance(block, dict) and "text" in block)
        ]
        return " ".join(part for part in parts if part)
    return ""


def _quoted(text: str) -> str:
    # Quotes inside stay as they are: escaping them (JSON, repr) makes the
    # JSON text of a tool result hard to read, and the line is for reading.
    return f'"{_short(text)}"'


def _value(value: Any) -> str:
    """A short view of any JSON value: keys of an object, length of an array."""
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        keys = [str(key) for key in value]
        shown = ", ".join(keys[:6]) + (", …" if len(keys) > 6 else "")
        return "{" + shown + "}"
    if isinstance(value, list):
        return f"[{len(value)} item{'' if len(value) == 1 else 's'}]"
    return _short(json.dumps(value))


def _message(message: Any) -> str:
    """``ai "text…" → tool()``: a message's type, text and tool calls."""
    if not isinstance(message, dict):
        return _value(message)
    kind = str(message.get("type") or message.get("role") or "message")
    parts = [kind]
    if kind == "tool" and message.get("name"):
        parts.append(str(message["name"]))
    text = _content_text(message.get("content"))
    if text.strip():
        parts.append(_quoted(text))
    calls = message.get("tool_calls") or message.get("tool_call_chunks") or []
    names = [str(c.get("name")) for c in calls if isinstance(c, dict) and c.get("name")]
    if names:
        parts.append("→ " + ", ".join(f"{name}()" for name in names))
    return " ".join(parts)


def _messages(messages: list[Any]) -> str:
    if not messages:
        return "no messages"
    last = _message(messages[-1])
    return last if len(messages) == 1 else f"{len(messages)} messages, last: {last}"


def _update(update: Any) -> str:
    if isinstance(update, dict) and isinstance(update.get("messages"), list):
        rest = [str(key) for key in update if key != "messages"]
        return _messages(update["messages"]) + (f" (+ {', '.join(rest)})" if rest else "")
    if isinstance(update, list) and update and isinstance(update[0], dict):
        return "interrupt: " + _value(update[0].get("value"))  # __interrupt__
    return "no update" if update is None else _value(update)


def summary_of(record: EventRecord) -> str:
    """One short line about an event: what a reader of a log wants to see."""
    data = record.get("data")
    mode = record.get("mode")
    if record.get("raw"):
        return "raw " + _value(data if isinstance(data, str) else str(data))
    if data is None:
        return ""
    if mode == "metadata" and isinstance(data, dict) and "run_id" in data:
        return f"run_id={data['run_id']}"
    if mode == "updates" and isinstance(data, dict):
        if len(data) == 1:
            return _update(next(iter(data.values())))
        return "; ".join(f"{node}: {_update(update)}" for node, update in data.items())
    if mode == "values" and isinstance(data, dict) and isinstance(data.get("messages"), list):
        return _update(data)
    if mode == "messages" and isinstance(data, list) and data:
        return _message(data[0])  # [message, metadata]
    if mode in ("messages/partial", "messages/complete") and isinstance(data, list):
        return _messages(data)
    if mode == "messages/metadata" and isinstance(data, dict):
        return "metadata of " + ", ".join(map(str, data))
    if mode in ("error", "note") and isinstance(data, dict):
        parts = [str(data[key]) for key in ("error", "message") if data.get(key)]
        return _short(": ".join(parts), _SUMMARY_CHARS) if parts else _value(data)
    if mode == "tasks" and isinstance(data, dict):
        if data.get("error"):
            return "error: " + _short(str(data["error"]))
        if "result" in data:
            return "result" + (" (interrupted)" if data.get("interrupts") else "")
        return "start"
    if mode == "checkpoints" and isinstance(data, dict):
        meta = data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        text = f"step {meta.get('step')} ({meta.get('source')})"
        return text + (f", next: {', '.join(map(str, data['next']))}" if data.get("next") else "")
    if mode == "debug" and isinstance(data, dict):
        return f"{data.get('type')} step {data.get('step')}"
    if mode == "events" and isinstance(data, dict) and "event" in data:
        return f"{data.get('event')} {data.get('name') or ''}".strip()
    return _value(data)


def _event_label(event: str) -> str:
    """The event name with subgraph task ids left out: ``updates|research``."""
    mode, ns = split_event_name(event)
    return "|".join([mode, *(part.split(":", 1)[0] for part in ns)])


def _cell(text: str, width: int) -> str:
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.ljust(width)


def _row(log: EventLog, seq: int) -> tuple[str, str, str, str, str]:
    """``(seq, +t, event, node, summary)`` of one event; never raises."""
    event, event_id, t, nbytes, *raw = log.header(seq)
    node: str | None = None
    if nbytes > LISTING_PARSE_BYTES:
        summary = f"({nbytes:,} bytes of data)"
    else:
        record = make_record(seq, event, log.raw_data(seq), event_id, t, raw=bool(raw))
        try:
            node, summary = node_of(record), summary_of(record)
        except Exception:  # an odd payload must not break a repr
            summary = ""
    return str(seq), f"+{t:.3f}", _event_label(event), node or "-", _short(summary, _SUMMARY_CHARS)


def listing(tl: RunTimeline, limit: int = LISTING_EVENTS) -> str:
    """The run as text: a header line, then ``seq  +t  event  node  summary``
    per event (the first ``limit``; the rest are counted)."""
    log: EventLog | None = getattr(tl, "events", None)
    count = len(log) if log is not None else 0
    live = tl.status not in FINAL_STATUSES
    elapsed = tl._since_start() if live and tl.started else tl.elapsed
    fields = [
        ("assistant", tl.assistant_id),
        ("run", tl.run_id),
        ("thread", tl.thread_id),
        ("status", tl.status),
        ("events", str(count)),
        ("elapsed", f"{elapsed:.3f}s" if elapsed or not live else ""),
        ("url", tl.url),
    ]
    lines = ["RunTimeline  " + "  ".join(f"{key}={value}" for key, value in fields if value)]
    if tl.error:
        lines.append(f"error: {tl.error}")
    if tl.status == "interrupted" and tl.paused_at:
        lines.append(f"paused at: {', '.join(tl.paused_at)}")
    if log is None or not count:
        return "\n".join(lines)
    rows = [("seq", "+t", "event", "node", "summary")]
    rows += [_row(log, seq) for seq in range(min(count, limit))]
    seq_w = max(len(row[0]) for row in rows)
    t_w = max(len(row[1]) for row in rows)
    event_w = min(max(len(row[2]) for row in rows), _EVENT_WIDTH)
    node_w = min(max(len(row[3]) for row in rows), _NODE_WIDTH)
    for seq, t, event, node, summary in rows:
        line = f"{seq.rjust(seq_w)}  {t.rjust(t_w)}  {_cell(event, event_w)}  {_cell(node, node_w)}"
        lines.append(f"{line}  {summary}".rstrip())
    if count > limit:
        lines.append(f"… {count - limit} more events")
    return "\n".join(lines)
