"""EventLog: the events of a timeline, stored compactly, read as event records.

Each event keeps what arrived, as sent: its name, id, arrival time and the
bytes of its data. Records (:mod:`lgwidget.wire.events`) are built when read, so the
kernel holds about the payload's size (not the several times more that parsed
JSON objects take), nothing is parsed twice on the hot path, and the front
end gets the data bytes as they came, as a binary buffer.
"""

from __future__ import annotations

import mmap
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import Any, overload

from .columns import IdColumn, IntColumn, NameColumn
from .events import EventRecord, make_record, split_event_name
from .headers import HeaderRow

#: The size of the first chunk of data bytes; each next one is twice the last.
FIRST_CHUNK_BYTES = 1 << 20
#: The largest chunk (a bigger event gets a chunk of its own size).
MAX_CHUNK_BYTES = 64 << 20


def _anonymous(size: int) -> mmap.mmap:
    """``size`` bytes of private anonymous memory: pages are taken only when
    written, and none is reserved against the system's commit limit."""
    flags = getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_NORESERVE", 0)
    return mmap.mmap(-1, size, flags=flags) if flags else mmap.mmap(-1, size)


# Event names whose data may carry ``__interrupt__`` (see events.interrupts_of).
_INTERRUPTING = frozenset({"updates", "values"})


