"""SSE bytes -> event records, through the real client code."""

from __future__ import annotations

import httpx
import pytest

from lgwidget.client.http import LangGraphClient
from lgwidget.wire.events import EventRecord, interrupts_of, make_record, split_event_name


async def records_from(body: bytes) -> list[EventRecord]:
    """Parse ``body`` as a run stream the way the timeline does."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=body, headers={"content-type": "text/event-stream; charset=utf-8"}
        )

    records: list[EventRecord] = []
    async with (
        LangGraphClient("http://sse.test", transport=httpx.MockTransport(handler)) as client,
        client.stream_run("t1", {"assistant_id": "a"}) as run,
    ):
        async for sse in run.events():
            records.append(make_record(len(records), sse.event, sse.data, sse.id, 0.5))
    return records


async def test_crlf_frames_with_ids_become_records_in_order() -> None:
    body = (
        b'event: metadata\r\ndata: {"run_id":"r1","attempt":1}\r\nid: 17-0\r\n\r\n'
        b'event: updates\r\ndata: {"agent":{"messages":[]}}\r\nid: 17-0\r\n\r\n'
    )
    records = await records_from(body)
    assert records == [
        {
            "seq": 0,
            "event": "metadata",
            "mode": "metadata",
            "ns": [],
            "data": {"run_id": "r1", "attempt": 1},
            "id": "17-0",
            "t": 0.5,
        },
        {
            "seq": 1,
            "event": "updates",
            "mode": "updates",
            "ns": [],
            "data": {"agent": {"messages": []}},
            "id": "17-0",
            "t": 0.5,
        },
    ]


async def test_multi_line_data_is_joined_with_newlines() -> None:
    body = b'event: custom\ndata: {"a":\ndata: 1}\n\nevent: custom\ndata: line one\ndata: two\n\n'
    first, second = await records_from(body)
    assert first["data"] == {"a": 1}
    assert "raw" not in first
    assert second["data"] == "line one\ntwo"
    assert second["raw"] is True


async def test_heartbeat_comments_are_not_events() -> None:
    body = b': heartbeat\r\n\r\nevent: updates\r\ndata: {"n":1}\r\n\r\n: heartbeat\r\n\r\n'
    records = await records_from(body)
    assert [r["data"] for r in records] == [{"n": 1}]


async def test_non_json_data_is_kept_raw_and_the_stream_goes_on() -> None:
    body = b'event: updates\ndata: {not json\n\nevent: updates\ndata: {"ok":true}\n\n'
    bad, good = await records_from(body)
    assert bad["data"] == "{not json"
    assert bad["raw"] is True
    assert good["data"] == {"ok": True}


async def test_unknown_event_names_are_kept() -> None:
    body = b'event: something/new\ndata: {"x":1}\n\ndata: nameless\n\n'
    unknown, nameless = await records_from(body)
    assert (unknown["event"], unknown["mode"], unknown["data"]) == (
        "something/new",
        "something/new",
        {"x": 1},
    )
    assert (nameless["event"], nameless["data"]) == ("message", "nameless")


async def test_event_with_no_data_has_data_none() -> None:
    records = await records_from(b"event: ping\ndata:\n\n")
    assert records[0]["event"] == "ping"
    assert records[0]["data"] is None


@pytest.mark.parametrize(
    ("name", "mode", "ns"),
    [
        ("updates", "updates", []),
        ("messages/partial", "messages/partial", []),
        ("updates|research:abc", "updates", ["research:abc"]),
        ("values|a:1|b:2", "values", ["a:1", "b:2"]),
    ],
)
def test_namespaced_event_names_split_into_mode_and_ns(name: str, mode: str, ns: list[str]) -> None:
    assert split_event_name(name) == (mode, ns)


def test_interrupts_are_found_in_updates_and_values() -> None:
    update = make_record(0, "updates", '{"__interrupt__":[{"value":"ok?","id":"i1"}]}', None, 0)
    plain = make_record(1, "updates", '{"agent":{}}', None, 0)
    custom = make_record(2, "custom", '{"__interrupt__":[1]}', None, 0)
    assert interrupts_of(update) == [{"value": "ok?", "id": "i1"}]
    assert interrupts_of(plain) is None
    assert interrupts_of(custom) is None
