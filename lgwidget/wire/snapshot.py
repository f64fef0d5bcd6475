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
from collections.abc import Iterator, Mapping
from typing import Any

from .eventlog import EventLog
from .events import EventRecord, make_record, parse_json
from .headers import HeaderRow, decode_headers, encode_headers

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
    """The snapshot of ``log`` (``{}`` for no events)::

        {"v": 3, "names": [event names], "headers": <bytes>, "data": [<bytes>, ...],
         "omitted": n}

    ``names`` and ``headers`` are the kept events' headers as
    :func:`lgwidget.wire.headers.encode_headers` writes them; ``data`` their data
    bytes, concatenated in order: the events before the first clipped one as
    views of the log's own chunks (no second copy of the run), the rest in
    one new buffer.
    """
    if not len(log):
        return {}
    shared = 0  # the events before the first clipped one: shared with the log
    tail: list[bytes] = []
    size = 0

    def kept() -> Iterator[HeaderRow]:
        nonlocal shared, size
        for seq, (name, event_id, t, nbytes, raw) in enumerate(log.rows(0, len(log))):
            data = clipped_data(log.raw_data(seq), raw) if nbytes > EVENT_BYTES else None
            if data is not None:
                nbytes = len(data)
            if size + nbytes > budget and seq:
                return
            size += nbytes
            if data is None and not tail:
                shared += 1
            else:
                tail.append(log.raw_data(seq) if data is None else data)
            yield name, event_id, t, nbytes, raw

    names, headers = encode_headers(kept())
    data: list[bytes | memoryview] = [*log.data_views(0, shared)]
    if tail:
        data.append(b"".join(tail))
    kept_count = shared + len(tail)
    return {
        "v": 3,
        "names": names,
        "headers": headers,
        "data": data,
        "omitted": len(log) - kept_count,
    }


def snapshot_headers(snapshot: Mapping[str, Any]) -> list[list[Any]]:
    """The ``[event, id, t, nbytes]`` headers (``+ [1]`` when raw) of a
    snapshot of either shape: :func:`build_snapshot`'s, or the older
    ``{"events": [headers], "data": <bytes>, "omitted": n}``.

    Raises ValueError when its headers do not decode."""
    if "headers" in snapshot:
        return decode_headers(list(snapshot.get("names") or []), snapshot["headers"])
    events = snapshot.get("events")
    return list(events) if isinstance(events, list) else []


def snapshot_data(snapshot: Mapping[str, Any]) -> bytes:
    """The data bytes of a snapshot's events, concatenated (either shape)."""
    data = snapshot.get("data")
    chunks = data if isinstance(data, list) else [data]
    # A chunk that is no buffer (lost from a damaged notebook) adds nothing.
    return b"".join(bytes(c) for c in chunks if isinstance(c, (bytes, bytearray, memoryview)))


def snapshot_records(snapshot: Mapping[str, Any]) -> list[EventRecord]:
    """The event records a snapshot holds, as the front end rebuilds them."""
    records: list[EventRecord] = []
    data, offset = snapshot_data(snapshot), 0
    for seq, (event, event_id, t, nbytes, *raw) in enumerate(snapshot_headers(snapshot)):
        chunk = data[offset : offset + nbytes]
        offset += nbytes
        records.append(make_record(seq, event, chunk, event_id, t, raw=bool(raw)))
    return records
