"""The event record: one dict per SSE message, in arrival order.

``{"seq", "event", "mode", "ns", "data", "id", "t", "raw"?}``: ``event`` is
the SSE event name as the server sent it, ``mode`` and ``ns`` its parts
(``"updates|research:1"`` is mode ``updates`` in namespace ``["research:1"]``),
``data`` the parsed JSON (or the text with ``raw: True``), ``t`` seconds
since the run started.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TypedDict


class EventRecord(TypedDict, total=False):
    seq: int
    event: str
    mode: str
    ns: list[str]
    data: Any
    id: str | None
    t: float
    raw: bool


def split_event_name(event: str) -> tuple[str, list[str]]:
    """``"updates|parent:1|child:2"`` -> ``("updates", ["parent:1", "child:2"])``."""
    mode, *ns = event.split("|")
    return mode, ns


#: The event name of the records lgwidget itself adds about the stream (not
#: sent by the server): ``{"message": "..."}``, e.g. a gap after a reconnect.
NOTE = "note"


# Nesting deeper than Python's recursion limit (1,000) is legal JSON that
# json.loads refuses with RecursionError; its C decoder takes this much more.
DEEP_JSON_LIMIT = 20_000


def parse_json(data: str | bytes) -> Any:
    """``json.loads`` that also takes JSON nested deeper than the recursion
    limit (up to :data:`DEEP_JSON_LIMIT` levels). Raises ValueError when
    ``data`` is not JSON."""
    try:
        return json.loads(data)
    except RecursionError:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, DEEP_JSON_LIMIT))
        try:
            return json.loads(data)
        except RecursionError as exc:
            raise ValueError(f"JSON nested deeper than {DEEP_JSON_LIMIT} levels") from exc
        finally:
            sys.setrecursionlimit(limit)


def make_record(
    seq: int, event: str, data: str | bytes, event_id: str | None, t: float, *, raw: bool = False
) -> EventRecord:
    """Build the record of one SSE message.

    Data that is not JSON is kept as its text with ``raw: True`` so that a bad
    line is shown instead of ending the stream; ``raw=True`` keeps the text
    without parsing it (bytes that were not valid UTF-8, replaced by U+FFFD).
    An empty SSE event name is ``"message"`` per the SSE spec; an event with
    no data has ``data: None``.
    """
    name = event or "message"
    mode, ns = split_event_name(name)
    record: EventRecord = {"seq": seq, "event": name, "mode": mode, "ns": ns}
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if raw:
        record["data"] = text
        record["raw"] = True
    else:
        try:
            record["data"] = parse_json(data) if data else None
        except ValueError:
            record["data"] = text
            record["raw"] = True
    record["id"] = event_id or None
    record["t"] = round(t, 6)
    return record


def interrupts_of(record: EventRecord) -> list[Any] | None:
    """The interrupts an ``updates``/``values`` event reports, or None."""
    data = record.get("data")
    if record.get("mode") in ("updates", "values") and isinstance(data, dict):
        found = data.get("__interrupt__")
        if isinstance(found, list):
            return found
    return None


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
