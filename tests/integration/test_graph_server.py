"""The graph panel's graph from the real in-memory LangGraph API server."""

from __future__ import annotations

import httpx
import pytest

import lgwidget
from lgwidget.client.http import LangGraphClient

WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}
RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}


async def test_a_run_brings_its_graph_with_conditional_edges(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "weather", input=WEATHER_INPUT)
    assert tl.status == "done"
    assert [node["id"] for node in tl.graph["nodes"]] == ["__start__", "agent", "action", "__end__"]
    conditional = {(e["source"], e["target"]) for e in tl.graph["edges"] if e["conditional"]}
    assert conditional == {("agent", "action"), ("agent", "__end__")}


async def test_xray_draws_the_subgraph_nodes_in_place_of_their_parent(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "research", input=RESEARCH_INPUT)
    ids = [node["id"] for node in tl.graph["nodes"]]
    assert "research" not in ids
    assert {"research:read", "research:summarize"} <= set(ids)
    edges = {(e["source"], e["target"]) for e in tl.graph["edges"]}
    assert {("tools", "research:read"), ("research:summarize", "agent")} <= edges


async def test_the_graph_of_an_assistant_uuid_is_the_graph_of_its_name(server_url: str) -> None:
    async with httpx.AsyncClient(base_url=server_url) as http:
        found = await http.post("/assistants/search", json={"graph_id": "weather"})
    assistant_id = found.json()[0]["assistant_id"]
    async with LangGraphClient(server_url) as client:
        by_uuid = await client.get_assistant_graph(assistant_id)
        by_name = await client.get_assistant_graph("weather")
        without_xray = await client.get_assistant_graph("research", xray=False)
    assert by_uuid == by_name
    assert "research" in [node["id"] for node in without_xray["nodes"]]


async def test_an_unknown_assistant_says_graph_unavailable(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "no-such-graph", input={})
    with pytest.raises(lgwidget.LGWidgetHTTPError):
        await tl.wait()
    assert "/assistants/no-such-graph/graph" in tl.graph["error"]
    assert "422" in tl.graph["error"]
