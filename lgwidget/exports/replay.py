"""Replay a saved run file into a timeline, at its saved pace or faster."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time
from collections.abc import Mapping
from typing import Any

from ..errors import LGWidgetStreamError
from ..feeds.contract import FINAL_STATUSES, Feed, FeedTarget, TimelineStatus
from .jsonl import BinaryReader, ReadSource, read_event, where

# A replay lets the loop run (the widget's outbox, the kernel's other tasks)
# at least after this many events, even as fast as possible.
_YIELD_EVERY = 256

# How often a paced replay waiting for its next event looks at the Stop button.
_POLL_SECONDS = 0.1


class SavedClock:
    """The clock of a replayed run: the saved run's time that the replay has
    reached, set before each event, so that each keeps its saved ``t`` and
    the end its saved ``elapsed``, whatever the replay speed."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def replay_feed(
    source: ReadSource, header: Mapping[str, Any], speed: float, clock: SavedClock
) -> Feed:
    """The feed of :func:`replay`: the events of ``source`` (whose ``header``
    line was read already) at ``speed`` times their saved pace, then the saved end."""
    paced = 0 < speed < math.inf
    place = where(source)

    async def feed(tl: FeedTarget) -> TimelineStatus:
        tl.status = "streaming"
        start = time.monotonic()
        count = 0
        with contextlib.ExitStack() as stack:
            if isinstance(source, (str, os.PathLike)):
                # Read on the loop: a line of a local file takes microseconds,
                # a hop to a worker thread per line would cost more.
                file: BinaryReader = stack.enter_context(open(source, "rb"))  # noqa: ASYNC230
                file.readline()  # the header, read by replay()
            else:
                file = source  # just after its header, read by replay()
            for number, line in enumerate(file, start=2):
                if not line.strip():
                    continue
                try:
                    event, data, event_id, t, raw = read_event(line)
                except ValueError as exc:
                    raise LGWidgetStreamError(f"{place}, line {number}: {exc}") from None
                if paced:
                    while (delay := start + t / speed - time.monotonic()) > 0:
                        if tl.cancel_requested:
                            return "cancelled"
                        await asyncio.sleep(min(delay, _POLL_SECONDS))
                if count % _YIELD_EVERY == _YIELD_EVERY - 1:
                    await asyncio.sleep(0)  # a burst (or speed=inf) must not hold the loop
                if tl.cancel_requested:
                    return "cancelled"
                clock.t = t
                tl.add_message(event, data, event_id, raw=raw)
                count += 1
        elapsed = header.get("elapsed")
        if isinstance(elapsed, (int, float)):
            # The saved elapsed, exactly: events appended after a run ended
            # carry later times than its elapsed.
            clock.t = float(elapsed)
        expected = header.get("count")
        if isinstance(expected, int) and count < expected:
            raise LGWidgetStreamError(
                f"{place}: the file ends after {count} of its {expected} events (cut short?)"
            )
        return _saved_end(tl, header)

    return feed


def _saved_end(tl: FeedTarget, header: Mapping[str, Any]) -> TimelineStatus:
    """End the replay as the saved run ended."""
    status = header.get("status")
    if status == "error":
        # As the original wait() did: raise, with the saved message.
        message = str(header.get("error") or "the saved run failed")
        raise LGWidgetStreamError(message, url=tl.url or None)
    runs, steps = header.get("runs"), header.get("steps")
    if isinstance(runs, list) and runs:
        tl.runs = runs  # the saved sections, not one "replay" section
    if isinstance(steps, list):
        tl.steps = steps
    if status == "interrupted":
        interrupts, paused_at = header.get("interrupts"), header.get("paused_at")
        tl.interrupts = interrupts if isinstance(interrupts, list) else []
        tl.paused_at = [str(node) for node in paused_at] if isinstance(paused_at, list) else []
        return "interrupted"
    for final in FINAL_STATUSES:
        if status == final:
            return final
    # Saved while the run still streamed: the file stops before the run did.
    return "cancelled"
