"""A subgraph two levels down asks a question: ``interrupt()`` inside
``outer`` > ``inner`` > ``ask``; resume with the answer.

``prepare`` runs at the root, then the ``outer`` node runs a subgraph whose
``inner`` node runs another, whose ``ask`` node calls ``interrupt()``; on
resume it records the answer and ``finish`` runs at the root.

Input: ``{"question": "ship it?"}``; resume value: any JSON, e.g. ``"yes"``.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    question: str
    answer: Any
    done: bool


def prepare(state: State) -> dict[str, Any]:
    return {"question": state.get("question") or "ship it?"}


def ask(state: State) -> dict[str, Any]:
    return {"answer": interrupt({"question": state.get("question")})}


def finish(state: State) -> dict[str, Any]:
    return {"done": True}


inner = StateGraph(State)
inner.add_node("ask", ask)
inner.add_edge(START, "ask")

outer = StateGraph(State)
outer.add_node("inner", inner.compile())
outer.add_edge(START, "inner")

builder = StateGraph(State)
builder.add_node("prepare", prepare)
builder.add_node("outer", outer.compile())
builder.add_node("finish", finish)
builder.add_edge(START, "prepare")
builder.add_edge("prepare", "outer")
builder.add_edge("outer", "finish")
graph = builder.compile()
