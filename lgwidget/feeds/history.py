"""The feed of a thread's checkpoint history: ``lgwidget.history``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..wire.serde import to_json
from .contract import Feed, FeedTarget, TimelineStatus


def checkpoint_data(state: Mapping[str, Any]) -> dict[str, Any]:
    """One entry of ``POST /threads/{id}/history`` shaped like the data of the
    server's ``checkpoints`` stream mode (``config``, ``parent_config``,
    ``values``, ``metadata`` with ``step`` and ``source``, ``next``, ``tasks``),
    plus ``checkpoint``, ``parent_checkpoint``, ``created_at`` and
    ``interrupts`` as the history has them."""
    checkpoint = state.get("checkpoint")
    parent = state.get("parent_checkpoint")
    data: dict[str, Any] = {
        "config": {"configurable": checkpoint} if checkpoint else None,
        "parent_config": {"configurable": parent} if parent else None,
        "values": state.get("values"),
        "metadata": state.get("metadata"),
        "next": state.get("next", []),
        "tasks": state.get("tasks", []),
    }
    for key in ("checkpoint", "parent_checkpoint", "created_at", "interrupts"):
        if key in state:
            data[key] = state[key]
    return data


def history_feed(limit: int = 100) -> Feed:
    """The feed that shows ``tl.thread_id``'s checkpoints, oldest first."""

    async def feed(tl: FeedTarget) -> TimelineStatus:
        async with tl.client() as client:
            tl.mark_started()
            thread = await client.get_thread(tl.thread_id)
            metadata = thread.get("metadata") or {}
            tl.assistant_id = tl.assistant_id or str(
                metadata.get("graph_id") or metadata.get("assistant_id") or ""
            )
            states = await client.thread_history(tl.thread_id, limit)
            tl.status = "streaming"
            for state in reversed(states):  # the server lists them newest first
                tl.add_message("checkpoints", to_json(checkpoint_data(state)))
        return "done"

    return feed
