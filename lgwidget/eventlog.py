"""EventLog: the events of a timeline, stored compactly, read as event records.

Each event keeps what arrived, as sent: its name, id, arrival time and the
bytes of its data. Records (DESIGN.md section 3) are built when read, so the
kernel holds about the payload's size (not the several times more that parsed
JSON objects take), nothing is parsed twice on the hot path, and the front
end gets the data bytes as they came, as a binary buffer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any, overload

from .events import EventRecord, make_record, split_event_name

# Event names whose data may carry ``__interrupt__`` (see events.interrupts_of).
_INTERRUPTING = frozenset({"updates", "values"})


class EventLog(Sequence[EventRecord]):
    """An append-only sequence of event records, in arrival order.

    Reading ``log[i]`` builds a fresh record (data parsed from its JSON text):
    changing that dict does not change the log.
    """

    __slots__ = ("_data", "_ids", "_names", "_raw", "_times", "interrupt_seqs")

    def __init__(self) -> None:
        self._names: list[str] = []
        self._ids: list[str | None] = []
        self._times: list[float] = []
        self._data: list[bytes] = []
        self._raw: set[int] = set()
        #: Seqs of the events that report an interrupt, so that finding them
        #: does not parse the whole run.
        self.interrupt_seqs: list[int] = []

    def append(
        self, event: str, data: bytes, event_id: str | None, t: float, *, raw: bool = False
    ) -> int:
        """Add one event; returns its seq. ``raw`` keeps the data unparsed."""
        seq = len(self._data)
        # Names repeat endlessly ("updates", "messages", ...): keep one copy each.
        name = sys.intern(event or "message")
        self._names.append(name)
        self._ids.append(event_id or None)
        # Milliseconds: finer is noise on this path, and every digit is sent per event.
        self._times.append(round(t, 3))
        self._data.append(data)
        if raw:
            self._raw.add(seq)
        elif b"__interrupt__" in data and split_event_name(name)[0] in _INTERRUPTING:
            self.interrupt_seqs.append(seq)
        return seq

    def __len__(self) -> int:
        return len(self._data)

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
            self._data[seq],
            self._ids[seq],
            self._times[seq],
            raw=seq in self._raw,
        )

    # -- for the transport ---------------------------------------------------

    def header(self, seq: int) -> list[Any]:
        """``[event, id, t, nbytes]`` (``+ [1]`` when raw): all the front end
        needs besides the data bytes to rebuild the record."""
        head: list[Any] = [self._names[seq], self._ids[seq], self._times[seq], len(self._data[seq])]
        if seq in self._raw:
            head.append(1)
        return head

    def headers(self, start: int, stop: int) -> list[list[Any]]:
        return [self.header(i) for i in range(start, stop)]

    def data(self, start: int, stop: int) -> bytes:
        """The data bytes of events ``start..stop``, concatenated."""
        return b"".join(self._data[start:stop])

    def raw_data(self, seq: int) -> bytes:
        return self._data[seq]

    def is_raw(self, seq: int) -> bool:
        return seq in self._raw

    def nbytes(self, start: int = 0, stop: int | None = None) -> int:
        return sum(len(d) for d in self._data[start:stop])
