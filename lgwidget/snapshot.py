"""The persisted snapshot: the timeline as a saved notebook keeps it.

Written once when a run ends (the ``_snapshot`` trait), bounded so that a
long run cannot bloat the notebook file:

- an event's data up to :data:`EVENT_BYTES` is kept as it arrived;
- a bigger one has every string longer than :data:`STRING_CHARS` clipped,
  with a marker saying how much was cut (data that is not JSON is cut as
  text instead);
- events are kept from the first on until :data:`BUDGET_BYTES` of data is
  reached; ``omitted`` counts the later events left out.

Nothing is lost: the kernel keeps every event whole (``tl.events``).
"""

from __future__ import annotations

import json
from typing import Any

from .eventlog import EventLog
from .events import EventRecord, make_record, parse_json

EVENT_BYTES = 4096
STRING_CHARS = 1000
BUDGET_BYTES = 8 * 2**20


def clip_marker(cut: int) -> str:
    return f"… [clipped in the saved notebook: {cut:,} more characters; the kernel has them all]"


def _clip_strings(value: Any, limit: int) -> Any:
    """``value`` with long strings clipped; iterative, so nesting of any depth is fine."""
    root = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]
        if isinstance(item, str) and len(item) > limit:
            parent[key] = item[:limit] + clip_marker(len(item) - limit)
        elif isinstance(item, dict):
            stack.extend((item, k) for k in item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
    return root[0]


def clipped_data(data: bytes, raw: bool) -> bytes:
    """An event's data as the snapshot keeps it."""
    if len(data) <= EVENT_BYTES:
        return data
    if not raw:
        try:
            value = _clip_strings(parse_json(data), STRING_CHARS)
            return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        except (ValueError, RecursionError):
            pass  # not JSON (or too deep to write back): cut it as text
    text = data[:EVENT_BYTES].decode("utf-8", "ignore")
    return (text + clip_marker(len(data) - EVENT_BYTES)).encode()


def build_snapshot(log: EventLog, budget: int = BUDGET_BYTES) -> dict[str, Any]:
    """``{"events": [headers], "data": bytes, "omitted": n}``, or ``{}`` for no events."""
    if not len(log):
        return {}
    headers: list[list[Any]] = []
    chunks: list[bytes] = []
    size = 0
    for seq in range(len(log)):
        data = clipped_data(log.raw_data(seq), log.is_raw(seq))
        if size + len(data) > budget and headers:
            break
        header = log.header(seq)
        header[3] = len(data)
        headers.append(header)
        chunks.append(data)
        size += len(data)
    return {"events": headers, "data": b"".join(chunks), "omitted": len(log) - len(headers)}


def snapshot_records(snapshot: dict[str, Any]) -> list[EventRecord]:
    """The event records a snapshot holds, as the front end rebuilds them."""
    records: list[EventRecord] = []
    data, offset = snapshot.get("data", b""), 0
    for seq, (event, event_id, t, nbytes, *raw) in enumerate(snapshot.get("events", [])):
        chunk = bytes(data[offset : offset + nbytes])
        offset += nbytes
        records.append(make_record(seq, event, chunk, event_id, t, raw=bool(raw)))
    return records
