"""Rejoining without loss or repeats, on scripted event sequences.

The server's rejoined stream is the replay of the stored events after the
Last-Event-ID, followed by the live events from the moment it subscribed,
which is before the replay ends: the live part can restart at any event
published after the drop and already replayed (see lgwidget.reconnect).
"""

from __future__ import annotations

import itertools
import random

import pytest

from lgwidget.client.reconnect import Backoff, Ledger, Rejoined, Signature
from lgwidget.wire.eventlog import EventLog
from lgwidget.wire.events import NOTE


def ev(event_id: str | None, data: str) -> Signature:
    return (event_id, "custom", data.encode())


def log_in(ledger: Ledger, sig: Signature) -> int:
    """Add ``sig`` to the ledger's log, as the timeline does; its seq."""
    return ledger.log.append(sig[1], sig[2], sig[0], 0.0)


def reader_of(
    ledger: Ledger, replay_from: int | None, out: list[Signature] | None = None
) -> Rejoined[Signature]:
    """A reader that logs each new event (and lists it in ``out``)."""

    def accept(sig: Signature) -> int:
        if out is not None:
            out.append(sig)
        return log_in(ledger, sig)

    return Rejoined(ledger, replay_from, accept)


def feed(ledger: Ledger, replay_from: int | None, stream: list[Signature]) -> list[Signature]:
    """The new events of ``stream``, a whole connection, in the order taken."""
    out: list[Signature] = []
    reader = reader_of(ledger, replay_from, out)
    for sig in stream:
        reader.push(sig, sig)
    reader.end(clean=True)
    return out


def pushed(reader: Rejoined[Signature], out: list[Signature], sig: Signature) -> list[Signature]:
    """What one push takes."""
    before = len(out)
    reader.push(sig, sig)
    return out[before:]


def received(sequence: list[Signature]) -> Ledger:
    ledger = Ledger(EventLog())
    feed(ledger, None, sequence)
    return ledger


def held(ledger: Ledger) -> list[Signature]:
    return [ledger[i] for i in range(len(ledger))]


def server_rejoin(full: list[Signature], last_id: str, replayed_to: int, live_from: int) -> list:
    """What the server sends on a rejoin: the stored events with an id after
    ``last_id`` up to ``replayed_to``, then the live ones from ``live_from``."""
    replay = [sig for sig in full[:replayed_to] if (sig[0] or "") > last_id]
    return replay + full[live_from:]


def test_resume_point_is_the_id_group_before_the_last() -> None:
    assert Ledger(EventLog()).resume_point() == ("-1", 0)
    assert received([ev("5-0", "a"), ev("5-0", "b")]).resume_point() == ("-1", 0)
    ledger = received([ev("4-0", "a"), ev("5-0", "b"), ev("6-0", "c"), ev("6-0", "d")])
    assert ledger.resume_point() == ("5-0", 2)
    # Ids out of order: "after X" would not be "the rest", so replay everything.
    assert received([ev("6-0", "a"), ev("5-0", "b")]).resume_point() == ("-1", 0)


def test_twins_on_the_first_connection_are_all_kept() -> None:
    twins = [ev("5-0", "a"), ev("5-0", "a"), ev("5-0", "a")]
    assert feed(Ledger(EventLog()), None, twins) == twins


def test_every_drop_and_every_replay_live_overlap_ends_exact() -> None:
    rng = random.Random(4)
    for trial in range(30):
        # 9 distinct events; ids shared by runs of 1 to 3 consecutive events.
        stamps = sorted(rng.choice(range(10, 15)) for _ in range(9))
        full = [ev(f"{ms}-0", f"e{i}") for i, ms in enumerate(stamps)]
        for dropped_after in range(len(full)):
            ledger = received(full[:dropped_after])
            last_id, position = ledger.resume_point()
            for replayed_to, live_from in itertools.product(range(len(full) + 1), repeat=2):
                if not dropped_after <= live_from <= replayed_to:
                    continue  # the server subscribed after the drop and before the replay ended
                copy = received(held(ledger))
                stream = server_rejoin(full, last_id, replayed_to, live_from)
                new = feed(copy, position, stream)
                assert held(copy) == full, (trial, dropped_after, replayed_to, live_from)
                assert new == full[dropped_after:]


