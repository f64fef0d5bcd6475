"""Any event source in a timeline: :meth:`RunTimeline.watch`, :func:`watch`,
:func:`join` and :func:`history`.

``watch(source)`` shows what something other than lgwidget's own client reads:

- a langgraph_sdk ``client.runs.stream(...)`` iterator: parts with ``.event``
  and ``.data`` (and ``.id``), shown under the SDK's event names;
- a compiled graph's ``graph.astream(...)`` / ``graph.stream(...)``: one mode,
  several modes (``(mode, chunk)``), ``subgraphs=True`` (``(ns, chunk)`` /
  ``(ns, mode, chunk)``) and ``version="v2"`` parts (``{"type", "ns",
  "data"}``), named as the LangGraph API server names them (``updates``,
  ``custom|research:<task id>``, ``messages`` for the ``(message, metadata)``
  chunks of the ``messages`` mode) with LangChain messages and other objects
  turned into the JSON the server sends (``model_dump()``, as its serializer);
- any iterable or async iterable of ``(event, data)`` pairs (or ``(event,
  data, id)`` triples); ``data`` is a value, turned into JSON;
- the envelopes of the thread event stream (as the SDK's thread stream
  yields them), named as :mod:`lgwidget.thread_stream` names them.

A sync iterator (``graph.stream(...)``) is read in a worker thread, so the
kernel's loop stays free; stopping the timeline stops reading at the next
chunk (a node already running finishes first).

``join(url, thread_id, run_id)`` shows a run already in flight, and
``history(url, thread_id)`` a thread's checkpoints, oldest first, each as a
``checkpoints`` event shaped like the server's ``checkpoints`` stream mode.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime
import enum
import json
import threading
import uuid
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from .client import LangGraphClient
from .errors import LGWidgetStreamError
from .events import interrupts_of
from .graph import graph_of
from .timeline import Feed, RunTimeline

# How often a feed waiting for its source looks at the Stop button.
POLL_SECONDS = 0.1

# A source item turned into what the timeline appends: (event name, JSON text, id).
Message = tuple[str, str, str | None]


# -- JSON like the server sends it ---------------------------------------------


def _default(obj: Any) -> Any:
    """What the LangGraph API server's serializer (``langgraph_api.serde``)
    makes of objects JSON has no type for; anything else unknown becomes its
    ``repr`` (the server would send ``null``)."""
    if isinstance(obj, type):
        return repr(obj)
    if type(obj).__name__ == "Send" and hasattr(obj, "node") and hasattr(obj, "arg"):
        return {"node": obj.node, "args": obj.arg}  # langgraph.types.Send
    for method in ("model_dump", "dict", "_asdict"):  # pydantic v2, v1, named tuples
        dump = getattr(obj, method, None)
        if callable(dump):
            try:
                return dump()
            except Exception:  # a dump that needs arguments, or fails: try the next
                continue
    if dataclasses.is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, BaseException):
        return {"error": type(obj).__name__, "message": str(obj)}
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, datetime.timedelta):
        return obj.total_seconds()
    if isinstance(obj, datetime.tzinfo):
        return obj.tzname(None)
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, (uuid.UUID, PurePath)):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (bytes, bytearray)):
        return base64.b64encode(obj).decode()
    if isinstance(obj, Iterable) and not isinstance(obj, (str, Mapping)):
        return list(obj)  # deque, generators of values, ...
    return repr(obj)


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON types (used when orjson is not installed)."""
    if depth > 200:
        return repr(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {
            (k if isinstance(k, str) else str(_plain(k, depth + 1))): _plain(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)) and not hasattr(value, "_asdict"):
        return [_plain(v, depth + 1) for v in value]
    return _plain(_default(value), depth + 1)


def to_json(value: Any) -> str:
    """``value`` as the JSON text the LangGraph API server would send for it:
    messages and pydantic models by ``model_dump()``, dataclasses and named
    tuples as objects, tuples and sets as arrays, exceptions as
    ``{"error", "message"}``."""
    try:
        import orjson  # what the server uses; installed with langgraph
    except ImportError:  # pragma: no cover - langgraph brings orjson
        return json.dumps(_plain(value), ensure_ascii=False)
    try:
        return orjson.dumps(
            value, default=_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        ).decode()
    except (TypeError, orjson.JSONEncodeError):  # cycles, huge ints, ...
        return json.dumps(_plain(value), ensure_ascii=False, default=repr)


# -- what a source yields ------------------------------------------------------


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
        from .thread_stream import record_of

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


# -- reading a source without blocking the loop ----------------------------------


class Pump:
    """The items of a sync or async iterable, through a queue.

    An async iterable is read by a task, a sync one by a worker thread, so
    that the reader can wait with a timeout (and look at the Stop button)
    without ever cancelling the source mid-item. ``convert`` is applied to
    each item where it is read, before the source goes on: a graph mutates
    objects it already yielded (the message reducer gives messages their
    ids), and the server serializes each chunk as it comes too.
    :meth:`aclose` stops the reading: it cancels the task (closing an async
    generator), or tells the thread to stop and close the iterator at its
    next item.
    """

    def __init__(
        self,
        source: Iterable[Any] | AsyncIterable[Any],
        convert: Callable[[Any], Any] | None = None,
    ) -> None:
        self._source = source
        self._convert = convert or (lambda item: item)
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._stop = threading.Event()

    def start(self) -> Pump:
        if isinstance(self._source, AsyncIterable):
            self._task = asyncio.get_running_loop().create_task(self._read_async(self._source))
        elif isinstance(self._source, Iterable):
            loop = asyncio.get_running_loop()
            reader = self._read_sync
            threading.Thread(target=reader, args=(self._source, loop), daemon=True).start()
        else:
            raise TypeError(
                f"cannot watch a {type(self._source).__name__}: expected an iterable or an "
                "async iterable (an SDK stream, graph.astream(...), graph.stream(...), "
                "(event, data) pairs)"
            )
        return self

    async def _read_async(self, source: AsyncIterable[Any]) -> None:
        iterator = aiter(source)
        try:
            async for item in iterator:
                self._queue.put_nowait(("item", self._convert(item)))
        except Exception as exc:
            self._queue.put_nowait(("error", exc))
        finally:
            self._queue.put_nowait(("end", None))
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):  # closing must not hide what was read
                    await aclose()

    def _read_sync(self, source: Iterable[Any], loop: asyncio.AbstractEventLoop) -> None:
        def put(kind: str, value: Any) -> None:
            try:
                loop.call_soon_threadsafe(self._queue.put_nowait, (kind, value))
            except RuntimeError:  # the loop is closed: nobody reads any more
                self._stop.set()

        iterator: Iterator[Any] = iter(source)
        try:
            for item in iterator:
                if self._stop.is_set():
                    break
                put("item", self._convert(item))
        except BaseException as exc:
            put("error", exc)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
            put("end", None)

    async def get(self, timeout: float | None = None) -> tuple[str, Any] | None:
        """The next ``("item", x)``, ``("error", exc)`` or ``("end", None)``;
        None when nothing came within ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            return None

    async def aclose(self) -> None:
        self._stop.set()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


# -- watch -----------------------------------------------------------------------


def error_data(exc: BaseException) -> dict[str, str]:
    """An exception as the server's ``error`` event data."""
    return {"error": type(exc).__name__, "message": str(exc)}


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

    async def feed(tl: RunTimeline) -> str:
        if graph is not None:
            if not tl.assistant_id:
                tl.assistant_id = str(getattr(graph, "name", "") or "")
            tl.graph = graph_of(graph)
        tl._mark_started()
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
        return "interrupted" if any(interrupts_of(r) for r in tl.events) else "done"

    return feed


