"""A scripted chat model: no API keys, no network, the same answer every time.

Each reply is a pure function of the conversation, chosen by the first rule
whose predicate matches. Replies stream word by word through ``_stream`` so
that token stream modes (``messages``, ``messages-tuple``) carry real chunks.
Replies carry ``usage_metadata`` like a real model's, counting words as tokens
(on the last chunk when streamed).
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
from langchain_core.messages.ai import UsageMetadata
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
        for matches, make in self.rules:
            if matches(messages):
                reply = make(messages)
                reply.usage_metadata = _usage(messages, reply)
                return reply
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
                        usage_metadata=None if first else reply.usage_metadata,
                    )
                )
            return
        pause = _token_pause()
        tokens = re.findall(r"\S+\s*", str(reply.content))
        for index, token in enumerate(tokens):
            if pause and index:
                time.sleep(pause)  # a node runs in a worker thread: the loop stays free
            last = index == len(tokens) - 1
            chunk = ChatGenerationChunk(
                message=AIMessageChunk(
                    content=token, usage_metadata=reply.usage_metadata if last else None
                )
            )
            if run_manager is not None:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk


def _words(text: str) -> int:
    return len(text.split())


def _usage(messages: Sequence[BaseMessage], reply: AIMessage) -> UsageMetadata:
    """Words as tokens: the conversation in, the reply (text and tool arguments) out."""
    prompt = sum(_words(m.text) for m in messages)
    output = _words(reply.text) + sum(_words(json.dumps(c["args"])) for c in reply.tool_calls)
    return {"input_tokens": prompt, "output_tokens": output, "total_tokens": prompt + output}


def _token_pause() -> float:
    """Seconds between streamed words, from the run's ``config["configurable"]
    ["token_pause"]`` (0 outside a run): slow tokens on demand, to watch text grow."""
    from langgraph.config import get_config

    try:
        configurable = get_config().get("configurable") or {}
    except RuntimeError:  # called outside a graph run
        return 0.0
    return float(configurable.get("token_pause") or 0.0)
