"""The byte-level SSE parser: line ends, heartbeats, invalid UTF-8, huge lines, cut streams."""

from __future__ import annotations

import time

import pytest

from lgwidget.sse import SSEDecoder, SSEMessage

STREAM = (
    b'event: metadata\r\ndata: {"run_id":"r1"}\r\nid: 1-0\r\n\r\n'
    b": heartbeat\r\n\r\n"
    b'event: updates\r\ndata: {"a":1}\r\nid: 2-0\r\n\r\n'
)
EXPECTED = [
    SSEMessage("metadata", '{"run_id":"r1"}', "1-0"),
    SSEMessage("updates", '{"a":1}', "2-0"),
]


def decode(*chunks: bytes) -> list[SSEMessage]:
    decoder = SSEDecoder()
    out = [m for chunk in chunks for m in decoder.feed(chunk)]
    return out + decoder.close()


def test_a_heartbeat_after_an_id_is_not_an_event() -> None:
    # httpx-sse dispatches an empty "message" here, once any id was seen.
    assert decode(STREAM) == EXPECTED


@pytest.mark.parametrize("eol", [b"\r\n", b"\n", b"\r"], ids=["crlf", "lf", "cr"])
def test_every_split_point_and_line_end_gives_the_same_events(eol: bytes) -> None:
    stream = STREAM.replace(b"\r\n", eol)
    for cut in range(len(stream) + 1):
        assert decode(stream[:cut], stream[cut:]) == EXPECTED, cut
    assert decode(*(stream[i : i + 1] for i in range(len(stream)))) == EXPECTED


def test_invalid_utf8_is_replaced_and_flagged() -> None:
    (bad, good) = decode(b'event: custom\ndata: {"x": "caf\xe9"}\n\nevent: custom\ndata: "ok"\n\n')
    assert bad == SSEMessage("custom", '{"x": "caf\ufffd"}', None, invalid_utf8=True)
    assert not good.invalid_utf8


def test_an_event_without_data_is_dispatched_and_an_id_alone_is_not() -> None:
    assert decode(b"event: updates\n\nid: 7\n\n: c\n\ndata: x\n\n") == [
        SSEMessage("updates", "", None),
        SSEMessage("message", "x", None),
    ]


def test_multi_line_data_unknown_fields_and_a_bom() -> None:
    decoder = SSEDecoder()
    out = decoder.feed(b"\xef\xbb\xbfevent: e\ndata: a\ndata:b\nretry: 5\nfoo: 1\nid: 9\n\n")
    assert out == [SSEMessage("e", "a\nb", "9")]
    assert decoder.last_event_id == "9"


def test_a_block_cut_before_its_blank_line_is_dropped() -> None:
    # The stream was cut inside it; a rejoin replays it whole.
    assert decode(b'event: a\ndata: 1\n\nevent: b\ndata: {"half') == [SSEMessage("a", "1")]
    assert decode(b"event: a\ndata: 1\n\r") == [SSEMessage("a", "1")]  # a final CR ends its line


def test_a_20_mb_line_in_small_chunks_is_kept_in_linear_time() -> None:
    line = b"data: " + b"x" * 20_000_000 + b"\r\n\r\n"
    decoder = SSEDecoder()
    started = time.monotonic()
    out = []
    for i in range(0, len(line), 65536):
        out += decoder.feed(line[i : i + 65536])
    assert time.monotonic() - started < 5
    assert len(out) == 1
    assert len(out[0].data) == 20_000_000
