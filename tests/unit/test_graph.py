"""The graph panel's graph: normalizing, compiled graphs, and a fetch that never fails the run."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from lgwidget import LGWidgetHTTPError, RunTimeline, watch
from lgwidget.feeds.graph import GraphFormatError, graph_of, normalize_graph, with_graph
from lgwidget.feeds.run import run_feed

# GET /assistants/weather/graph?xray=true, as the real server answers it.
WEATHER = {
    "nodes": [
        {"id": "__start__", "type": "runnable", "data": {"name": "__start__"}},
        {"id": "agent", "type": "runnable", "data": {"name": "agent"}},
        {
            "id": "action",
            "type": "runnable",
            "data": {"name": "action"},
            "metadata": {"__tools": ["tavily_search_results_json"]},
        },
        {"id": "__end__"},
    ],
    "edges": [
        {"source": "__start__", "target": "agent"},
        {"source": "action", "target": "agent"},
        {"source": "agent", "target": "__end__", "conditional": True},
        {"source": "agent", "target": "action", "data": "tools", "conditional": True},
    ],
}

SSE = (
    b'event: metadata\r\ndata: {"run_id":"r1","attempt":1}\r\n\r\n'
    b'event: updates\r\ndata: {"agent":{}}\r\n\r\n'
)


def test_normalize_keeps_ids_names_conditional_edges_and_branch_labels() -> None:
    graph = normalize_graph(WEATHER)
    assert graph["nodes"] == [
        {"id": "__start__", "name": "__start__"},
        {"id": "agent", "name": "agent"},
        {"id": "action", "name": "action"},
        {"id": "__end__", "name": "__end__"},
    ]
    assert graph["edges"] == [
        {"source": "__start__", "target": "agent", "conditional": False, "label": None},
        {"source": "action", "target": "agent", "conditional": False, "label": None},
        {"source": "agent", "target": "__end__", "conditional": True, "label": None},
        {"source": "agent", "target": "action", "conditional": True, "label": "tools"},
    ]


def test_normalize_drops_duplicate_nodes_and_edges_to_unknown_nodes() -> None:
    raw = {
        "nodes": [{"id": "a"}, {"id": "a"}, {"id": 3}],
        "edges": [{"source": "a", "target": "ghost"}, {"source": "a", "target": 3}],
    }
    assert normalize_graph(raw) == {
        "nodes": [{"id": "a", "name": "a"}, {"id": "3", "name": "3"}],
        "edges": [{"source": "a", "target": "3", "conditional": False, "label": None}],
    }


@pytest.mark.parametrize(
    "raw",
    [
        [],
        "graph",
        {"nodes": []},
        {"nodes": [{"name": "no id"}], "edges": []},
        {"nodes": [{"id": "a"}], "edges": [{"source": "a"}]},
    ],
)
def test_normalize_rejects_what_is_not_a_graph(raw: Any) -> None:
    with pytest.raises(GraphFormatError):
        normalize_graph(raw)


def test_graph_of_a_compiled_graph_shows_its_subgraph_nodes() -> None:
    pytest.importorskip("langgraph")
    from lgwidget.demo.research import graph

    ids = [node["id"] for node in graph_of(graph)["nodes"]]
    assert ids == ["__start__", "agent", "tools", "__end__", "research:read", "research:summarize"]


def test_graph_of_a_graph_that_cannot_be_drawn_is_an_error_value() -> None:
    class Opaque:
        def get_graph(self, xray: bool = False) -> Any:
            raise NotImplementedError("no drawing for this one")

    assert graph_of(Opaque()) == {"error": "no drawing for this one"}


async def test_watch_of_a_compiled_graph_sets_its_graph() -> None:
    pytest.importorskip("langgraph")
    from lgwidget.demo.ticker import graph

    tl = await watch(graph.astream({"n": 2}, stream_mode="updates"))
    assert tl.status == "done"
    assert {edge["target"] for edge in tl.graph["edges"] if edge["source"] == "tick"} == {
        "tick",
        "__end__",
    }


def server(
    graph: httpx.Response | None, delay: float = 0.0, run_fails: bool = False
) -> httpx.MockTransport:
    """A server that runs every run with ``SSE`` (or a 404 with ``run_fails``)
    and answers the graph with ``graph`` after ``delay`` seconds (None: the
    graph endpoint hangs)."""

    async def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/threads":
            return httpx.Response(200, json={"thread_id": "t1"})
        if path == "/threads/t1/runs/stream" and run_fails:
            return httpx.Response(404, json={"detail": "Assistant not found"})
        if path == "/threads/t1/runs/stream":
            headers = {"content-type": "text/event-stream", "content-location": "/t1/runs/r1"}
            return httpx.Response(200, content=SSE, headers=headers)
        if path == "/threads/t1":
            return httpx.Response(200, json={"status": "idle"})
        if path == "/assistants/agent/graph":
            assert request.url.params["xray"] == "true"
            await asyncio.sleep(delay if graph is not None else 3600)
            assert graph is not None
            return graph
        return httpx.Response(404, json={"detail": "not scripted"})

    return httpx.MockTransport(handle)


def launch(transport: httpx.MockTransport) -> RunTimeline:
    tl = RunTimeline("http://lg.test", "agent", transport=transport)
    return tl.launch(with_graph(run_feed({"assistant_id": "agent"}), "agent"))


async def test_the_graph_arrives_with_the_run_even_when_slower_than_it() -> None:
    tl = await launch(server(httpx.Response(200, json=WEATHER), delay=0.2))
    assert tl.status == "done"
    assert [node["id"] for node in tl.graph["nodes"]] == ["__start__", "agent", "action", "__end__"]


async def test_a_failed_run_still_waits_for_its_graph() -> None:
    answer = httpx.Response(404, json={"detail": "Assistant not found"})
    tl = launch(server(answer, delay=0.2, run_fails=True))
    with pytest.raises(LGWidgetHTTPError):
        await tl.wait()
    assert "Assistant not found" in tl.graph["error"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (httpx.Response(404, json={"detail": "Assistant not found"}), "404.*Assistant not found"),
        (httpx.Response(500, text="boom"), "500.*boom"),
        (httpx.Response(200, json={"nodes": "?"}), "lists 'nodes' and 'edges'"),
    ],
)
async def test_a_failed_graph_fetch_says_why_and_the_run_goes_on(
    answer: httpx.Response, reason: str
) -> None:
    tl = await launch(server(answer))
    assert tl.status == "done"
    assert [e["event"] for e in tl.events] == ["metadata", "updates"]
    assert set(tl.graph) == {"error"}
    assert re.search(reason, tl.graph["error"]), tl.graph["error"]


async def test_a_finished_run_waits_for_a_hanging_graph_only_so_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("lgwidget.feeds.graph.GRAPH_GRACE", 0.1)
    tl = await asyncio.wait_for(launch(server(None)).wait(), 2)
    assert tl.status == "done"
    assert tl.graph == {
        "error": "http://lg.test: no answer to GET /assistants/agent/graph "
        "within 0.1 s of the run's end"
    }


async def test_stopping_the_run_stops_a_graph_fetch_that_hangs() -> None:
    tl = launch(server(None))
    await asyncio.sleep(0.05)
    tl.close()
    await asyncio.wait_for(tl.wait(), 2)
    assert tl.status == "cancelled"
    assert tl.graph == {}
