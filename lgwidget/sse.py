"""A byte-level parser of Server-Sent Events (the WHATWG ``text/event-stream`` format).

Why not a text-level one (httpx-sse): decoding the whole stream as text
replaces invalid UTF-8 silently, so a corrupted event could not be told from a
good one; and httpx-sse dispatches an empty ``message`` event on every blank
line once an ``id:`` was seen, so every heartbeat (``: heartbeat`` + blank
line) of a resumable run became a phantom event. Here:

- lines end at CRLF, LF or CR; a lone CR at the end of a chunk waits for the
  next chunk (it may be the first half of a CRLF);
- a block is dispatched at its blank line if it had an ``event:`` or a
  ``data:`` line; comment-only (heartbeat), ``id:``-only and ``retry:``-only
  blocks are not events;
- an event whose bytes are not valid UTF-8 keeps its text with U+FFFD
  replacement characters and says so (``invalid_utf8``);
- an unterminated block at the end of the stream is dropped, as the spec says:
  it was cut, and a rejoin replays it whole;
- a line of any length is kept: the buffer grows and is scanned once (no
  quadratic rescans of a 20 MB line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SSEMessage:
    """One dispatched event. ``event`` is ``"message"`` when the block named
    none; ``id`` is the block's own ``id:`` line (None without one);
    ``invalid_utf8`` says that some of its bytes were replaced by U+FFFD."""

    event: str
    data: str
    id: str | None = None
    invalid_utf8: bool = False

    def json(self) -> Any:
        return json.loads(self.data)


class SSEDecoder:
    """Feed it the bytes of a stream as they arrive; it returns whole events."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scan_from = 0  # bytes of the buffer already known to hold no line end
        self._at_start = True
        self.last_event_id = ""  # the spec's "last event ID": it persists across events
        self.comments = 0  # comment lines seen (the server's heartbeats)
        self._new_block()

    def _new_block(self) -> None:
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._invalid = False

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        buffer = self._buffer
        buffer += chunk
        if self._at_start:  # a UTF-8 byte order mark at the very start is not content
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                return []
            self._at_start = False
            if buffer.startswith(_BOM):
                del buffer[: len(_BOM)]
        messages: list[SSEMessage] = []
        start = 0
        size = len(buffer)
        # Line ends by bytes.find (memchr speed): a regex search over a long
        # data line costs several times more. Each position found is reused
        # until the scan passes it, so a stream without CRs is not rescanned.
        cr = buffer.find(b"\r", self._scan_from)
        lf = buffer.find(b"\n", self._scan_from)
        while True:
            if cr == -1 and lf == -1:
                break
            end = lf if cr == -1 else cr if lf == -1 else min(cr, lf)
            if end == cr:
                if end + 1 == size:
                    break  # maybe the first half of a CRLF: wait for the next byte
                after = end + 2 if buffer[end + 1] == 0x0A else end + 1
            else:
                after = end + 1
            self._line(bytes(memoryview(buffer)[start:end]), messages)
            start = after
            if cr != -1 and cr < start:
                cr = buffer.find(b"\r", start)
            if lf != -1 and lf < start:
                lf = buffer.find(b"\n", start)
        del buffer[:start]
        # What is left holds no line end, except perhaps a final lone CR.
        self._scan_from = len(buffer) - 1 if buffer.endswith(b"\r") else len(buffer)
        return messages

    def close(self) -> list[SSEMessage]:
        """The end of the stream: a final lone CR ends its line; a block not
        ended by a blank line is dropped (the stream was cut inside it)."""
        messages: list[SSEMessage] = []
        if self._buffer.endswith(b"\r"):
            self._line(bytes(self._buffer[:-1]), messages)
        self._buffer.clear()
        self._scan_from = 0
        self._new_block()
        return messages

    def _line(self, line: bytes, out: list[SSEMessage]) -> None:
        if not line:
            if self._event is not None or self._data:
                out.append(
                    SSEMessage(
                        self._event or "message", "\n".join(self._data), self._id, self._invalid
                    )
                )
            self._new_block()
            return
        if line.startswith(b":"):
            self.comments += 1
            return
        name, colon, value = line.partition(b":")
        if colon and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            self._data.append(self._text(value))
        elif name == b"event":
            self._event = self._text(value)
        elif name == b"id" and b"\0" not in value:
            self._id = self.last_event_id = self._text(value)
        # "retry" and unknown fields are ignored (lgwidget has its own backoff).

    def _text(self, value: bytes) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            self._invalid = True
            return value.decode("utf-8", "replace")
