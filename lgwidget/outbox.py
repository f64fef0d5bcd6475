"""Batches event records into append-only custom messages for the front end.

At most one message per ``interval`` whatever the event rate, and a lone
event goes out on the next loop turn, so sparse events show at once while a
burst of thousands costs a few dozen messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

from .events import EventRecord

Send = Callable[[dict[str, Any]], None]

# Replies to a view's hello are cut into messages of this many events, so a
# reload of a 50,000-event run does not build one enormous message.
REPLAY_CHUNK = 5000


def append_message(first: int, events: Sequence[EventRecord]) -> dict[str, Any]:
    return {"type": "append", "from": first, "events": list(events)}


class Outbox:
    def __init__(self, send: Send, interval: float = 1 / 30) -> None:
        self._send = send
        self._interval = interval
        self._pending: list[EventRecord] = []
        self._handle: asyncio.TimerHandle | asyncio.Handle | None = None
        self._last_flush = float("-inf")
        self.messages_sent = 0

    def put(self, record: EventRecord) -> None:
        self._pending.append(record)
        if self._handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (plain script): nothing to batch against
            self.flush()
            return
        delay = self._last_flush + self._interval - time.monotonic()
        self._handle = (
            loop.call_later(delay, self.flush) if delay > 0 else loop.call_soon(self.flush)
        )

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        self.messages_sent += 1
        self._send(append_message(batch[0]["seq"], batch))

    def replay(self, events: Sequence[EventRecord], have: int) -> None:
        """Send ``events[have:]`` to a view that holds the first ``have``."""
        for start in range(max(have, 0), len(events), REPLAY_CHUNK):
            self.messages_sent += 1
            self._send(append_message(start, events[start : start + REPLAY_CHUNK]))
