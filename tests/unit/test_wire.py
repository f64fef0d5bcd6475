"""The compact event headers of the append messages (lgwidget.wire)."""

from __future__ import annotations

import base64
import json

import pytest
from js_fixtures import check_fixture

from lgwidget.timeline.outbox import append_message
from lgwidget.wire.eventlog import EventLog
from lgwidget.wire.headers import HeaderRow, decode_headers, encode_headers


def round_trip(rows: list[HeaderRow]) -> list[list[object]]:
    names, headers = encode_headers(rows)
    return decode_headers(names, headers)


def as_headers(rows: list[HeaderRow]) -> list[list[object]]:
    return [[n, i, t, b, 1] if raw else [n, i, t, b] for n, i, t, b, raw in rows]


def test_server_ids_names_times_and_sizes_round_trip() -> None:
    rows: list[HeaderRow] = [
        ("metadata", "1732491234567-0", 0.012, 40, False),
        ("updates", "1732491234567-1", 0.013, 22, False),
        ("updates", "1732491234590-0", 0.013, 0, False),
        ("updates|sub:1", "1732491239000-7", 4.5, 300_000, True),
    ]
    names, headers = encode_headers(rows)
    assert names == ["metadata", "updates", "updates|sub:1"]
    assert decode_headers(names, headers) == as_headers(rows)
    # A repeated server id costs about 5 bytes; the first carries its whole stamp.
    assert len(headers) < 12 + 3 * 8


def test_ids_that_are_not_server_ids_go_verbatim() -> None:
    rows: list[HeaderRow] = [
        ("a", None, 0.0, 1, False),
        ("a", "x-1", 0.001, 1, False),
        ("a", "01-0", 0.002, 1, False),  # a leading zero would not come back the same
        ("a", "5-0", 0.003, 1, False),
        ("a", "4-0", 0.004, 1, False),  # went back: no negative delta
        ("a", "", 0.005, 1, False),
        ("a", "9" * 17 + "-0", 0.006, 1, False),  # past 2**53
        ("a", "9007199254740992-0", 0.007, 1, False),  # 2**53 exactly
        ("a", "é😀-3", 0.008, 1, False),
    ]
    assert round_trip(rows) == as_headers(rows)


def test_big_deltas_and_times_that_go_back() -> None:
    rows: list[HeaderRow] = [
        ("e", "0-0", 1e6, 2**40, False),
        ("e", f"{2**53 - 1}-{2**53 - 1}", 0.0, 0, False),
        ("e", "1-0", 123456.789, 1, False),
    ]
    assert round_trip(rows) == as_headers(rows)


def test_unicode_names_and_many_of_them() -> None:
    rows: list[HeaderRow] = [(f"név|ns:{i % 40}😀", None, i / 1000, i, False) for i in range(100)]
    names, headers = encode_headers(rows)
    assert len(names) == 40
    assert decode_headers(names, headers) == as_headers(rows)


def test_each_message_decodes_alone() -> None:
    first = encode_headers([("a", "100-0", 1.0, 1, False)])
    second = encode_headers([("b", "100-1", 2.0, 1, False), ("a", "101-0", 2.5, 1, False)])
    assert decode_headers(*second) == [["b", "100-1", 2.0, 1], ["a", "101-0", 2.5, 1]]
    assert decode_headers(*first) == [["a", "100-0", 1.0, 1]]


def test_no_rows() -> None:
    assert encode_headers([]) == ([], b"")
    assert decode_headers([], b"") == []


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_cut_buffer_or_a_bad_name_index_is_an_error(cut: int) -> None:
    names, headers = encode_headers([("a", "x-1", 0.5, 300, False)])
    with pytest.raises(ValueError, match="do not decode"):
        decode_headers(names, headers[:-cut])
    with pytest.raises(ValueError, match="do not decode"):
        decode_headers([], headers)


# The front end's decoder (js/src/records.ts decodeHeaders) is tested against
# this file: the same bytes decode to the same headers in both languages.
JS_CASES: dict[str, list[HeaderRow]] = {
    "server ids": [
        ("metadata", "1732491234567-0", 0.012, 40, False),
        ("updates", "1732491234567-1", 0.013, 22, False),
        ("updates", "1732491234590-0", 0.013, 0, False),
        ("updates|sub:1", "1732491239000-7", 4.5, 300_000, True),
    ],
    "verbatim ids": [
        ("a", None, 0.0, 1, False),
        ("a", "x-1", 0.001, 1, False),
        ("a", "01-0", 0.002, 1, False),
        ("a", "5-0", 0.003, 1, False),
        ("a", "4-0", 0.004, 1, False),
        ("a", "9007199254740992-0", 0.007, 1, False),
        ("a", "é😀-3", 0.008, 1, False),
    ],
    "big deltas": [
        ("e", "0-0", 1e6, 2**40, False),
        ("e", f"{2**53 - 1}-{2**53 - 1}", 0.0, 0, False),
        ("e", "1-0", 123456.789, 1, False),
    ],
    "unicode names": [(f"név|ns:{i % 3}😀", None, i / 1000, i, i % 2 == 1) for i in range(6)],
}


def js_fixture() -> str:
    cases = {}
    for label, rows in JS_CASES.items():
        names, headers = encode_headers(rows)
        cases[label] = {
            "names": names,
            "headers": base64.b64encode(headers).decode(),
            "expected": as_headers(rows),
        }
    return json.dumps(cases, ensure_ascii=False, indent=1) + "\n"


def test_the_js_fixture_is_current() -> None:
    check_fixture("wire-v3.json", js_fixture(), "tests/unit/test_wire.py")


# A deflated append message, as the kernel sends small events (lgwidget/timeline/outbox.py),
# inflated by the front end (js/src/records.ts inflateAppend) in js/test/wire.test.ts.


def js_deflate_fixture() -> str:
    log = EventLog()
    for i in range(40):
        data = json.dumps({"tick": {"count": i, "é": "😀"}}, ensure_ascii=False).encode()
        log.append("updates", data, f"1732491234567-{i}", i / 100)
    content, buffers = append_message(log, 0, len(log))
    assert len(buffers) == 1, "40 small events go deflated"
    texts = [json.dumps(e["data"], ensure_ascii=False) for e in log]
    return (
        json.dumps(
            {"msg": content, "packed": base64.b64encode(buffers[0]).decode(), "texts": texts},
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def test_the_js_deflate_fixture_is_current() -> None:
    check_fixture("wire-deflate.json", js_deflate_fixture(), "tests/unit/test_wire.py")
