"""Compact binary event headers for the append messages.

An event's header is what the front end needs besides its data bytes to
rebuild the record: name, id, arrival time, data size, raw flag. As JSON
(``["updates", "1732491234567-0", 12.345, 22]``) it outweighs a tick's 20
bytes of data; here it is about 5 bytes. One message's headers are one
buffer, decodable alone (a view that mounts late, a replay): every delta
below starts afresh in each message.

Each header is a run of unsigned LEB128 varints:

- ``name << 3 | id_kind << 1 | raw``: ``name`` indexes the message's
  ``names`` list (the event names it uses, in order of first use);
- the id: ``id_kind`` 0 is no id; 2 is a server id ``<ms>-<seq>`` (decimal,
  no leading zeros, each below 2**53) as ``ms`` minus the previous such id's
  ``ms`` in the message (0 before the first), then ``seq``; 1 is any other id
  (or an ``ms`` that went back) as its UTF-8 length and bytes;
- ``t`` in whole milliseconds, zigzag-encoded, minus the previous header's;
- the data's size in bytes.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from typing import Any

#: (event name, id, t in seconds, data bytes, raw): one event's header fields.
HeaderRow = tuple[str, str | None, float, int, bool]

_NO_ID, _TEXT_ID, _SERVER_ID = 0, 1, 2
#: A decimal number that prints back as the same text (no leading zeros), of
#: at most 16 digits: below 2**53 once checked, and int() is cheap on them.
DECIMAL = r"(0|[1-9][0-9]{0,15})"
_SERVER_ID_RE = re.compile(f"{DECIMAL}-{DECIMAL}")
_JS_SAFE = 2**53  # the front end reads these as JavaScript numbers


def split_server_id(event_id: str) -> tuple[int, int] | None:
    """``(ms, seq)`` of a server id ``<ms>-<seq>`` that prints back as the
    same text (no leading zeros, at most 16 digits each); None for other ids."""
    match = _SERVER_ID_RE.fullmatch(event_id)
    return (int(match[1]), int(match[2])) if match else None


def _varint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def encode_headers(rows: Iterable[HeaderRow]) -> tuple[list[str], bytes]:
    """``(names, headers)``: the names table and the headers buffer of ``rows``."""
    # This runs for every event sent: one-byte varints, the common case, are
    # appended inline.
    names: dict[str, int] = {}
    out = bytearray()
    append = out.append
    fullmatch = _SERVER_ID_RE.fullmatch
    prev_ms = prev_t = 0
    for name, event_id, t, nbytes, raw in rows:
        index = names.get(name)
        if index is None:
            index = names[name] = len(names)
        kind = _NO_ID
        if event_id is not None:
            kind = _TEXT_ID
            match = fullmatch(event_id)
            if match:
                ms, seq = int(match[1]), int(match[2])
                if prev_ms <= ms < _JS_SAFE and seq < _JS_SAFE:
                    kind = _SERVER_ID
        tag = index << 3 | kind << 1 | raw
        if tag < 0x80:
            append(tag)
        else:
            _varint(out, tag)
        if kind == _SERVER_ID:
            _varint(out, ms - prev_ms)
            _varint(out, seq)
            prev_ms = ms
        elif kind == _TEXT_ID:
            text = event_id.encode("utf-8", "replace")  # type: ignore[union-attr]
            _varint(out, len(text))
            out += text
        t_ms = round(t * 1000)
        delta, prev_t = t_ms - prev_t, t_ms
        zigzag = delta << 1 if delta >= 0 else (-delta << 1) - 1
        if zigzag < 0x80:
            append(zigzag)
        else:
            _varint(out, zigzag)
        if nbytes < 0x80:
            append(nbytes)
        else:
            _varint(out, nbytes)
    return list(names), bytes(out)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.data[self.pos]  # IndexError past the end: a cut buffer
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7


def decode_headers(names: list[str], headers: bytes) -> list[list[Any]]:
    """The headers as ``[event, id, t, nbytes]`` lists (``+ [1]`` when raw).

    Raises ValueError for a buffer that does not decode (cut, or a name
    index outside ``names``)."""
    reader = _Reader(bytes(headers))
    out: list[list[Any]] = []
    prev_ms = prev_t = 0
    try:
        while reader.pos < len(reader.data):
            tag = reader.varint()
            kind = tag >> 1 & 3
            event_id: str | None = None
            if kind == _SERVER_ID:
                prev_ms += reader.varint()
                event_id = f"{prev_ms}-{reader.varint()}"
            elif kind == _TEXT_ID:
                size = reader.varint()
                start, reader.pos = reader.pos, reader.pos + size
                if reader.pos > len(reader.data):
                    raise IndexError("cut id")
                event_id = reader.data[start : reader.pos].decode("utf-8", "replace")
            zigzag = reader.varint()
            prev_t += zigzag >> 1 if not zigzag & 1 else -((zigzag + 1) >> 1)
            header: list[Any] = [names[tag >> 3], event_id, prev_t / 1000, reader.varint()]
            if tag & 1:
                header.append(1)
            out.append(header)
    except IndexError as exc:
        raise ValueError(f"event headers do not decode: {exc}") from exc
    return out


def deflate(*parts: bytes | memoryview) -> bytes:
    """``parts`` concatenated and compressed as raw deflate (RFC 1951, level 1:
    the cheapest; small events' headers and JSON repeat so much that it
    already shrinks them several times).

    The smallest window and hash table (512 bytes, memLevel 1): the defaults
    take 256 KiB per compressor, more than a run of small events holds in all,
    and small events repeat within a few hundred bytes, so they pack as well."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -9, 1)
    return b"".join([*(packer.compress(part) for part in parts), packer.flush()])


def message_buffers(content: dict[str, Any], buffers: list[Any]) -> tuple[bytes, bytes]:
    """``(headers, data)`` of an append message: its first buffer and the
    others joined, or both inflated from its one buffer when it was sent
    deflated (``"deflate": [headers size, data size]``).

    Raises ValueError when a deflated buffer does not inflate to those sizes."""
    if "deflate" not in content:
        return bytes(buffers[0]), b"".join(bytes(buffer) for buffer in buffers[1:])
    head_size, data_size = content["deflate"]
    try:
        plain = zlib.decompress(bytes(buffers[0]), -15)
    except zlib.error as err:
        raise ValueError(f"an append message does not inflate: {err}") from None
    if len(plain) != head_size + data_size:
        raise ValueError(
            f"an append message inflates to {len(plain)} bytes, not {head_size + data_size}"
        )
    return plain[:head_size], plain[head_size:]
