"""Record the SSE fixtures of the JS tests from runs of our own demo graphs.

Starts the embedded LangGraph API server (:func:`lgwidget.local_server`, the
default demo graphs plus ``nested`` and ``parallel``, defined below), runs each scenario on a
fresh thread with ``POST /threads/{thread_id}/runs/stream`` and writes the
response body exactly as sent (``httpx`` ``aiter_raw``: CRLF line ends, no
re-encoding) to ``js/test/fixtures/<name>.sse``. A body over ``--max-bytes``
is cut at an event boundary and ends with ``: [truncated]``.

A scenario with several runs (human in the loop: interrupt, resume, continue)
runs them one after the other on the same thread; the file holds their bodies
in order, each introduced by a ``: run <n>`` comment line, the way one
timeline shows a run and its resumptions.

    .venv/bin/python scripts/record_fixtures.py [--out js/test/fixtures] [--list] [name ...]

This file is also the graph file of the ``nested`` and ``parallel`` graphs: the
server process loads it with ``LGW_RECORD_FIXTURES_GRAPHS=1`` set, which builds them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

import lgwidget

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "js" / "test" / "fixtures"
MAX_BYTES = 64 * 1024  # whole runs: the tests check how they end
TRUNCATED = b": [truncated]\r\n\r\n"

GRAPHS_ENV = "LGW_RECORD_FIXTURES_GRAPHS"

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
APPROVAL_INPUT = {"messages": [{"role": "user", "content": "Email the team the weekly report."}]}
COMBINED = ["updates", "messages-tuple", "custom"]


def research(stream_mode: str | list[str], **options: Any) -> dict[str, Any]:
    """A run of the ``research`` demo graph."""
    return {
        "assistant_id": "research",
        "input": RESEARCH_INPUT,
        "stream_mode": stream_mode,
        **options,
    }


# name -> the run-create body, or a list of bodies run in turn on one thread
# (a fresh thread per scenario).
SCENARIOS: dict[str, dict[str, Any] | list[dict[str, Any]]] = {
    "updates": {
        "assistant_id": "weather",
        "input": {"messages": [{"role": "user", "content": "what is the weather in la"}]},
        "stream_mode": "updates",
    },
    "combined": {"assistant_id": "research", "input": RESEARCH_INPUT, "stream_mode": COMBINED},
    "subgraphs": {
        "assistant_id": "research",
        "input": RESEARCH_INPUT,
        "stream_mode": COMBINED,
        "stream_subgraphs": True,
    },
    "error": {
        "assistant_id": "failing",
        "input": {"value": 0},
        "stream_mode": ["updates", "values"],
    },
    "interrupt": {
        "assistant_id": "approval",
        "input": APPROVAL_INPUT,
        "stream_mode": ["updates", "values"],
    },
    # One stream mode each, on the research graph.
    "mode-values": research("values"),
    "mode-messages": research("messages"),  # messages/metadata, /partial, /complete
    "mode-messages-tuple": research("messages-tuple"),
    "mode-custom": research("custom"),
    "mode-tasks": research("tasks"),
    "mode-checkpoints": research("checkpoints"),
    "mode-debug": research("debug"),
    "mode-events": research("events"),
    # A failing node as tasks and debug show it (the task result carries the error).
    "tasks-error": {
        "assistant_id": "failing",
        "input": {"value": 0},
        "stream_mode": ["tasks", "debug"],
    },
    # Subgraph events of several modes, one level (research) and two (nested: team > research).
    "subgraphs-modes": research(
        ["updates", "values", "messages", "custom", "tasks"], stream_subgraphs=True
    ),
    "nested": {
        "assistant_id": "nested",
        "input": RESEARCH_INPUT,
        "stream_mode": ["updates", "messages-tuple", "custom", "tasks"],
        "stream_subgraphs": True,
    },
    # Human in the loop on one thread: interrupt(), resume approved with a
    # breakpoint before the tool node, then continue from the breakpoint.
    "hitl": [
        {"assistant_id": "approval", "input": APPROVAL_INPUT, "stream_mode": ["updates", "values"]},
        {
            "assistant_id": "approval",
            "command": {"resume": {"approved": True}},
            "stream_mode": ["updates", "values"],
            "interrupt_before": ["tools"],
        },
        {"assistant_id": "approval", "input": None, "stream_mode": ["updates", "values"]},
    ],
    # A fan-out: three nodes run in parallel in one step (timing, the waterfall).
    "parallel": {
        "assistant_id": "parallel",
        "input": {"done": []},
        "stream_mode": ["updates", "tasks", "debug"],
    },
    # A breakpoint before the first node.
    "breakpoint": {
        "assistant_id": "approval",
        "input": APPROVAL_INPUT,
        "stream_mode": ["updates", "values"],
        "interrupt_before": ["agent"],
    },
}


def _nested_graph() -> Any:
    """``nested``: a parent whose one node, ``team``, is the whole research
    graph, so the research subgraph runs two levels deep
    (``team:<task id>|research:<task id>``)."""
    from langgraph.graph import START, StateGraph

    from lgwidget.demo.research import ResearchState
    from lgwidget.demo.research import graph as research_graph

    builder = StateGraph(ResearchState)
    builder.add_node("team", research_graph)
    builder.add_edge(START, "team")
    return builder.compile()


#: ``parallel``: how long each fan-out node sleeps, seconds (distinct, so the
#: recorded spans overlap and end in a known order).
FANOUT = {"fetch_a": 0.06, "fetch_b": 0.12, "fetch_c": 0.03}


def _parallel_graph() -> Any:
    """``parallel``: ``plan`` fans out to the three ``FANOUT`` nodes, which run
    in one step side by side (each sleeps its time), then ``merge``."""
    import operator
    import time
    from typing import Annotated

    from langgraph.graph import START, StateGraph
    from typing_extensions import TypedDict

    # The call form: this module's postponed annotations would not resolve here.
    State = TypedDict("State", {"done": Annotated[list[str], operator.add]})  # noqa: UP013

    def sleeper(name: str, seconds: float) -> Any:
        def node(_state: State) -> dict[str, Any]:
            time.sleep(seconds)
            return {"done": [name]}

        return node

    builder = StateGraph(State)
    builder.add_node("plan", lambda _state: {"done": ["plan"]})
    builder.add_node("merge", lambda _state: {"done": ["merge"]})
    builder.add_edge(START, "plan")
    for name, seconds in FANOUT.items():
        builder.add_node(name, sleeper(name, seconds))
        builder.add_edge("plan", name)
    builder.add_edge(list(FANOUT), "merge")
    return builder.compile()


if __name__ != "__main__" and os.environ.get(GRAPHS_ENV) == "1":
    nested = _nested_graph()
    parallel = _parallel_graph()


def truncate(body: bytes, limit: int) -> bytes:
    """``body`` cut after the last whole event that fits in ``limit`` bytes."""
    if len(body) <= limit:
        return body
    cut = body.rfind(b"\r\n\r\n", 0, limit - len(TRUNCATED))
    return body[: cut + 4] + TRUNCATED if cut >= 0 else TRUNCATED


async def record(http: httpx.AsyncClient, scenario: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    """The raw response body of a streamed run on a new thread; for a list of
    run bodies, each run's body in turn (same thread), after ``: run <n>``."""
    bodies = scenario if isinstance(scenario, list) else [scenario]
    thread = await http.post("/threads", json={})
    thread.raise_for_status()
    path = f"/threads/{thread.json()['thread_id']}/runs/stream"
    raw = bytearray()
    for n, body in enumerate(bodies, 1):
        if len(bodies) > 1:
            raw += f": run {n}\r\n\r\n".encode()
        async with http.stream("POST", path, json=body) as response:
            if response.status_code != 200:
                await response.aread()
                raise RuntimeError(f"POST {path} -> HTTP {response.status_code}: {response.text}")
            async for chunk in response.aiter_raw():
                raw += chunk
    return bytes(raw)


async def record_all(url: str, names: Sequence[str], out: Path, limit: int) -> None:
    headers = {"accept": "text/event-stream", "accept-encoding": "identity"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        for name in names:
            body = await record(http, SCENARIOS[name])
            data = truncate(body, limit)
            path = out / f"{name}.sse"
            path.unlink(missing_ok=True)  # the copies may be read-only
            path.write_bytes(data)
            note = f" (cut from {len(body)})" if len(data) < len(body) else ""
            print(f"{path}: {len(data)} bytes{note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(SCENARIOS)}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, scenario in SCENARIOS.items():
            runs = scenario if isinstance(scenario, list) else [scenario]
            print(
                f"{name}: " + " then ".join(f"{r['assistant_id']} {r['stream_mode']}" for r in runs)
            )
        return 0
    names = args.names or list(SCENARIOS)
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    from lgwidget.demo import GRAPHS

    os.environ[GRAPHS_ENV] = "1"  # inherited by the server: this file builds `nested`
    here = Path(__file__).resolve()
    graphs = {**GRAPHS, "nested": f"{here}:nested", "parallel": f"{here}:parallel"}
    with lgwidget.local_server(graphs) as url:
        asyncio.run(record_all(url, names, args.out, args.max_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
