"""Follow a run's stream across dropped connections, losing and repeating nothing.

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

import asyncio
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .client import LangGraphClient, RunStream
from .columns import IdColumn, NameColumn
from .errors import (
    LGWidgetConnectionError,
    LGWidgetError,
    LGWidgetHTTPError,
    LGWidgetStreamError,
)
from .events import NOTE
from .sse import SSEMessage

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from .timeline import RunTimeline

LIVE_RUN_STATUSES = frozenset({"pending", "running"})


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
"""(id, event name, digest of the data): what tells two events apart."""

DIGEST_BYTES = 16
_MS_SEQ = re.compile(r"(\d+)-(\d+)")


def signature(message: SSEMessage) -> Signature:
    """What identifies ``message`` when it comes again (a digest: the data of
    a run's events is not kept twice)."""
    digest = hashlib.blake2b(message.body, digest_size=DIGEST_BYTES)
    return (message.id, message.event, digest.digest())


def _id_key(event_id: str) -> tuple[int, int, str]:
    """Ids in stream order: ``"<ms>-<seq>"`` numerically, anything else as text."""
    match = _MS_SEQ.fullmatch(event_id)
    return (int(match[1]), int(match[2]), "") if match else (-1, -1, event_id)


class Signatures(Sequence[Signature]):
    """The signatures of one run's events, in arrival order, about 36 bytes
    each (a tuple of three objects takes about 180): a server id as two
    integers, the event name as an index into a table, the digest in one
    buffer. Digests are :data:`DIGEST_BYTES` long."""

    def __init__(self, signatures: Iterable[Signature] = ()) -> None:
        self._ids = IdColumn()
        self._names = NameColumn()
        self._digests = bytearray()
        #: How many events came without an id.
        self.missing_ids = 0
        #: Whether the ids (``""`` for none) never went back (see ``_id_key``).
        self.ordered = True
        self._last_key: tuple[int, int, str] | None = None
        for sig in signatures:
            self.append(sig)

    def append(self, sig: Signature) -> None:
        event_id, name, digest = sig
        if len(digest) != DIGEST_BYTES:
            raise ValueError(f"a digest of {len(digest)} bytes, not {DIGEST_BYTES}")
        key = _id_key(event_id or "")
        if self._last_key is not None and self._last_key > key:
            self.ordered = False
        self._last_key = key
        if not event_id:
            self.missing_ids += 1
        self._ids.append(event_id)
        self._names.append(name)
        self._digests += digest

    def event_id(self, index: int) -> str | None:
        return self._ids[index]

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Signature: ...

    @overload
    def __getitem__(self, index: slice) -> list[Signature]: ...

    def __getitem__(self, index: int | slice) -> Signature | list[Signature]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("signature index out of range")
        start = index * DIGEST_BYTES
        return (
            self.event_id(index),
            self._names[index],
            bytes(self._digests[start : start + DIGEST_BYTES]),
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Signatures, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Ledger:
    """The signatures of one run's events, in arrival order."""

    def __init__(self, signatures: Iterable[Signature] = ()) -> None:
        self.signatures = Signatures(signatures)

    @property
    def has_ids(self) -> bool:
        """Whether every event received carried an id (a resumable run's do)."""
        return self.signatures.missing_ids == 0

    def resume_point(self) -> tuple[str, int]:
        """``(Last-Event-ID, position)``: rejoin after the id group before the
        last one; the replay then starts at ``signatures[position]``."""
        sigs = self.signatures
        if not sigs.ordered:
            return "-1", 0  # ids out of order: "after id X" would not mean "the rest"
        last = sigs.event_id(len(sigs) - 1) if sigs else None
        position = len(sigs)
        while position > 0 and sigs.event_id(position - 1) == last:
            position -= 1
        return (sigs.event_id(position - 1) or "", position) if position > 0 else ("-1", 0)


T = TypeVar("T")


class Rejoined(Generic[T]):
    """Tells the new events of one connection from repeats of events held.

    ``push(sig, item)`` returns the items that are new, in order, and adds
    them to the ledger. Repeats are expected from ``replay_from`` on (the
    replay). On a rejoined connection the live part may restart anywhere
    after the events held before it (``base``): an event with an older id
    than the newest held, equal to one received on this connection, is such
    a restart; with the *same* id it might also be a new twin, so it is held
    back until the events after it either repeat the rest (a restart: dropped)
    or differ (new after all: released in order).
    """

    def __init__(self, ledger: Ledger, replay_from: int | None) -> None:
        self._ledger = ledger
        self._rejoined = replay_from is not None
        self._base = len(ledger.signatures)
        # Positions in the ledger of the next event each hypothesis expects.
        self._expect: set[int] = set() if replay_from is None else {replay_from}
        if self._base in self._expect:
            self._expect = set()  # nothing to repeat: rejoined after everything
        self._held: list[tuple[Signature, T]] = []
        self._restarted = False

    def push(self, sig: Signature, item: T) -> list[T]:
        sigs = self._ledger.signatures
        if self._expect:
            advanced = {p + 1 for p in self._expect if p < len(sigs) and sigs[p] == sig}
            if advanced:
                if self._held:
                    self._held.append((sig, item))
                if len(sigs) in advanced:  # repeated up to the newest event: a repeat indeed
                    self._expect = set()
                    self._held = []
                else:
                    self._expect = advanced
                return []
            self._expect = set()
            return [*self._release(), *self._fresh(sig, item)]
        return self._fresh(sig, item)

    def end(self, *, clean: bool) -> list[T]:
        """The connection ended. Held events were new if the stream ended
        normally; after a drop they are replayed again by the next rejoin."""
        self._expect = set()
        if clean:
            return self._release()
        self._held = []
        return []

    def _fresh(self, sig: Signature, item: T) -> list[T]:
        sigs = self._ledger.signatures
        event_id = sig[0]
        if self._rejoined and not self._restarted and event_id and len(sigs) > self._base:
            newest = sigs[-1][0] or ""
            older = _id_key(event_id) < _id_key(newest)
            if older or event_id == newest:
                starts = self._matches(sig)
                if starts:
                    self._restarted = True
                    if len(sigs) not in starts:
                        self._expect = starts
                        if not older:  # same millisecond: maybe a new twin, decide later
                            self._held = [(sig, item)]
                    return []
        sigs.append(sig)
        return [item]

    def _matches(self, sig: Signature) -> set[int]:
        """Positions just after the events of this connection equal to ``sig``.
        Ids only grow, so only the events with an id at least ``sig``'s are
        looked at (a twin of the newest event costs its id group, not the run)."""
        sigs, key, found = self._ledger.signatures, _id_key(sig[0] or ""), set()
        for k in range(len(sigs) - 1, self._base - 1, -1):
            if _id_key(sigs[k][0] or "") < key:
                break
            if sigs[k] == sig:
                found.add(k + 1)
        return found

    def _release(self) -> list[T]:
        held, self._held = self._held, []
        if held:
            self._restarted = False  # it was no restart
        for sig, _ in held:
            self._ledger.signatures.append(sig)
        return [item for _, item in held]


# -- following a run -------------------------------------------------------------


def _retryable(exc: LGWidgetError) -> bool:
    """Transport trouble, and the HTTP answers of a proxy or server that is
    restarting; never a client error (404: the run is gone)."""
    if isinstance(exc, LGWidgetHTTPError):
        return exc.status >= 500 or exc.status == 429
    return isinstance(exc, (LGWidgetConnectionError, LGWidgetStreamError))


async def follow_run(
    tl: RunTimeline,
    client: LangGraphClient,
    start: Callable[[], AbstractAsyncContextManager[RunStream]],
    *,
    resumable: bool,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> bool:
    """Read a run's stream into ``tl`` until the run ends, rejoining dropped
    connections; False if the user stopped it meanwhile.

    ``start`` opens the stream that creates the run (its answer carries the
    run id). A failure before the run id is known is raised as it is: the
    run may not exist, and starting it again could run it twice.
    """
    ledger = Ledger()
    attempt = 0  # failed attempts in a row
    joined = False  # the run exists and its id is known
    failure: LGWidgetError
    gap: LGWidgetError | None = None  # a drop the server cannot replay (no ids)
    while True:
        try:
            if not joined:
                opened = start()
                reader: Rejoined[SSEMessage] = Rejoined(ledger, None)
            elif resumable and ledger.has_ids:
                last_id, position = ledger.resume_point()
                opened = client.join_stream(tl.thread_id, tl.run_id, last_event_id=last_id)
                reader = Rejoined(ledger, position)
            else:
                opened = client.join_stream(tl.thread_id, tl.run_id)
                reader = Rejoined(ledger, None)
            async with opened as run:
                if not joined:
                    tl.run_id = run.run_id or tl.run_id
                    joined = True
                if tl.cancel_requested:
                    return False
                tl.status = "streaming"
                if gap is not None:
                    # Without ids the server cannot replay: say what may be missing.
                    tl.add_message(NOTE, json.dumps({"message": _gap_note(client.url, gap)}))
                    gap = None
                async for message in run.events():
                    for new in reader.push(signature(message), message):
                        tl.add_message(new.event, new.body, new.id, raw=new.invalid_utf8)
                        attempt = 0  # progress: the connection works again
                    if tl.cancel_requested:
                        return False
                for new in reader.end(clean=True):
                    tl.add_message(new.event, new.body, new.id, raw=new.invalid_utf8)
            status = await _run_status(client, tl.thread_id, tl.run_id)
            if status not in LIVE_RUN_STATUSES:
                return True
            failure = LGWidgetStreamError(
                f"the stream of run {tl.run_id} from {client.url} ended while the run was {status}",
                url=client.url,
            )
        except LGWidgetError as exc:
            if not joined or not tl.run_id or not _retryable(exc):
                raise
            failure = exc
        attempt += 1
        if attempt > backoff.attempts:
            raise LGWidgetStreamError(
                f"lost the stream of run {tl.run_id} from {client.url}: {failure} "
                f"(gave up after {backoff.attempts} attempts to reconnect)",
                url=client.url,
            ) from failure
        tl.status = "reconnecting"
        await asyncio.sleep(backoff.delay(attempt))
        if tl.cancel_requested:
            return False
        if not (resumable and ledger.has_ids):
            gap = gap or failure


async def _run_status(client: LangGraphClient, thread_id: str, run_id: str) -> str | None:
    """The run's status, to tell the end of a run from a connection closed
    early; None when the run is gone (a rollback deletes it): it ended."""
    try:
        run = await client.get_run(thread_id, run_id)
    except LGWidgetHTTPError as exc:
        if exc.status == 404:
            return None
        raise
    return str(run.get("status"))


def _gap_note(url: str, failure: Any) -> str:
    return (
        f"reconnected to {url} after: {failure}. This run is not resumable "
        "(stream_resumable=False), so events sent while disconnected are missing."
    )
