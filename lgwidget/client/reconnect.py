"""Rejoin a run's stream after a dropped connection, losing and repeating nothing.

When the connection drops mid-run (a transport error, a silence longer than
the idle timeout, or an end of the stream while the run still runs), the
stream is rejoined with ``GET /threads/{tid}/runs/{rid}/stream`` and a
``Last-Event-ID``, with capped exponential backoff and status
``reconnecting`` meanwhile.

What the wire makes hard (see the server's reference captures):

- Ids are millisecond stamps (``"1795553419176-0"``): consecutive events can
  share an id, so de-duplicating by id alone drops real events, and rejoining
  "after the last id seen" skips that id's twins not yet received.
- A rejoined stream is the replay of the stored events after the given id
  followed by the live events from the moment the server subscribed, which is
  *before* the replay ends: events published meanwhile come twice.

So the stream is rejoined after the id group *before* the last one received
(``"-1"``, everything, when there is none): nothing after that id was lost.
Its replay starts with events already held, which are recognised by
position, id, event name and data, and skipped. A second copy from the
live part is recognised the same way; it can only repeat events first
received on the same connection. Only when a repeat cannot be told from a
new event by id alone (the same millisecond) is it held back until what
follows decides; see :class:`Rejoined`.

What the wire cannot tell apart: on a rejoined connection, an event equal in
id, name and data to the one just before it is either the live part
restarting at that event or a second, identical event the server sent in the
same millisecond. It is taken for the restart (which the reference server
does often); two byte-identical events in one millisecond are rare.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..wire.columns import id_key
from ..wire.eventlog import EventLog
from .sse import SSEMessage


@dataclass(frozen=True)
class Backoff:
    """How often and how patiently a dropped stream is rejoined: the n-th
    consecutive attempt waits ``min(cap, first * 2 ** (n - 1))`` seconds; after
    ``attempts`` failures in a row (no new event in between) the stream fails."""

    attempts: int = 10
    first: float = 0.1
    cap: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before the ``attempt``-th attempt in a row (from 1)."""
        return float(min(self.cap, self.first * 2 ** (attempt - 1)))


DEFAULT_BACKOFF = Backoff()

# -- which events are new --------------------------------------------------------

Signature = tuple[str | None, str, bytes]
"""(id, event name, data): what tells two events apart."""


def signature(message: SSEMessage) -> Signature:
    """What identifies ``message`` when it comes again."""
    return (message.id, message.event, message.body)


class Ledger:
    """One run's events in arrival order, as the timeline's event log holds
    them: what a rejoined stream's events are told apart by.

    It keeps no copy of them, only where they lie in the log (a run's events
    are contiguous there but for the notes between them), so following a run
    costs no memory per event beyond the log's own; ids, names and data are
    read from the log when a rejoin compares, near the newest events.
    """

    def __init__(self, log: EventLog) -> None:
        self.log = log
        # Spans of consecutive log events: ledger index where each starts, and its log seq.
        self._starts: list[int] = []
        self._seqs: list[int] = []
        self._len = 0
        # What the ids of the first ``_checked`` events say (see _check).
        self._checked = 0
        self._missing_ids = 0
        self._ordered = True
        self._last_key: tuple[int, int, str] | None = None

    def add(self, seq: int) -> None:
        """Log event ``seq`` is this run's next event."""
        if not self._seqs or seq != self._seqs[-1] + self._len - self._starts[-1]:
            self._starts.append(self._len)
            self._seqs.append(seq)
        self._len += 1

    def __len__(self) -> int:
        return self._len

    def seq(self, index: int) -> int:
        """Where event ``index`` of the run lies in the log."""
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("ledger index out of range")
        span = bisect_right(self._starts, index) - 1
        return self._seqs[span] + index - self._starts[span]

    def __getitem__(self, index: int) -> Signature:
        seq = self.seq(index)
        return (self.log.event_id(seq), self.log.name(seq), self.log.raw_data(seq))

    def event_id(self, index: int) -> str | None:
        return self.log.event_id(self.seq(index))

    def id_key(self, index: int) -> tuple[int, int, str]:
        return self.log.id_key(self.seq(index))

    def _check(self) -> None:
        # Only a rejoin asks: the ids are looked at then, each once.
        for index in range(self._checked, self._len):
            key = self.id_key(index)
            if key == (-1, -1, ""):
                self._missing_ids += 1
            if self._last_key is not None and self._last_key > key:
                self._ordered = False
            self._last_key = key
        self._checked = self._len

    @property
    def has_ids(self) -> bool:
        """Whether every event received carried an id (a resumable run's do)."""
        self._check()
        return self._missing_ids == 0

    @property
    def ordered(self) -> bool:
        """Whether the ids (none sorting first) never went back."""
        self._check()
        return self._ordered

    def resume_point(self) -> tuple[str, int]:
        """``(Last-Event-ID, position)``: rejoin after the id group before the
        last one; the replay then starts at ``ledger[position]``."""
        if not self.ordered:
            return "-1", 0  # ids out of order: "after id X" would not mean "the rest"
        last = self.event_id(-1) if self._len else None
        position = self._len
        while position > 0 and self.event_id(position - 1) == last:
            position -= 1
        return (self.event_id(position - 1) or "", position) if position > 0 else ("-1", 0)


