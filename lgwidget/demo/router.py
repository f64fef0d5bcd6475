"""Routing with ``Command(goto=...)``: ``triage`` sends the request to
``billing`` or ``support`` by its topic, with a state update; the chosen
node answers.

Input: ``{"topic": "billing"}`` or ``{"topic": "support"}`` (default).
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    topic: str
    routed_to: str
    answer: str


def triage(state: State) -> Command[Literal["billing", "support"]]:
    if state.get("topic") == "billing":
        return Command(goto="billing", update={"routed_to": "billing"})
    return Command(goto="support", update={"routed_to": "support"})


def billing(state: State) -> dict[str, Any]:
    return {"answer": "your invoice is on its way"}


def support(state: State) -> dict[str, Any]:
    return {"answer": "have you tried turning it off and on again?"}


builder = StateGraph(State)
builder.add_node("triage", triage)
builder.add_node("billing", billing)
builder.add_node("support", support)
builder.add_edge(START, "triage")
graph = builder.compile()
