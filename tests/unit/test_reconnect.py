"""Rejoining without loss or repeats, on scripted event sequences.

The server's rejoined stream is the replay of the stored events after the
Last-Event-ID, followed by the live events from the moment it subscribed,
which is before the replay ends: the live part can restart at any event
published after the drop and already replayed (see lgwidget.reconnect).
"""

from __future__ import annotations

import hashlib
import itertools
import random

import pytest

from lgwidget.reconnect import DIGEST_BYTES, Backoff, Ledger, Rejoined, Signature, Signatures


def ev(event_id: str | None, name: str) -> Signature:
    return (event_id, "custom", hashlib.blake2b(name.encode(), digest_size=DIGEST_BYTES).digest())


def feed(ledger: Ledger, replay_from: int | None, stream: list[Signature]) -> list[Signature]:
    reader: Rejoined[Signature] = Rejoined(ledger, replay_from)
    out = [new for sig in stream for new in reader.push(sig, sig)]
    return out + reader.end(clean=True)


def received(sequence: list[Signature]) -> Ledger:
    ledger = Ledger()
    feed(ledger, None, sequence)
    return ledger


def server_rejoin(full: list[Signature], last_id: str, replayed_to: int, live_from: int) -> list:
    """What the server sends on a rejoin: the stored events with an id after
    ``last_id`` up to ``replayed_to``, then the live ones from ``live_from``."""
    replay = [sig for sig in full[:replayed_to] if (sig[0] or "") > last_id]
    return replay + full[live_from:]


def test_resume_point_is_the_id_group_before_the_last() -> None:
    assert Ledger().resume_point() == ("-1", 0)
    assert received([ev("5-0", "a"), ev("5-0", "b")]).resume_point() == ("-1", 0)
    ledger = received([ev("4-0", "a"), ev("5-0", "b"), ev("6-0", "c"), ev("6-0", "d")])
    assert ledger.resume_point() == ("5-0", 2)
    # Ids out of order: "after X" would not be "the rest", so replay everything.
    assert received([ev("6-0", "a"), ev("5-0", "b")]).resume_point() == ("-1", 0)


def test_twins_on_the_first_connection_are_all_kept() -> None:
    twins = [ev("5-0", "a"), ev("5-0", "a"), ev("5-0", "a")]
    assert feed(Ledger(), None, twins) == twins


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
                copy = Ledger(ledger.signatures)
                stream = server_rejoin(full, last_id, replayed_to, live_from)
                new = feed(copy, position, stream)
                assert copy.signatures == full, (trial, dropped_after, replayed_to, live_from)
                assert new == full[dropped_after:]


def test_a_restart_in_the_same_millisecond_is_held_then_dropped() -> None:
    a, b, c, d, e = (ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("2-0", "d"), ev("3-0", "e"))
    ledger = received([a])
    reader: Rejoined[Signature] = Rejoined(ledger, 0)
    assert [reader.push(s, s) for s in (a, b, c, d)] == [[], [b], [c], [d]]
    assert reader.push(c, c) == []  # c again: a restart of the live part, or a new twin?
    assert reader.push(d, d) == []  # d follows as before: a restart, both dropped
    assert reader.push(e, e) == [e]
    assert ledger.signatures == [a, b, c, d, e]


def test_an_identical_twin_that_is_new_after_all_is_released_in_order() -> None:
    a, b, c, e = ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("3-0", "e")
    full = [a, b, c, b, e]  # the server really sent b twice in one millisecond
    ledger = received([a])
    assert feed(ledger, 0, full) == full[1:]
    assert ledger.signatures == full
    # A held twin at a clean end of the stream is new too.
    ledger = received([a])
    assert feed(ledger, 0, [a, b, c, b]) == [b, c, b]


def test_a_held_twin_at_a_drop_is_left_to_the_next_rejoin() -> None:
    a, b, c, e = ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c"), ev("3-0", "e")
    full = [a, b, c, b, e]
    ledger = received([a])
    reader: Rejoined[Signature] = Rejoined(ledger, 0)
    for sig in full[:4]:
        reader.push(sig, sig)
    assert reader.end(clean=False) == []  # undecided: not kept, not lost
    last_id, position = ledger.resume_point()
    assert (last_id, position) == ("1-0", 1)
    assert feed(ledger, position, server_rejoin(full, last_id, 5, 5)) == [b, e]
    assert ledger.signatures == full


def test_events_without_ids_are_never_taken_for_repeats() -> None:
    ledger = received([ev(None, "a")])
    assert not ledger.has_ids
    assert feed(ledger, None, [ev(None, "a"), ev(None, "b")]) == [ev(None, "a"), ev(None, "b")]


def test_signatures_are_stored_compactly_and_read_back_as_they_came() -> None:
    sigs = [
        ev("1732491234567-0", "a"),
        ev("1732491234567-1", "b"),
        ("0042-1", "updates|sub:1", ev(None, "c")[2]),  # leading zeros: kept as text
        ev(None, "d"),
        ev("custom-id", "e"),
    ]
    stored = Signatures(sigs)
    assert list(stored) == sigs
    assert stored == sigs
    assert stored[-1] == sigs[-1]
    assert stored[1:3] == sigs[1:3]
    assert stored.missing_ids == 1
    assert not stored.ordered  # "custom-id" sorts before the numeric ids
    assert Signatures(sigs[:2]).ordered


def test_a_signature_whose_digest_has_another_size_is_refused() -> None:
    with pytest.raises(ValueError, match="digest of 3 bytes"):
        Signatures().append(("1-0", "custom", b"abc"))


def test_resume_point_after_events_without_ids_or_out_of_order() -> None:
    assert Ledger([ev("2-0", "a"), ev("1-0", "b")]).resume_point() == ("-1", 0)
    assert Ledger([ev("1-0", "a"), ev("1-0", "b")]).resume_point() == ("-1", 0)
    assert Ledger([ev("1-0", "a"), ev("2-0", "b"), ev("2-0", "c")]).resume_point() == ("1-0", 1)


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(attempts=8, first=0.1, cap=1.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