T = TypeVar("T")


class Rejoined(Generic[T]):
    """Tells the new events of one connection from repeats of events held.

    ``push(sig, item)`` passes the items that are new, in order, to
    ``accept``, which adds them to the log and returns their seq, and adds
    them to the ledger. Repeats are expected from ``replay_from`` on (the
    replay). On a rejoined connection the live part may restart anywhere
    after the events held before it (``base``): an event with an older id
    than the newest held, equal to one received on this connection, is such
    a restart; with the *same* id it might also be a new twin, so it is held
    back until the events after it either repeat the rest (a restart: dropped)
    or differ (new after all: released in order).
    """

    def __init__(self, ledger: Ledger, replay_from: int | None, accept: Callable[[T], int]) -> None:
        self._ledger = ledger
        self._accept = accept
        self._rejoined = replay_from is not None
        self._base = len(ledger)
        # Positions in the ledger of the next event each hypothesis expects.
        self._expect: set[int] = set() if replay_from is None else {replay_from}
        if self._base in self._expect:
            self._expect = set()  # nothing to repeat: rejoined after everything
        self._held: list[tuple[Signature, T]] = []
        self._restarted = False

    def push(self, sig: Signature, item: T) -> None:
        ledger = self._ledger
        if self._expect:
            advanced = {p + 1 for p in self._expect if p < len(ledger) and ledger[p] == sig}
            if advanced:
                if self._held:
                    self._held.append((sig, item))
                if len(ledger) in advanced:  # repeated up to the newest event: a repeat indeed
                    self._expect = set()
                    self._held = []
                else:
                    self._expect = advanced
                return
            self._expect = set()
            self._release()
        self._fresh(sig, item)

    def end(self, *, clean: bool) -> None:
        """The connection ended. Held events were new if the stream ended
        normally; after a drop they are replayed again by the next rejoin."""
        self._expect = set()
        if clean:
            self._release()
        self._held = []

    def _take(self, item: T) -> None:
        self._ledger.add(self._accept(item))

    def _fresh(self, sig: Signature, item: T) -> None:
        ledger = self._ledger
        event_id = sig[0]
        if self._rejoined and not self._restarted and event_id and len(ledger) > self._base:
            key = id_key(event_id)
            newest = ledger.id_key(-1)
            if key <= newest:
                starts = self._matches(sig, key)
                if starts:
                    self._restarted = True
                    if len(ledger) not in starts:
                        self._expect = starts
                        if key == newest:  # same millisecond: maybe a new twin, decide later
                            self._held = [(sig, item)]
                    return
        self._take(item)

    def _matches(self, sig: Signature, key: tuple[int, int, str]) -> set[int]:
        """Positions just after the events of this connection equal to ``sig``.
        Ids only grow, so only the events with an id at least ``sig``'s are
        looked at (a twin of the newest event costs its id group, not the run)."""
        ledger, found = self._ledger, set()
        for k in range(len(ledger) - 1, self._base - 1, -1):
            if ledger.id_key(k) < key:
                break
            if ledger[k] == sig:
                found.add(k + 1)
        return found

    def _release(self) -> None:
        held, self._held = self._held, []
        if held:
            self._restarted = False  # it was no restart
        for _, item in held:
            self._take(item)