class EventLog(Sequence[EventRecord]):
    """An append-only sequence of event records, in arrival order.

    Reading ``log[i]`` builds a fresh record (data parsed from its JSON text):
    changing that dict does not change the log.

    Per event it holds the data bytes, back to back in a few chunks, and about
    14 bytes: the data's end offset, an index into the table of event names,
    the arrival time in milliseconds and the id, a server id ``<ms>-<seq>`` as
    two small integers, a number as one (any other id in a side table; see
    :mod:`lgwidget.wire.columns`).

    The data bytes go back to back into a few chunks of anonymous memory,
    each twice the size of the one before, up to :data:`MAX_CHUNK_BYTES`. A
    chunk takes memory only as its pages are written (the rest is reserved
    address space), never moves and never changes what was written to it, so
    a flush and the snapshot send views of it (:meth:`data_views`) instead
    of copies, and holding the data costs about its size, without the copies
    that a growing buffer makes.
    """

    __slots__ = (
        "_chunks",
        "_ends",
        "_ids",
        "_names",
        "_raw",
        "_size",
        "_starts",
        "_times",
        "interrupt_seqs",
    )

    def __init__(self) -> None:
        self._chunks: list[mmap.mmap] = []
        self._starts = array("Q")  # where each chunk starts in the whole data
        self._size = 0  # data bytes written
        self._ends = IntColumn(signed=False)  # where each event's data ends in the whole data
        self._names = NameColumn()
        self._ids = IdColumn()
        self._times = IntColumn(signed=True)  # milliseconds
        self._raw: set[int] = set()
        #: Seqs of the events that report an interrupt, so that finding them
        #: does not parse the whole run.
        self.interrupt_seqs: list[int] = []

    def append(
        self, event: str, data: bytes, event_id: str | None, t: float, *, raw: bool = False
    ) -> int:
        """Add one event; returns its seq. ``raw`` keeps the data unparsed."""
        seq = len(self._ends)
        name = event or "message"
        if data:
            self._write(data)
        self._ends.append(self._size)
        self._names.append(name)
        self._ids.append(event_id)
        # Milliseconds: finer is noise on this path, and every digit is sent per event.
        self._times.append(round(t * 1000))
        if raw:
            self._raw.add(seq)
        elif b"__interrupt__" in data and split_event_name(name)[0] in _INTERRUPTING:
            self.interrupt_seqs.append(seq)
        return seq

    def _write(self, data: bytes) -> None:
        fill, size = self._size - (self._starts[-1] if self._starts else 0), len(data)
        if not self._chunks or fill + size > len(self._chunks[-1]):
            last = len(self._chunks[-1]) if self._chunks else FIRST_CHUNK_BYTES // 2
            self._chunks.append(_anonymous(max(min(2 * last, MAX_CHUNK_BYTES), size)))
            self._starts.append(self._size)
            fill = 0
        # Past every byte written before: views handed out never see a change.
        self._chunks[-1][fill : fill + size] = data
        self._size += size

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> EventRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[EventRecord]: ...

    def __getitem__(self, index: int | slice) -> EventRecord | list[EventRecord]:
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("event index out of range")
        return self._record(index)

    def __iter__(self) -> Iterator[EventRecord]:
        return (self._record(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (EventLog, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<EventLog of {len(self)} events>"

    def _record(self, seq: int) -> EventRecord:
        return make_record(
            seq,
            self._names[seq],
            self.raw_data(seq),
            self.event_id(seq),
            self._times[seq] / 1000,
            raw=seq in self._raw,
        )

    def _offset(self, seq: int) -> int:
        """Where the data of event ``seq`` starts (``len(self)``: the end)."""
        return self._ends[seq - 1] if seq > 0 else 0

    # -- for the transport ---------------------------------------------------

    def event_id(self, seq: int) -> str | None:
        return self._ids[seq]

    def id_key(self, seq: int) -> tuple[int, int, str]:
        """Event ``seq``'s id in stream order (see :func:`lgwidget.wire.columns.id_key`)."""
        return self._ids.key(seq)

    def name(self, seq: int) -> str:
        return self._names[seq]

    def header(self, seq: int) -> list[Any]:
        """``[event, id, t, nbytes]`` (``+ [1]`` when raw): all the front end
        needs besides the data bytes to rebuild the record."""
        seq = range(len(self))[seq]  # IndexError out of range, as log[seq]
        name, event_id, t, nbytes, raw = next(self.rows(seq, seq + 1))
        return [name, event_id, t, nbytes, 1] if raw else [name, event_id, t, nbytes]

    def rows(self, start: int, stop: int) -> Iterator[HeaderRow]:
        """``(event, id, t, nbytes, raw)`` of events ``start..stop``, for
        :func:`lgwidget.wire.headers.encode_headers`."""
        names, name_ids, ids, times, ends, raw = (
            self._names.names,
            self._names.ids.items,
            self._ids,
            self._times.items,
            self._ends.items,
            self._raw,
        )
        offset = self._offset(start)
        for seq in range(start, stop):
            end = ends[seq]
            yield names[name_ids[seq]], ids[seq], times[seq] / 1000, end - offset, seq in raw
            offset = end

    def data(self, start: int, stop: int) -> bytes:
        """The data bytes of events ``start..stop``, concatenated (a copy)."""
        begin, end = self._offset(start), self._offset(stop)
        if begin == end:
            return b""
        first = bisect_right(self._starts, begin) - 1
        base = self._starts[first]
        if first == len(self._starts) - 1 or end <= self._starts[first + 1]:
            return self._chunks[first][begin - base : end - base]
        return b"".join(self.data_views(start, stop))

    def data_views(self, start: int, stop: int) -> list[memoryview]:
        """The data bytes of events ``start..stop`` as read-only views of the
        log's own chunks, in order: no copy, and the views' bytes never change."""
        begin, end = self._offset(start), self._offset(stop)
        views: list[memoryview] = []
        if begin == end:
            return views
        for index in range(bisect_right(self._starts, begin) - 1, len(self._chunks)):
            base = self._starts[index]
            if base >= end:
                break
            filled = self._starts[index + 1] if index + 1 < len(self._starts) else self._size
            chunk = memoryview(self._chunks[index]).toreadonly()
            views.append(chunk[max(begin - base, 0) : min(end, filled) - base])
        return views

    def raw_data(self, seq: int) -> bytes:
        """The data bytes of event ``seq``, as they arrived."""
        return self.data(seq, seq + 1)

    def size(self, seq: int) -> int:
        """How many data bytes event ``seq`` has."""
        return self._ends[seq] - self._offset(seq)

    def is_raw(self, seq: int) -> bool:
        return seq in self._raw

    def nbytes(self, start: int = 0, stop: int | None = None) -> int:
        """Data bytes of events ``start..stop`` (slice bounds)."""
        seqs = range(len(self))[start:stop]
        return self._offset(seqs.stop) - self._offset(seqs.start) if seqs else 0
