"""A research assistant: chat model, tool node, subgraph and progress events.

The parent graph runs ``agent`` (the scripted model asks for the
``find_sources`` tool), ``tools`` (a ``ToolNode`` running it), ``research``
(a compiled subgraph added as a node: ``read`` goes through the sources,
``summarize`` asks the model for a summary) and ``agent`` again, which
streams the report token by token. ``agent``, ``read`` and ``summarize``
send ``{"progress": <0..1>, "note": ...}`` through the stream writer, so the
``custom`` mode has events from both the parent and the subgraph, and
``stream_subgraphs=True`` shows namespaced ``<mode>|research:<task id>`` events.

Replies are read with ``message.text``, so the graph gives the same answers
whether the model's content is a string or content blocks (protocol-v2
runs of the thread event stream use the ``v1`` output format).
:func:`stream_transformers` opts the graph into ``updates`` and ``custom``
events on the thread event stream, which otherwise carries only
``lifecycle``, ``values``, ``messages`` and ``input`` for Python graphs.

Input: ``{"messages": [{"role": "user", "content": "<topic>"}]}``;
``{"messages": []}`` researches a default topic. Runs in milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import tool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from typing_extensions import TypedDict

from .chat_model import ScriptedChatModel

DEFAULT_TOPIC = "streaming in LangGraph"
SOURCES = ("encyclopedia", "news archive", "journal")
SUMMARIZE = "Summarize these notes:"


class ResearchState(MessagesState, total=False):
    """The conversation, its topic and what the ``research`` subgraph finds."""

    topic: str
    notes: list[str]
    summary: str


class Findings(TypedDict, total=False):
    """What the ``research`` subgraph hands back to the parent (not the messages)."""

    notes: list[str]
    summary: str


def passages(source: str) -> int:
    """How many passages a source has (deterministic, 2 to 5)."""
    return len(source) % 4 + 2


@tool
def find_sources(topic: str) -> str:
    """Find sources about a topic (scripted: always the same three)."""
    return json.dumps({"topic": topic, "sources": list(SOURCES)})


# -- the scripted model's rules ----------------------------------------------


def _topic(messages: Sequence[BaseMessage]) -> str:
    asked = [m for m in messages if isinstance(m, HumanMessage)]
    return asked[-1].text.strip() if asked else DEFAULT_TOPIC


def _asks_summary(messages: Sequence[BaseMessage]) -> bool:
    return bool(messages) and messages[-1].text.startswith(SUMMARIZE)


def _summary(messages: Sequence[BaseMessage]) -> AIMessage:
    notes = messages[-1].text.removeprefix(SUMMARIZE).strip().splitlines()
    total = sum(int(n.split(": ")[1].split()[0]) for n in notes)
    return AIMessage(content=f"{len(notes)} sources agree ({total} passages).")


def _has_findings(messages: Sequence[BaseMessage]) -> bool:
    return bool(messages) and isinstance(messages[-1], SystemMessage)


def _report(messages: Sequence[BaseMessage]) -> AIMessage:
    return AIMessage(content=f"Report on {_topic(messages)}: {messages[-1].text}")


def _ask_for_sources(messages: Sequence[BaseMessage]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {
                "name": "find_sources",
                "args": {"topic": _topic(messages)},
                "id": "call_sources_1",
                "type": "tool_call",
            }
        ],
    )


model = ScriptedChatModel(
    rules=[
        (_asks_summary, _summary),
        (_has_findings, _report),
        (lambda _m: True, _ask_for_sources),
    ]
)


# -- the subgraph: read the sources, then summarize ------------------------------


def read(state: ResearchState) -> dict[str, Any]:
    """Go through the sources the tool found, one progress event each."""
    write = get_stream_writer()
    found = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    sources: list[str] = json.loads(str(found[-1].content))["sources"] if found else []
    notes = []
    for index, source in enumerate(sources):
        write({"progress": round(0.2 + 0.2 * index, 2), "note": f"reading the {source}"})
        notes.append(f"{source}: {passages(source)} passages")
    return {"notes": notes}


def summarize(state: ResearchState) -> dict[str, Any]:
    """Ask the model for a summary of the notes (streams tokens)."""
    get_stream_writer()({"progress": 0.8, "note": "summarizing the notes"})
    notes = "\n".join(state.get("notes", []))
    reply = model.invoke([HumanMessage(content=f"{SUMMARIZE}\n{notes}")])
    return {"summary": str(reply.text)}


_research = StateGraph(ResearchState, output_schema=Findings)
_research.add_node("read", read)
_research.add_node("summarize", summarize)
_research.add_edge(START, "read")
_research.add_edge("read", "summarize")
research = _research.compile()


# -- the parent graph --------------------------------------------------------------


def agent(state: ResearchState) -> dict[str, Any]:
    """Plan (ask for sources) or, once the research is summarized, report."""
    write = get_stream_writer()
    summary = state.get("summary")
    if summary:
        write({"progress": 0.9, "note": "writing the report"})
        reply = model.invoke([*state["messages"], SystemMessage(content=summary)])
        return {"messages": [reply]}
    write({"progress": 0.0, "note": "planning the research"})
    reply = model.invoke(state["messages"])
    return {"messages": [reply], "topic": _topic(state["messages"])}


builder = StateGraph(ResearchState)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode([find_sources]))
builder.add_node("research", research)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition, {"tools": "tools", END: END})
builder.add_edge("tools", "research")
builder.add_edge("research", "agent")
graph = builder.compile()


def stream_transformers() -> list[Any]:
    """Extra stream transformers for protocol-v2 runs (the thread event stream).

    The LangGraph API server calls this module-level function for the graph
    it serves from this module. langgraph's v3 event stream asks the graph
    only for the modes its transformers need (values, messages, tasks); these
    add ``updates`` and ``custom``.
    """
    try:
        from langgraph.stream import CustomTransformer, UpdatesTransformer
    except ImportError:  # langgraph < 1.2 has no v3 event stream
        return []
    return [UpdatesTransformer, CustomTransformer]
