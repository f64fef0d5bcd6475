"""The byte-level SSE parser: line ends, heartbeats, invalid UTF-8, huge lines, cut
streams, and the WHATWG "interpreting an event stream" rules, one test each."""

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


def test_an_event_without_data_is_not_dispatched_nor_an_id_alone() -> None:
    # This test used to assert the old, non-WHATWG behaviour: the "event: updates"
    # block without data came out as SSEMessage("updates", b""). The spec
    # dispatches nothing for a block whose data buffer is empty.
    assert decode(b"event: updates\n\nid: 7\n\n: c\n\ndata: x\n\n") == [
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


# -- the WHATWG rules, one by one -------------------------------------------------


def test_a_block_without_a_data_field_dispatches_nothing() -> None:
    blocks = [
        b"event: updates\n",  # a name alone
        b"id: 3\n",
        b"retry: 1000\n",
        b": heartbeat\n",
        b"foo: bar\n",  # an unknown field
        b"event: updates\nid: 4\nretry: 5\n: c\n",  # all of them
        b"\n",  # blank lines in a row: an empty block each
    ]
    assert decode(b"\n".join(blocks) + b"\n") == []
    # A data field dispatches, even an empty one; "data" without a colon too.
    assert decode(b"data:\n\ndata\n\ndata\ndata\n\n") == [
        SSEMessage("message", b""),
        SSEMessage("message", b""),
        SSEMessage("message", b"\n"),
    ]


def test_a_heartbeat_block_after_an_id_dispatches_nothing() -> None:
    # httpx-sse 0.4.3 dispatches an empty "message" here (and at every later
    # blank line that ends a block without data), once any id was seen.
    stream = b"data: 1\nid: 1\n\n: heartbeat\n\n\n\nretry: 10\n\ndata: 2\n\n"
    assert decode(stream) == [SSEMessage("message", b"1", "1"), SSEMessage("message", b"2")]


@pytest.mark.parametrize(
    "block",
    [b"event:\n", b"event\n", b"event: \n", b"event: a\nevent:\n"],
    ids=["empty", "no-colon", "one-space", "emptied-later"],
)
def test_an_empty_event_name_means_message(block: bytes) -> None:
    assert decode(block + b"data: x\n\n") == [SSEMessage("message", b"x")]


def test_an_event_name_keeps_all_but_one_leading_space() -> None:
    assert decode(b"event:  \ndata: x\n\n") == [SSEMessage(" ", b"x")]


def test_the_last_event_id_changes_only_at_the_end_of_a_block() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: 1\nid: 1\n\n") == [SSEMessage("message", b"1", "1")]
    assert decoder.last_event_id == "1"
    assert decoder.feed(b"event: e\nid: 2\ndata: 2\n") == []
    assert decoder.last_event_id == "1"  # the block is not complete yet
    assert decoder.feed(b"\n") == [SSEMessage("e", b"2", "2")]
    assert decoder.last_event_id == "2"
    # A block cut by the end of the stream does not move it.
    assert decoder.feed(b"data: 3\nid: 3\n") == []
    assert decoder.close() == []
    assert decoder.last_event_id == "2"


def test_the_last_event_id_never_comes_from_an_unfinished_block_at_any_split() -> None:
    stream = b"data: a\nid: 1\n\nid: 2\ndata: b\n\ndata: c\r\nid: 3\r\n\r\nid: 4\ndata: d\n"
    # The id of the last complete block of each prefix (the last one never completes).
    ends = {stream.index(b"1\n\n") + 3: "1", stream.index(b"b\n\n") + 3: "2"}
    ends[stream.index(b"3\r\n\r\n") + 5] = "3"
    for cut in range(len(stream) + 1):
        decoder = SSEDecoder()
        decoder.feed(stream[:cut])
        expected = max(((end, i) for end, i in ends.items() if end <= cut), default=(0, ""))[1]
        assert decoder.last_event_id == expected, cut
        decoder.feed(stream[cut:])
        decoder.close()
        assert decoder.last_event_id == "3", cut


def test_the_last_event_id_persists_and_an_id_only_block_sets_it() -> None:
    decoder = SSEDecoder()
    out = decoder.feed(b"id: 1\ndata: a\n\ndata: b\n\nid: 2\n\n")
    # An event's id is its own block's; the last event id persists across blocks.
    assert out == [SSEMessage("message", b"a", "1"), SSEMessage("message", b"b", None)]
    assert decoder.last_event_id == "2"  # an id-only block is no event, but sets it
    assert decoder.feed(b"id: x\0y\ndata: c\n\n") == [SSEMessage("message", b"c", None)]
    assert decoder.last_event_id == "2"  # an id with NUL is ignored
    assert decoder.feed(b"id\ndata: d\n\n") == [SSEMessage("message", b"d", "")]
    assert decoder.last_event_id == ""  # "id" without a value resets it


def test_one_leading_bom_is_skipped_even_split_across_chunks() -> None:
    stream = b"\xef\xbb\xbfevent: e\ndata: 1\n\n"
    for cut in range(len(stream) + 1):
        assert decode(stream[:cut], stream[cut:]) == [SSEMessage("e", b"1")], cut
    assert decode(*(stream[i : i + 1] for i in range(len(stream)))) == [SSEMessage("e", b"1")]
    # Only one: a second one makes the first field "\ufeffdata", an unknown field.
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: 1\n\ndata: 2\n\n") == [
        SSEMessage("message", b"2")
    ]
    # And only at the very start of the stream.
    assert decode(b"data: 1\n\n\xef\xbb\xbfdata: 2\n\n") == [SSEMessage("message", b"1")]
    assert decode(b"\xef\xbbdata: 1\n\n") == []  # half a BOM is content


