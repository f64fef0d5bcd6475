"""Human in the loop: the agent's tool call waits for approval.

``agent`` (the scripted model) proposes a ``send_email`` tool call;
``review`` calls :func:`langgraph.types.interrupt` with the question and the
tool call, so the run ends ``interrupted`` with an ``__interrupt__`` update.
Resume with ``command={"resume": {"approved": True}}``: ``tools`` sends the
email and ``agent`` confirms. ``{"approved": False}`` skips the tool (the
declined call gets an error tool message) and ``agent`` says it did not send.

The tool runs in its own node, ``tools``, so ``interrupt_before=["tools"]``
adds a breakpoint after the approval too (continue with ``input=None``).

Input: ``{"messages": [{"role": "user", "content": "..."}]}`` or ``{"messages": []}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import Command, interrupt

from .chat_model import ScriptedChatModel

EMAIL = {"to": "team@example.com", "subject": "Weekly report", "body": "All green this week."}
QUESTION = "Send this email?"


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """Send an email (scripted: nothing leaves the machine)."""
    return json.dumps({"sent": True, "to": to, "subject": subject})


# -- the scripted model's rules ----------------------------------------------


def _tool_answered(messages: Sequence[BaseMessage]) -> bool:
    return bool(messages) and isinstance(messages[-1], ToolMessage)


def _confirm(messages: Sequence[BaseMessage]) -> AIMessage:
    last = messages[-1]
    if isinstance(last, ToolMessage) and last.status == "error":
        return AIMessage(content="Understood: I did not send the email.")
    return AIMessage(content=f"Done: I sent {EMAIL['subject']!r} to {EMAIL['to']}.")


def _propose(_messages: Sequence[BaseMessage]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": "send_email", "args": dict(EMAIL), "id": "call_email_1", "type": "tool_call"}
        ],
    )


model = ScriptedChatModel(rules=[(_tool_answered, _confirm), (lambda _m: True, _propose)])


# -- the graph -----------------------------------------------------------------


def agent(state: MessagesState) -> dict[str, Any]:
    return {"messages": [model.invoke(state["messages"])]}


def _after_agent(state: MessagesState) -> str:
    last = state["messages"][-1]
    return "review" if isinstance(last, AIMessage) and last.tool_calls else END


def _approved(answer: Any) -> bool:
    """``{"approved": true}``, ``true``, ``"yes"``... count as approval."""
    if isinstance(answer, dict):
        answer = answer.get("approved")
    if isinstance(answer, str):
        return answer.strip().lower() in {"y", "yes", "true", "approve", "approved", "ok"}
    return bool(answer)


def review(state: MessagesState) -> Command[Literal["tools", "agent"]]:
    """Ask a human whether to run the proposed tool call."""
    last = state["messages"][-1]
    if not isinstance(last, AIMessage) or not last.tool_calls:
        raise ValueError("review expects the agent's tool call as the last message")
    call = last.tool_calls[0]
    answer = interrupt(
        {
            "question": QUESTION,
            "tool_call": {"name": call["name"], "args": call["args"], "id": call["id"]},
        }
    )
    if _approved(answer):
        return Command(goto="tools")
    declined = ToolMessage(
        content="The user declined: the email was not sent.",
        name=call["name"],
        tool_call_id=call["id"] or "",
        status="error",
    )
    return Command(goto="agent", update={"messages": [declined]})


builder = StateGraph(MessagesState)
builder.add_node("agent", agent)
builder.add_node("review", review)
builder.add_node("tools", ToolNode([send_email]))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", _after_agent, ["review", END])
builder.add_edge("tools", "agent")
graph = builder.compile()