def test_a_restart_in_the_same_millisecond_is_held_then_dropped() -> None:
    a, b, c, d, e = (ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("2-0", "d"), ev("3-0", "e"))
    ledger = received([a])
    out: list[Signature] = []
    reader = reader_of(ledger, 0, out)
    assert [pushed(reader, out, s) for s in (a, b, c, d)] == [[], [b], [c], [d]]
    assert pushed(reader, out, c) == []  # c again: a restart of the live part, or a new twin?
    assert pushed(reader, out, d) == []  # d follows as before: a restart, both dropped
    assert pushed(reader, out, e) == [e]
    assert held(ledger) == [a, b, c, d, e]


def test_an_identical_twin_that_is_new_after_all_is_released_in_order() -> None:
    a, b, c, e = ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("3-0", "e")
    full = [a, b, c, b, e]  # the server really sent b twice in one millisecond
    ledger = received([a])
    assert feed(ledger, 0, full) == full[1:]
    assert held(ledger) == full
    # A held twin at a clean end of the stream is new too.
    ledger = received([a])
    assert feed(ledger, 0, [a, b, c, b]) == [b, c, b]


def test_a_held_twin_at_a_drop_is_left_to_the_next_rejoin() -> None:
    a, b, c, e = ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("3-0", "e")
    full = [a, b, c, b, e]
    ledger = received([a])
    out: list[Signature] = []
    reader = reader_of(ledger, 0, out)
    for sig in full[:4]:
        reader.push(sig, sig)
    reader.end(clean=False)
    assert out == [b, c]  # the second b is undecided: not kept, not lost
    last_id, position = ledger.resume_point()
    assert (last_id, position) == ("1-0", 1)
    assert feed(ledger, position, server_rejoin(full, last_id, 5, 5)) == [b, e]
    assert held(ledger) == full


def test_events_without_ids_are_never_taken_for_repeats() -> None:
    ledger = received([ev(None, "a")])
    assert not ledger.has_ids
    assert feed(ledger, None, [ev(None, "a"), ev(None, "b")]) == [ev(None, "a"), ev(None, "b")]


def test_the_ledger_reads_the_runs_events_from_the_log_past_notes_and_earlier_runs() -> None:
    sigs = [
        ev("1732491234567-0", "a"),
        ev("1732491234567-1", "b"),
        ("0042-1", "updates|sub:1", b"c"),  # leading zeros: kept as text
        ev(None, "d"),
        ev("custom-id", "e"),
    ]
    log = EventLog()
    log.append("updates", b"{}", "1-0", 0.0)  # an earlier run's event, before this run's
    ledger = Ledger(log)
    for i, sig in enumerate(sigs):
        ledger.add(log_in(ledger, sig))
        if i in (1, 2):  # notes land between the run's events
            log.append(NOTE, b'{"message": "reconnected"}', None, 0.0)
    assert held(ledger) == sigs
    assert ledger[-1] == sigs[-1]
    assert [ledger.seq(i) for i in range(len(ledger))] == [1, 2, 4, 6, 7]
    assert not ledger.has_ids
    assert not ledger.ordered  # "custom-id" sorts before the numeric ids
    first_two = received(sigs[:2])
    assert first_two.ordered
    assert first_two.has_ids
    with pytest.raises(IndexError):
        ledger.seq(len(sigs))


def test_resume_point_after_events_without_ids_or_out_of_order() -> None:
    assert received([ev("2-0", "a"), ev("1-0", "b")]).resume_point() == ("-1", 0)
    assert received([ev("1-0", "a"), ev("1-0", "b")]).resume_point() == ("-1", 0)
    assert received([ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c")]).resume_point() == ("1-0", 1)


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(attempts=8, first=0.1, cap=1.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
