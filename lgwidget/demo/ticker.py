"""A loop that ticks ``n`` times with ``pause`` seconds between ticks.

Long or slow runs on demand: tests watch a run while it is still streaming,
and benchmarks make thousands of steps.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langchain_core.runnables import RunnableLambda
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class Ticks(TypedDict, total=False):
    n: int
    pause: float
    count: int


def tick(state: Ticks) -> dict[str, Any]:
    if state.get("pause"):
        time.sleep(state["pause"])
    return {"count": state.get("count", 0) + 1}


async def atick(state: Ticks) -> dict[str, Any]:
    # The server runs graphs asynchronously: a blocking sleep there would stall
    # every other run on the same server (they would run one after another).
    if state.get("pause"):
        await asyncio.sleep(state["pause"])
    return {"count": state.get("count", 0) + 1}


def _again(state: Ticks) -> str:
    return "tick" if state.get("count", 0) < state.get("n", 1) else END


builder = StateGraph(Ticks)
builder.add_node("tick", RunnableLambda(tick, afunc=atick, name="tick"))
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", _again, ["tick", END])
graph = builder.compile()
