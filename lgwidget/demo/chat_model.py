"""A scripted chat model: no API keys, no network, the same answer every time.

Each reply is a pure function of the conversation, chosen by the first rule
whose predicate matches. Replies stream word by word through ``_stream`` so
that token stream modes (``messages``, ``messages-tuple``) carry real chunks.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

Rule = tuple[Callable[[Sequence[BaseMessage]], bool], Callable[[Sequence[BaseMessage]], AIMessage]]


class ScriptedChatModel(BaseChatModel):
    """Answers from ``rules``: (predicate over the messages, reply maker) pairs."""

    rules: list[Rule]

    @property
    def _llm_type(self) -> str:
        return "scripted-chat"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        # The script already knows which tool it calls; binding changes nothing.
        return self

    def _reply(self, messages: Sequence[BaseMessage]) -> AIMessage:
        for matches, reply in self.rules:
            if matches(messages):
                return reply(messages)
        raise ValueError(f"no scripted reply for {messages[-1]!r}" if messages else "no messages")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        if reply.tool_calls:
            # A tool call streams as its arguments' JSON, in two halves, like a real model.
            call = reply.tool_calls[0]
            args = json.dumps(call["args"])
            half = len(args) // 2
            for index, piece in enumerate((args[:half], args[half:])):
                first = index == 0
                yield ChatGenerationChunk(
                    message=AIMessageChunk(
                        content="",
                        tool_call_chunks=[
                            {
                                "name": call["name"] if first else None,
                                "args": piece,
                                "id": call["id"] if first else None,
                                "index": 0,
                            }
                        ],
                    )
                )
            return
        pause = _token_pause()
        for index, token in enumerate(re.findall(r"\S+\s*", str(reply.content))):
            if pause and index:
                time.sleep(pause)  # a node runs in a worker thread: the loop stays free
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager is not None:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk


def _token_pause() -> float:
    """Seconds between streamed words, from the run's ``config["configurable"]
    ["token_pause"]`` (0 outside a run): slow tokens on demand, to watch text grow."""
    from langgraph.config import get_config

    try:
        configurable = get_config().get("configurable") or {}
    except RuntimeError:  # called outside a graph run
        return 0.0
    return float(configurable.get("token_pause") or 0.0)
