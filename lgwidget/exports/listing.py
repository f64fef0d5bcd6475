"""The plain-text listing of a run: a timeline's ``repr``, for terminals, logs and nbval."""

from __future__ import annotations

import json
import re
from typing import Any

from ..feeds.contract import LIVE_STATUSES
from ..timeline.runner import Timeline
from ..wire.eventlog import EventLog
from ..wire.events import EventRecord, make_record, node_of, split_event_name
from .header import elapsed_of

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


def listing(tl: Timeline, limit: int = LISTING_EVENTS) -> str:
    """The run as text: a header line, then ``seq  +t  event  node  summary``
    per event (the first ``limit``; the rest are counted)."""
    log: EventLog | None = getattr(tl, "events", None)
    count = len(log) if log is not None else 0
    live = tl.status in LIVE_STATUSES
    elapsed = elapsed_of(tl)
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
