"""Sources lgwidget's own client does not read: the feed of ``watch(source)``.

``watch(source)`` shows what something other than lgwidget's own client reads:

- a langgraph_sdk ``client.runs.stream(...)`` iterator: parts with ``.event``
  and ``.data`` (and ``.id``), shown under the SDK's event names;
- a compiled graph's ``graph.astream(...)`` / ``graph.stream(...)``: one mode,
  several modes (``(mode, chunk)``), ``subgraphs=True`` (``(ns, chunk)`` /
  ``(ns, mode, chunk)``) and ``version="v2"`` parts (``{"type", "ns",
  "data"}``), named as the LangGraph API server names them (``updates``,
  ``custom|research:<task id>``, ``messages`` for the ``(message, metadata)``
  chunks of the ``messages`` mode) with LangChain messages and other objects
  turned into the JSON the server sends (:mod:`lgwidget.wire.serde`);
- any iterable or async iterable of ``(event, data)`` pairs (or ``(event,
  data, id)`` triples); ``data`` is a value, turned into JSON;
- the envelopes of the thread event stream (as the SDK's thread stream
  yields them), named as :mod:`lgwidget.feeds.thread_stream` names them.

A sync iterator (``graph.stream(...)``) is read in a worker thread (see
:mod:`lgwidget.feeds.pump`), so the kernel's loop stays free; stopping the
timeline stops reading at the next chunk (a node already running finishes
first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..wire.serde import error_data, to_json
from .contract import Feed, FeedTarget, TimelineStatus
from .ending import conclude
from .graph import graph_of
from .pump import POLL_SECONDS, Pump
from .thread_stream import record_of

# A source item turned into what the timeline appends: (event name, JSON text, id).
Message = tuple[str, str, str | None]


@dataclass(frozen=True)
class Shape:
    """How the items of a source are laid out.

    ``stream_mode`` is the mode of bare chunks, or a list when items are
    ``(mode, chunk)``; ``subgraphs`` says items start with a namespace tuple;
    ``version`` ``"v2"`` means ``{"type", "ns", "data"}`` parts. ``known`` is
    False when the layout is guessed item by item.
    """

    stream_mode: str | tuple[str, ...] = "updates"
    subgraphs: bool = False
    version: str = "v1"
    known: bool = False


def graph_call(source: Any) -> tuple[Any, Shape] | None:
    """The graph and the layout of a ``graph.astream(...)`` / ``graph.stream(...)``
    generator that has not started yet, read from its call's arguments; None
    for anything else."""
    frame = getattr(source, "ag_frame", None) or getattr(source, "gi_frame", None)
    if frame is None:
        return None
    local = frame.f_locals
    graph = local.get("self")
    if graph is None:
        return None
    if "events" in frame.f_code.co_name and hasattr(graph, "astream_events"):
        # graph.astream_events(version="v1"/"v2")
        return graph, Shape(stream_mode="events", known=True)  # the server's "events" mode
    if "stream_mode" not in local or "subgraphs" not in local:
        return None
    mode = local["stream_mode"]
    if mode is None:
        mode = getattr(graph, "stream_mode", "values")
    shape = Shape(
        stream_mode=mode if isinstance(mode, str) else tuple(mode),
        subgraphs=bool(local["subgraphs"]),
        version=str(local.get("version") or "v1"),
        known=True,
    )
    return graph, shape


def event_name(mode: str, ns: Sequence[str] | None) -> str:
    """``("updates", ("research:1",))`` -> ``"updates|research:1"``, as the server names it."""
    return "|".join([mode, *(str(part) for part in ns or ())])


def _is_ns(value: Any) -> bool:
    return isinstance(value, tuple) and all(isinstance(part, str) for part in value)


def _is_v2_part(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("type"), str)
        and "data" in item
        and "ns" in item
        and set(item) <= {"type", "ns", "data", "interrupts"}
    )


def _is_envelope(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("type") == "event"
        and isinstance(item.get("method"), str)
        and isinstance(item.get("params"), dict)
    )


def _server_shaped(mode: str, data: Any) -> Any:
    """What the server changes in a chunk before sending it: ``debug``
    checkpoints gain ``checkpoint``/``parent_checkpoint`` and their tasks'
    ``state`` becomes ``checkpoint`` (``langgraph_api.stream``)."""
    if mode != "debug" or not isinstance(data, dict) or data.get("type") != "checkpoint":
        return data
    payload = data.get("payload")
    if not isinstance(payload, dict):
        return data
    tasks = []
    for task in payload.get("tasks") or ():
        if isinstance(task, dict) and isinstance(task.get("state"), dict):
            state = task["state"]
            task = {k: v for k, v in task.items() if k != "state"}
            task["checkpoint"] = state.get("configurable", state)
        tasks.append(task)
    payload = {
        **payload,
        "checkpoint": _checkpoint_of(payload.get("config")),
        "parent_checkpoint": _checkpoint_of(payload.get("parent_config")),
        "tasks": tasks,
    }
    return {**data, "payload": payload}


def _checkpoint_of(config: Any) -> dict[str, Any] | None:
    configurable = config.get("configurable") if isinstance(config, Mapping) else None
    if not isinstance(configurable, Mapping) or not configurable.get("checkpoint_id"):
        return None
    keys = ("checkpoint_id", "thread_id", "checkpoint_ns", "checkpoint_map")
    return {key: configurable[key] for key in keys if key in configurable}


def messages_of(item: Any, shape: Shape) -> Message:
    """One source item as (event name, JSON text, id)."""
    if not shape.known and hasattr(item, "event") and hasattr(item, "data"):
        event_id = getattr(item, "id", None) or None
        if isinstance(item.data, str) and not isinstance(item, tuple):
            # An SSE message (httpx-sse's, lgwidget's own): its data is JSON text.
            return str(item.event or "message"), item.data, event_id
        # A langgraph_sdk StreamPart (a named tuple): its data is the parsed value.
        return str(item.event), to_json(item.data), str(event_id) if event_id else None
    if not shape.known and _is_envelope(item):  # the thread event stream's (the SDK's too)
        event, data = record_of(item, "event")
        seq = item.get("seq")
        return event, to_json(data), str(seq) if seq is not None else None
    if (shape.version == "v2" or not shape.known) and _is_v2_part(item):
        mode, data = item["type"], item["data"]
        if mode == "values" and item.get("interrupts") and isinstance(data, dict):
            data = {**data, "__interrupt__": item["interrupts"]}
        return event_name(mode, item["ns"]), to_json(_server_shaped(mode, data)), None
    if shape.known:
        ns: Sequence[str] = ()
        if shape.subgraphs:
            ns, *rest = item
            item = rest[0] if len(rest) == 1 else tuple(rest)
        if isinstance(shape.stream_mode, str):
            mode, data = shape.stream_mode, item
        else:
            mode, data = item
        return event_name(mode, ns), to_json(_server_shaped(mode, data)), None
    # Guessed item by item: pairs, triples, graph chunks of an unknown layout.
    if isinstance(item, tuple) and len(item) == 3 and _is_ns(item[0]) and isinstance(item[1], str):
        ns, mode, data = item
        return event_name(mode, ns), to_json(_server_shaped(mode, data)), None
    if isinstance(item, (tuple, list)) and len(item) in (2, 3) and isinstance(item[0], str):
        event_id = item[2] if len(item) == 3 else None
        mode = item[0].split("|", 1)[0]
        return item[0], to_json(_server_shaped(mode, item[1])), str(event_id) if event_id else None
    default = shape.stream_mode if isinstance(shape.stream_mode, str) else "updates"
    if isinstance(item, tuple) and len(item) == 2 and _is_ns(item[0]):
        return event_name(default, item[0]), to_json(item[1]), None
    return default, to_json(item), None


def _safe_message(item: Any, shape: Shape) -> Message:
    """:func:`messages_of`, or an ``unknown`` event showing an item it cannot read."""
    try:
        return messages_of(item, shape)
    except Exception as exc:  # an odd item is shown, never the end
        problem = {"item": repr(item), "problem": f"{type(exc).__name__}: {exc}"}
        return "unknown", to_json(problem), None


def source_feed(
    source: Any,
    *,
    stream_mode: str | Sequence[str] | None = None,
    subgraphs: bool | None = None,
) -> Feed:
    """The feed that shows ``source`` (see the module docstring).

    The layout of a ``graph.astream``/``graph.stream`` generator is read from
    its call; for other sources ``stream_mode`` (the mode of bare chunks, or a
    list when items are ``(mode, chunk)``) and ``subgraphs`` (items start with
    a namespace) say it, else each item's layout is guessed from its shape.
    """
    graph = None
    found = graph_call(source)
    if found is not None:
        graph, shape = found
    elif stream_mode is not None or subgraphs is not None:
        mode = stream_mode if stream_mode is not None else "updates"
        shape = Shape(
            stream_mode=mode if isinstance(mode, str) else tuple(mode),
            subgraphs=bool(subgraphs),
            known=True,
        )
    else:
        shape = Shape()

    async def feed(tl: FeedTarget) -> TimelineStatus:
        if graph is not None:
            if not tl.assistant_id:
                tl.assistant_id = str(getattr(graph, "name", "") or "")
            tl.graph = graph_of(graph)
        tl.mark_started()
        tl.status = "streaming"
        pump = Pump(source, lambda item: _safe_message(item, shape)).start()
        try:
            while True:
                got = await pump.get(POLL_SECONDS)
                if tl.cancel_requested:
                    return "cancelled"
                if got is None:
                    continue
                kind, value = got
                if kind == "end":
                    break
                if kind == "error":
                    # As the server does: an ``error`` event, then the end.
                    tl.add_message("error", to_json(error_data(value)))
                    break
                tl.add_message(*value)
        finally:
            await pump.aclose()
        return await conclude(tl, None)

    return feed
