"""A run that fails: ``prepare`` succeeds, then ``explode`` raises.

The stream carries the ``prepare`` update, then an ``error`` event
``{"error": "ValueError", "message": "the demo graph failed on purpose"}``.

Input: anything, e.g. ``{}`` or ``{"value": 0}``.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

MESSAGE = "the demo graph failed on purpose"


class Counter(TypedDict, total=False):
    value: int


def prepare(state: Counter) -> dict[str, Any]:
    return {"value": state.get("value", 0) + 1}


def explode(state: Counter) -> dict[str, Any]:
    raise ValueError(MESSAGE)


builder = StateGraph(Counter)
builder.add_node("prepare", prepare)
builder.add_node("explode", explode)
builder.add_edge(START, "prepare")
builder.add_edge("prepare", "explode")
graph = builder.compile()
