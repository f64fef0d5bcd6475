"""The scenario of LangGraph's "stream state updates" guide, offline.

``agent`` asks for the ``tavily_search_results_json`` tool with
``{"query": "weather in los angeles"}``, ``action`` runs it and returns a
weather JSON tool message, and ``agent`` answers in words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from .chat_model import ScriptedChatModel

WEATHER = {"location": "Los Angeles, CA", "temp_c": 24, "condition": "Sunny", "wind_kph": 9}
ANSWER = "The weather in Los Angeles is sunny, 24 degrees C with light wind."


@tool
def tavily_search_results_json(query: str) -> str:
    """Search the web (scripted: always the Los Angeles weather)."""
    return json.dumps(WEATHER)


def _after_tool(messages: Sequence[BaseMessage]) -> bool:
    return bool(messages) and isinstance(messages[-1], ToolMessage)


def _answer(_messages: Sequence[BaseMessage]) -> AIMessage:
    return AIMessage(content=ANSWER)


def _search(_messages: Sequence[BaseMessage]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {
                "name": "tavily_search_results_json",
                "args": {"query": "weather in los angeles"},
                "id": "call_weather_1",
                "type": "tool_call",
            }
        ],
    )


model = ScriptedChatModel(rules=[(_after_tool, _answer), (lambda _m: True, _search)])


def agent(state: MessagesState) -> dict[str, Any]:
    return {"messages": [model.invoke(state["messages"])]}


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_node("action", ToolNode([tavily_search_results_json]))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", tools_condition, {"tools": "action", END: END})
builder.add_edge("action", "agent")
graph = builder.compile()
