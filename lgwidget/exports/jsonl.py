"""Keep a run as a JSON Lines file, and read one back (:mod:`lgwidget.exports.replay`).

The file (:func:`write_jsonl`, ``tl.to_jsonl(path)``) is one JSON object per
line. The first line is the header::

    {"lgwidget": 1, "url": ..., "assistant_id": ..., "thread_id": ..., "run_id": ...,
     "status": ..., "started": <epoch ms>, "elapsed": <s>, "error": ..., "interrupts": [...],
     "paused_at": [...], "runs": [...], "steps": [...], "count": <events that follow>}

then one line per event, in arrival order, with ``data`` last::

    {"seq": 0, "event": "updates", "id": null, "t": 0.912, "data": {...}}

The data is the event's JSON text as it arrived, inserted as is (so nesting of
any depth costs nothing to write and reads back byte for byte, line breaks
between tokens aside); data that is not JSON is a JSON string with
``"raw": true``. :func:`replay` reads such a file into a new timeline.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any, Protocol, TypeAlias

from ..timeline.runner import Timeline
from ..wire.eventlog import EventLog
from ..wire.events import parse_json
from .header import FORMAT, header_of


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


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


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


def write_jsonl(tl: Timeline, target: WriteTarget) -> int:
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


def where(target: WriteTarget | ReadSource) -> str:
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
            return parse_header(file.readline(), where(source))
    return parse_header(source.readline(), where(source))


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