def watch(
    source: Any,
    *,
    stream_mode: str | Sequence[str] | None = None,
    subgraphs: bool | None = None,
    url: str = "",
    assistant_id: str = "",
    thread_id: str | None = None,
    run_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """A new timeline showing ``source``: ``RunTimeline(...).watch(source)``.

    ``source`` is a langgraph_sdk ``client.runs.stream(...)`` iterator, a
    compiled graph's ``graph.astream(...)``/``graph.stream(...)``, or an
    iterable or async iterable of ``(event, data)`` pairs. ``stream_mode``
    and ``subgraphs`` describe the items of sources whose layout cannot be
    read from the call (see :func:`source_feed`). ``url``, ``assistant_id``,
    ``thread_id`` and ``run_id`` fill the widget's header; with ``url``,
    ``thread_id`` and the run id (given, or from the ``metadata`` event) the
    Stop button also cancels the run on that server.

    Like :func:`lgwidget.stream`, it returns at once inside a running event
    loop, and runs the whole source first in a plain script.
    """
    tl = RunTimeline(url, assistant_id, thread_id=thread_id, api_key=api_key, headers=headers)
    if run_id:
        tl.run_id = run_id
    return tl.watch(source, stream_mode=stream_mode, subgraphs=subgraphs)


# -- join: a run already in flight ------------------------------------------------

_LIVE_RUN_STATUSES = frozenset({"pending", "running"})


async def _settled_run(client: LangGraphClient, thread_id: str, run_id: str) -> dict[str, Any]:
    """The run once its status is final (the stream can end a moment before)."""
    run = await client.get_run(thread_id, run_id)
    for _ in range(40):
        if run.get("status") not in _LIVE_RUN_STATUSES:
            break
        await asyncio.sleep(0.05)
        run = await client.get_run(thread_id, run_id)
    return run


def join_feed(
    *, stream_mode: str | list[str] | None = None, last_event_id: str | None = None
) -> Feed:
    """The feed that reads the stream of the run ``tl.run_id`` on ``tl.thread_id``."""

    async def feed(tl: RunTimeline) -> str:
        async with tl.client() as client:
            run = await client.get_run(tl.thread_id, tl.run_id)
            tl.assistant_id = tl.assistant_id or str(run.get("assistant_id") or "")
            tl._mark_started()
            async with client.join_stream(
                tl.thread_id, tl.run_id, last_event_id=last_event_id, stream_mode=stream_mode
            ) as joined:
                tl.status = "streaming"
                async for sse in joined.events():
                    tl.add_message(sse.event, sse.body, sse.id)
                    if tl.cancel_requested:
                        return "cancelled"
            run = await _settled_run(client, tl.thread_id, tl.run_id)
            status = run.get("status")
            if status == "interrupted" or any(interrupts_of(r) for r in tl.events):
                return "interrupted"
            if status in ("error", "timeout"):
                raise LGWidgetStreamError(
                    f"{tl.url}: run {tl.run_id} ended with status {status}", url=tl.url
                )
            if status == "success":
                thread = await client.get_thread(tl.thread_id)
                if thread.get("status") == "interrupted":
                    return "interrupted"
            return "done"

    return feed


def join(
    url: str,
    thread_id: str,
    run_id: str,
    *,
    stream_mode: str | list[str] | None = None,
    last_event_id: str | None = None,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """Show a run already in flight: ``GET /threads/{thread_id}/runs/{run_id}/stream``.

    The timeline shows the events from the moment it joins on (a run created
    with ``stream_resumable=True`` replays what came after ``last_event_id``;
    ``"-1"`` replays everything) and ends with the run. ``stream_mode`` must
    be a subset of the run's modes (default: all of them). A run that already
    ended gives an empty timeline with its final status. Returns at once in a
    running loop, runs to the end first in a plain script.
    """
    tl = RunTimeline(url, "", thread_id=thread_id, api_key=api_key, headers=headers)
    tl.run_id = run_id
    return tl._launch(join_feed(stream_mode=stream_mode, last_event_id=last_event_id))


# -- history: a thread's checkpoints -------------------------------------------------


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

    async def feed(tl: RunTimeline) -> str:
        async with tl.client() as client:
            tl._mark_started()
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


def history(
    url: str,
    thread_id: str,
    *,
    limit: int = 100,
    api_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> RunTimeline:
    """Show a thread's steps from its checkpoint history, oldest first.

    ``POST /threads/{thread_id}/history`` (the newest ``limit`` checkpoints
    of the root graph); each checkpoint becomes one ``checkpoints`` event
    whose data has the shape of the ``checkpoints`` stream mode (see
    :func:`checkpoint_data`), so the same renderer shows a live run and a
    finished thread: the step (``metadata.step``), its source (``input``,
    ``loop``, ``update``, ``fork``), the state (``values``), the nodes to run
    next (``next``) and the tasks with their errors and interrupts.
    """
    tl = RunTimeline(url, "", thread_id=thread_id, api_key=api_key, headers=headers)
    return tl._launch(history_feed(limit))
