"""The run's graph for the widget's graph panel: fetched, normalized, never fatal.

The panel draws the graph the LangGraph API server describes with ``GET
/assistants/{assistant_id}/graph?xray=true`` (or, for :func:`lgwidget.watch`
of a compiled graph, ``graph.get_graph(xray=True)``, the same drawable graph
the server serializes). Both are normalized to one shape, the ``graph`` trait:

    {"nodes": [{"id", "name"}], "edges": [{"source", "target", "conditional", "label"}]}

With ``xray`` a subgraph's nodes are ``"<parent>:<child>"`` ids in place of
the parent node. A graph that cannot be had must not fail the run: the trait
is then ``{"error": "<reason>"}`` and the panel says "graph unavailable".
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from ..errors import LGWidgetError
from .contract import Feed, FeedTarget, TimelineStatus


class GraphFormatError(ValueError):
    """The graph JSON is not ``{"nodes": [...], "edges": [...]}``."""


def normalize_graph(raw: Any) -> dict[str, Any]:
    """A drawable graph's JSON (``Graph.to_json()``, as the server sends it)
    in the trait's shape. Node ids are kept as given (``__start__``,
    ``__end__``, ``parent:child``); a node's name is its ``data.name`` when it
    has one. Raises :class:`GraphFormatError` for anything else."""
    if not isinstance(raw, Mapping):
        raise GraphFormatError(
            f"expected a JSON object with nodes and edges, got {type(raw).__name__}"
        )
    nodes_in, edges_in = raw.get("nodes"), raw.get("edges")
    if not isinstance(nodes_in, list) or not isinstance(edges_in, list):
        raise GraphFormatError("expected a JSON object with lists 'nodes' and 'edges'")
    nodes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for node in nodes_in:
        if not isinstance(node, Mapping) or "id" not in node:
            raise GraphFormatError(f"a node without an id: {node!r}"[:200])
        node_id = str(node["id"])
        if node_id in seen:
            continue
        seen.add(node_id)
        data = node.get("data")
        name = data.get("name") if isinstance(data, Mapping) else None
        nodes.append({"id": node_id, "name": str(name or node_id)})
    edges: list[dict[str, Any]] = []
    for edge in edges_in:
        if not isinstance(edge, Mapping) or "source" not in edge or "target" not in edge:
            raise GraphFormatError(f"an edge without source or target: {edge!r}"[:200])
        source, target = str(edge["source"]), str(edge["target"])
        if source not in seen or target not in seen:
            continue  # an edge to a node the graph does not list cannot be drawn
        label = edge.get("data")
        edges.append(
            {
                "source": source,
                "target": target,
                "conditional": bool(edge.get("conditional")),
                "label": label if isinstance(label, str) and label != target else None,
            }
        )
    return {"nodes": nodes, "edges": edges}


def graph_of(compiled: Any) -> dict[str, Any]:
    """The trait value for a compiled graph in this kernel (``get_graph(xray=True)``),
    or ``{"error": ...}`` when it cannot be drawn."""
    try:
        return normalize_graph(compiled.get_graph(xray=True).to_json())
    except Exception as exc:  # a graph that cannot draw itself must not stop the run
        return unavailable(exc)


async def fetch_graph(tl: FeedTarget, assistant_id: str) -> dict[str, Any]:
    """The trait value for ``assistant_id`` on the timeline's server, or
    ``{"error": ...}`` (unknown assistant, a server error, a bad graph, no
    connection)."""
    try:
        async with tl.client() as client:
            return normalize_graph(await client.get_assistant_graph(assistant_id, xray=True))
    except (LGWidgetError, GraphFormatError) as exc:
        return unavailable(exc)


def unavailable(exc: BaseException) -> dict[str, Any]:
    """The trait value that says why there is no graph."""
    return {"error": str(exc) or type(exc).__name__}


#: Seconds a finished run waits for a graph fetch still under way.
GRAPH_GRACE = 5.0


def with_graph(feed: Feed, assistant_id: str) -> Feed:
    """``feed``, with the assistant's graph fetched alongside it into ``tl.graph``.

    The fetch runs concurrently so the run does not wait for it, and the graph
    is set as soon as it arrives. When the run ends, done or failed, the fetch
    gets up to :data:`GRAPH_GRACE` seconds more (so the graph, or why there is
    none, is there when ``wait()`` returns); a stopped run cancels it.
    """

    async def feed_with_graph(tl: FeedTarget) -> TimelineStatus:
        async def load() -> None:
            graph = await fetch_graph(tl, assistant_id)
            with contextlib.suppress(ReferenceError):  # the timeline was collected
                tl.graph = graph

        async def settle() -> None:
            done, _ = await asyncio.wait({task}, timeout=GRAPH_GRACE)
            if not done:
                task.cancel()
                with contextlib.suppress(ReferenceError):
                    tl.graph = {
                        "error": f"{tl.url}: no answer to GET /assistants/{assistant_id}/graph "
                        f"within {GRAPH_GRACE:g} s of the run's end"
                    }

        task = asyncio.ensure_future(load())
        try:
            status = await feed(tl)
        except asyncio.CancelledError:
            task.cancel()
            raise
        except BaseException:
            await settle()  # e.g. an unknown assistant: the graph says why too
            raise
        await settle()
        return status

    return feed_with_graph
