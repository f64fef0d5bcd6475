"""Map-reduce with ``Send``: ``plan`` fans out to ``n`` parallel ``work``
tasks in one superstep, then ``reduce`` adds their results.

Input: ``{"n": 5}`` (default 5); each ``work`` task gets ``{"item": i}`` (its ``Send`` argument) and
returns ``{"results": [i * i]}``; ``reduce`` sets ``total``.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    n: int
    results: Annotated[list[int], operator.add]
    total: int


def plan(state: State) -> dict[str, Any]:
    return {"n": state.get("n", 5)}


def fan_out(state: State) -> list[Send]:
    return [Send("work", {"item": i}) for i in range(state.get("n", 5))]


class Item(TypedDict):
    item: int


def work(state: Item) -> dict[str, Any]:
    # A Send task's input is its Send argument, ``{"item": i}``, not the state.
    return {"results": [state["item"] * state["item"]]}


def reduce(state: State) -> dict[str, Any]:
    return {"total": sum(state.get("results", []))}


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_node("work", work, input_schema=Item)
builder.add_node("reduce", reduce)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", fan_out, ["work"])
builder.add_edge("work", "reduce")
builder.add_edge("reduce", END)
graph = builder.compile()
