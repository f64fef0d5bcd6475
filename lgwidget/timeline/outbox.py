"""Batches a timeline's new events into append-only custom messages.

A message is ``{"type": "append", "from": <seq>, "names": [event names]}``
with binary buffers: the events' headers (:mod:`lgwidget.wire.headers`), then their
data bytes, as they arrived, back to back: views of the event log's bytes,
one per log chunk the events lie in (nearly always one). Events under
:data:`SMALL_EVENT_BYTES` on average are mostly header and envelope, so their
messages go deflated instead: ``"deflate": [headers size, data size]`` and
one buffer. At most one message per ``interval`` whatever the event rate,
and a lone event goes out on the next loop turn, so sparse events show at
once while a burst of thousands costs a few messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..wire.eventlog import EventLog
from ..wire.headers import deflate, encode_headers

Buffers = list[bytes | memoryview]
Send = Callable[[dict[str, Any], Buffers], None]
Message = tuple[dict[str, Any], Buffers]

# A reply to a view's hello carries at most this many events or (past its
# first event) data bytes per message, so that a view reloaded after a huge
# run gets it in digestible pieces.
MESSAGE_EVENTS = 5000
MESSAGE_BYTES = 8 * 2**20
# Below this mean data size per event, a message is deflated: the ~5-byte
# header, the envelope and the repeated JSON keys outweigh the data (a
# ticker's 22 bytes), and level-1 deflate of so little costs next to nothing.
# Bigger events go as they are: compressing megabytes a second would cost
# the kernel more than the bytes it saves on a local comm.
SMALL_EVENT_BYTES = 128


def append_message(log: EventLog, start: int, stop: int) -> Message:
    """The append message (content, buffers) that carries events ``start..stop``.

    Its data buffers are views of the log's bytes, not copies: a flush holds
    no second copy of a burst of events."""
    names, headers = encode_headers(log.rows(start, stop))
    content: dict[str, Any] = {"type": "append", "from": start, "names": names}
    data = log.data_views(start, stop)
    size = log.nbytes(start, stop)
    if size < SMALL_EVENT_BYTES * (stop - start):
        packed = deflate(headers, *data)
        if len(packed) < len(headers) + size:
            content["deflate"] = [len(headers), size]
            return content, [packed]
    return content, [headers, *data]


def replay_messages(log: EventLog, start: int, stop: int) -> Iterator[Message]:
    """Events ``start..stop`` as append messages of bounded size."""
    while start < stop:
        end, size = start, 0
        while end < stop and end - start < MESSAGE_EVENTS:
            size += log.size(end)
            if size > MESSAGE_BYTES and end > start:
                break
            end += 1
        yield append_message(log, start, end)
        start = end


class Outbox:
    def __init__(self, log: EventLog, send: Send, interval: float = 1 / 30) -> None:
        self._log = log
        self._send = send
        self._interval = interval
        self._next = 0  # the first seq not sent yet
        self._handle: asyncio.TimerHandle | asyncio.Handle | None = None
        self._last_flush = float("-inf")

    def notify(self) -> None:
        """New events are in the log: send them soon."""
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
        stop = len(self._log)
        if self._next >= stop:
            return
        self._last_flush = time.monotonic()
        # One message per flush, whatever its size: the rate bounds the batch.
        content, buffers = append_message(self._log, self._next, stop)
        self._next = stop
        self._send(content, buffers)

    def replay(self, have: int) -> None:
        """Send the events from ``have`` on to a view that holds the first ``have``."""
        for content, buffers in replay_messages(self._log, max(have, 0), len(self._log)):
            self._send(content, buffers)