def test_cr_lf_and_crlf_mixed_in_one_stream() -> None:
    stream = b"event: e\rdata: 1\ndata: 2\r\n\rdata: 3\r\r\ndata: 4\n\r\n"
    expected = [SSEMessage("e", b"1\n2"), SSEMessage("message", b"3"), SSEMessage("message", b"4")]
    for cut in range(len(stream) + 1):
        assert decode(stream[:cut], stream[cut:]) == expected, cut
    # CR CR is two line ends (a blank line), CR LF one.
    assert decode(b"data: a\r\rdata: b\r\n\r\n") == [
        SSEMessage("message", b"a"),
        SSEMessage("message", b"b"),
    ]


def test_other_unicode_line_breaks_are_content() -> None:
    # VT, FF, FS, NEL and U+2028 end lines for str.splitlines, not for SSE.
    body = "a\x0bb\x0cc\x1cd\x85e\u2028f".encode()
    assert decode(b"data: " + body + b"\n\n") == [SSEMessage("message", body)]


def test_comments_are_counted_and_do_not_end_a_block() -> None:
    decoder = SSEDecoder()
    out = decoder.feed(b": first\ndata: a\n:\n:no space\ndata: b\n\n: heartbeat\n\n")
    assert out == [SSEMessage("message", b"a\nb")]
    assert decoder.comments == 4


def test_retry_is_ignored() -> None:
    stream = b"retry: 3000\ndata: a\nretry: soon\nretry\n\nretry: 10\n\n"
    assert decode(stream) == [SSEMessage("message", b"a")]


def test_a_line_without_a_colon_is_a_field_with_an_empty_value() -> None:
    assert decode(b"data\nevent\nid\nfoo\n\n") == [SSEMessage("message", b"", "")]
    # The whole line is the name: "data " (with a space) is not "data".
    assert decode(b"data \n\n") == []


def test_only_one_space_after_the_colon_is_removed() -> None:
    stream = b"data:x\ndata: x\ndata:  x\ndata:\tx\ndata: x \nid:  7\n\n"
    assert decode(stream) == [SSEMessage("message", b"x\nx\n x\n\tx\nx ", " 7")]
    # Only after the first colon: later colons belong to the value.
    assert decode(b"data: a: b\n\n") == [SSEMessage("message", b"a: b")]
