"""The byte-level SSE parser: line ends, heartbeats, invalid UTF-8, huge lines, cut streams."""

from __future__ import annotations

import time

import pytest

from lgwidget.client.sse import SSEDecoder, SSEMessage

STREAM = (
    b'event: metadata\r\ndata: {"run_id":"r1"}\r\nid: 1-0\r\n\r\n'
    b": heartbeat\r\n\r\n"
    b'event: updates\r\ndata: {"a":1}\r\nid: 2-0\r\n\r\n'
)
EXPECTED = [
    SSEMessage("metadata", b'{"run_id":"r1"}', "1-0"),
    SSEMessage("updates", b'{"a":1}', "2-0"),
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
    assert bad == SSEMessage("custom", '{"x": "caf\ufffd"}'.encode(), None, invalid_utf8=True)
    assert not good.invalid_utf8


def test_an_event_without_data_is_dispatched_and_an_id_alone_is_not() -> None:
    assert decode(b"event: updates\n\nid: 7\n\n: c\n\ndata: x\n\n") == [
        SSEMessage("updates", b"", None),
        SSEMessage("message", b"x", None),
    ]


def test_multi_line_data_unknown_fields_and_a_bom() -> None:
    decoder = SSEDecoder()
    out = decoder.feed(b"\xef\xbb\xbfevent: e\ndata: a\ndata:b\nretry: 5\nfoo: 1\nid: 9\n\n")
    assert out == [SSEMessage("e", b"a\nb", "9")]
    assert decoder.last_event_id == "9"


def test_a_block_cut_before_its_blank_line_is_dropped() -> None:
    # The stream was cut inside it; a rejoin replays it whole.
    assert decode(b'event: a\ndata: 1\n\nevent: b\ndata: {"half') == [SSEMessage("a", b"1")]
    assert decode(b"event: a\ndata: 1\n\r") == [SSEMessage("a", b"1")]  # a final CR ends its line


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


def test_data_comes_as_bytes_and_reads_as_text_or_json() -> None:
    (message,) = decode('event: updates\ndata: {"a": "é"}\n\n'.encode())
    assert message.body == '{"a": "é"}'.encode()
    assert message.data == '{"a": "é"}'
    assert message.json() == {"a": "é"}


def test_an_invalid_event_name_is_flagged_and_not_remembered() -> None:
    bad, good = decode(b"event: up\xffdates\ndata: 1\n\nevent: updates\ndata: 2\n\n")
    assert (bad.event, bad.invalid_utf8) == ("up\ufffddates", True)
    assert (good.event, good.invalid_utf8) == ("updates", False)


def test_a_cr_at_the_end_of_a_chunk_after_earlier_lines() -> None:
    # The lines before the CR go out at once; the CR's own line waits.
    decoder = SSEDecoder()
    assert decoder.feed(b"data: 1\r\n\r\ndata: 2\r") == [SSEMessage("message", b"1")]
    assert decoder.feed(b"\n\r\n") == [SSEMessage("message", b"2")]
