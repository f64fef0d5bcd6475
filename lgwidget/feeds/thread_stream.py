"""The thread event stream (protocol v2): ``lgwidget.stream(..., transport="thread")``.

Recent LangGraph API servers (langgraph-api >= 0.16) have, next to the run
stream, a per-thread event stream: ``POST /threads/{thread_id}/stream/events``
with the ``channels`` to receive, and ``POST /threads/{thread_id}/commands``
to start runs (``run.start``) and answer input requests (``input.respond``).
Each SSE message is an envelope ``{"type": "event", "event_id", "seq",
"method", "params": {"namespace", "timestamp", "data", "node"?}}``.

:func:`thread_feed` opens the event stream, sends the command, and appends
one record per envelope of its run:

- ``event`` is the ``method`` (``lifecycle``, ``values``, ``updates``,
  ``messages``, ``custom``, ``tools``, ``tasks``, ``checkpoints``,
  ``input.requested``) with the namespace appended as in the run stream
  (``messages|research:<task id>``), so ``mode`` is the channel and ``ns``
  the namespace; ``id`` is the ``seq``;
- ``data`` is ``params.data`` as sent, except that an ``updates`` event whose
  node is in ``params.node`` becomes ``{node: update}`` and a ``custom``
  payload wrapped as ``{"payload": x}`` becomes ``x`` (``{"name", "payload"}``
  becomes ``x`` under ``custom:<name>``), the shapes of the run stream;
- ``messages`` data is a content-block event: ``message-start``,
  ``content-block-start``/``-delta``/``-finish``, ``message-finish``.

The stream replays the thread's earlier runs and stays open after the run,
so the feed keeps only its own run's events (by the run id in the root
``lifecycle`` events' ``event_id``) and ends at that run's root lifecycle
``completed``, ``failed`` or ``interrupted``.

What ``stream_mode`` asks for does not apply here: the server runs every
protocol-v2 run with its own set of modes and the graph decides what it
emits (``channels=[...]`` narrows what is received).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..client.http import LIVE_RUN_STATUSES, LangGraphClient
from ..errors import LGWidgetStreamError
from .contract import Feed, FeedTarget, TimelineStatus
from .ending import conclude
from .pump import POLL_SECONDS, Pump

#: Every channel the protocol defines (``custom:<name>`` channels can be added).
CHANNELS: tuple[str, ...] = (
    "lifecycle",
    "input",
    "values",
    "updates",
    "messages",
    "tools",
    "custom",
    "tasks",
    "checkpoints",
)
#: Root lifecycle events that end a run, and the server's run status each means.
TERMINAL = {"completed": "success", "failed": "error", "interrupted": "interrupted"}
# After the root ``interrupted`` lifecycle the server still sends the run's
# last state; wait this long for more before ending.
INTERRUPT_GRACE_SECONDS = 0.5
# With no event for this long, ask the server whether the run is still on.
SILENCE_CHECK_SECONDS = 10.0

# run-create body keys and how run.start takes them; the rest cannot be sent.
_RUN_START_KEYS = {
    "assistant_id": "assistant_id",
    "input": "input",
    "config": "config",
    "metadata": "metadata",
    "multitask_strategy": "multitaskStrategy",
    "langsmith_tracer": "langsmith_tracer",
}
# Keys that mean nothing to a protocol-v2 run (the server chooses the modes,
# always streams subgraphs and keeps the events for replay).
_IGNORED_KEYS = frozenset({"stream_mode", "stream_subgraphs", "stream_resumable", "on_disconnect"})


def start_command(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``run.start`` or ``input.respond`` command for a run-create body.

    ``command={"resume": value, "update"?: ..., "goto"?: ...}`` answers the
    pending input requests (``input.respond``); ``checkpoint_id`` (or
    ``checkpoint={"checkpoint_id": ...}``) forks from a checkpoint. Raises
    TypeError for run options the thread transport cannot send.
    """
    body = dict(body)
    for key in _IGNORED_KEYS:
        body.pop(key, None)
    command = body.pop("command", None)
    checkpoint_id = body.pop("checkpoint_id", None)
    checkpoint = body.pop("checkpoint", None)
    if isinstance(checkpoint, Mapping) and checkpoint.get("checkpoint_id"):
        checkpoint_id = checkpoint_id or checkpoint["checkpoint_id"]
    unsupported = sorted(set(body) - set(_RUN_START_KEYS))
    if unsupported:
        raise TypeError(
            "transport='thread' cannot send these run options (the thread event stream's "
            f"run.start does not take them): {', '.join(unsupported)}"
        )
    params = {_RUN_START_KEYS[key]: value for key, value in body.items()}
    if checkpoint_id:
        config = dict(params.get("config") or {})
        configurable = dict(config.get("configurable") or {})
        config["configurable"] = {**configurable, "checkpoint_id": checkpoint_id}
        params["config"] = config
    if command is None:
        return {"id": 1, "method": "run.start", "params": params}
    if not isinstance(command, Mapping) or "resume" not in command:
        raise TypeError(
            "transport='thread' sends command={'resume': ...} as input.respond; "
            "other commands (goto or update alone) are not part of the protocol"
        )
    respond: dict[str, Any] = {"response": command["resume"]}
    for key in ("update", "goto"):
        if command.get(key) is not None:
            respond[key] = command[key]
    for key in ("config", "metadata"):
        if key in params:
            respond[key] = params[key]
    return {"id": 1, "method": "input.respond", "params": respond}


async def _send_command(
    client: LangGraphClient, thread_id: str, command: Mapping[str, Any]
) -> dict[str, Any]:
    """``POST /threads/{thread_id}/commands``; the ``result`` of a success."""
    path = f"/threads/{thread_id}/commands"
    answer = await client.send_command(thread_id, command)
    if not isinstance(answer, dict) or answer.get("type") != "success":
        detail = answer if not isinstance(answer, dict) else answer.get("message", answer)
        error = answer.get("error", "error") if isinstance(answer, dict) else "error"
        raise LGWidgetStreamError(
            f"POST {client.url}{path} {command.get('method')} failed: {error}: {detail}",
            url=client.url + path,
        )
    result = answer.get("result")
    return result if isinstance(result, dict) else {}


async def _pending_interrupts(client: LangGraphClient, thread_id: str) -> list[str]:
    thread = await client.get_thread(thread_id)
    found = thread.get("interrupts") or {}
    return [
        str(item["id"])
        for items in (found.values() if isinstance(found, dict) else [])
        for item in items or ()
        if isinstance(item, dict) and item.get("id")
    ]


async def _answer(
    client: LangGraphClient, thread_id: str, command: dict[str, Any]
) -> dict[str, Any]:
    """Address an ``input.respond`` to the thread's pending interrupts: one
    pending interrupt takes the value; several take ``{interrupt_id: value}``."""
    params = dict(command["params"])
    response = params.pop("response")
    pending = await _pending_interrupts(client, thread_id)
    if not pending:
        raise LGWidgetStreamError(
            f"{client.url}: thread {thread_id} has no pending input request to answer",
            url=client.url,
        )
    if isinstance(response, Mapping) and response and set(response) <= set(pending):
        params["responses"] = [
            {"interrupt_id": key, "response": value, "namespace": []}
            for key, value in response.items()
        ]
    elif len(pending) == 1:
        params.update(interrupt_id=pending[0], response=response, namespace=[])
    else:
        raise LGWidgetStreamError(
            f"{client.url}: thread {thread_id} has {len(pending)} pending input requests; "
            f"resume with {{interrupt_id: value}} for each of {pending}",
            url=client.url,
        )
    return {**command, "params": params}


async def _run_ids(client: LangGraphClient, thread_id: str) -> set[str]:
    runs = await client.list_runs(thread_id, limit=1000)
    return {str(run["run_id"]) for run in runs if isinstance(run, dict) and "run_id" in run}


def run_id_of(event_id: Any) -> str | None:
    """The run id in the ``event_id`` the server makes for the events it
    synthesizes (``synth:<run id>:lc|<namespace>|<status>``), else None."""
    if isinstance(event_id, str) and event_id.startswith("synth:"):
        run_id = event_id.split(":", 2)[1]
        return run_id or None
    return None


def record_of(envelope: Mapping[str, Any], fallback: str) -> tuple[str, Any]:
    """An envelope as (event name, data) for the timeline (see the module docstring)."""
    method = envelope.get("method")
    method = method if isinstance(method, str) and method else fallback
    params = envelope.get("params")
    params = params if isinstance(params, Mapping) else {}
    namespace = params.get("namespace")
    ns = [str(part) for part in namespace] if isinstance(namespace, list) else []
    data = params.get("data")
    node = params.get("node")
    if method == "updates" and isinstance(node, str) and node:
        if not (isinstance(data, Mapping) and set(data) == {node}):
            data = {node: data}
    elif method == "custom" and isinstance(data, Mapping) and "payload" in data:
        if set(data) == {"payload"}:
            data = data["payload"]
        elif set(data) == {"name", "payload"} and isinstance(data["name"], str):
            method, data = f"custom:{data['name']}", data["payload"]
    return "|".join([method, *ns]), data


def thread_feed(body: Mapping[str, Any], channels: Sequence[str] | None = None) -> Feed:
    """The feed that runs ``body`` (a run-create body) through the thread event
    stream. Raises TypeError at once for run options it cannot send."""
    command = start_command(body)
    subscribe = {"channels": list(channels or CHANNELS)}

    async def feed(tl: FeedTarget) -> TimelineStatus:
        async with tl.client() as client:
            if not tl.thread_id:
                tl.thread_id = await client.create_thread()
                earlier: set[str] = set()
            else:
                earlier = await _run_ids(client, tl.thread_id)
            if tl.cancel_requested:
                return "cancelled"
            tl.mark_started()
            async with client.thread_events(tl.thread_id, subscribe) as opened:
                to_send = command
                if command["method"] == "input.respond":
                    to_send = await _answer(client, tl.thread_id, command)
                result = await _send_command(client, tl.thread_id, to_send)
                tl.run_id = str(result.get("run_id") or "")
                if tl.cancel_requested:
                    return "cancelled"
                tl.status = "streaming"
                first = len(tl.events)
                status, error = await _read(tl, client, opened.events(), earlier)
                return await conclude(tl, client, first=first, run_status=status, error=error)

    return feed


async def _read(
    tl: FeedTarget, client: LangGraphClient, events: Any, earlier: set[str]
) -> tuple[str | None, str | None]:
    """Append the run's events; return how it ended as :func:`conclude`'s
    ``run_status`` and ``error`` (None, None when the user stopped it)."""
    pump = Pump(events).start()
    current: str | None = None  # the run whose events arrive now, when known
    ending: str | None = None  # the run status, once the root lifecycle said "interrupted"
    silent = 0.0
    try:
        while True:
            wait = INTERRUPT_GRACE_SECONDS if ending else POLL_SECONDS
            got = await pump.get(wait)
            if tl.cancel_requested:
                return None, None
            if got is None:
                if ending:
                    return ending, None
                silent += wait
                if silent >= SILENCE_CHECK_SECONDS:
                    silent = 0.0
                    settled = await _ended_quietly(client, tl)
                    if settled:
                        return settled, None
                continue
            silent = 0.0
            kind, sse = got
            if kind == "error":
                raise sse
            if kind == "end":
                if ending:
                    return ending, None
                raise LGWidgetStreamError(
                    f"{client.url}: the thread event stream closed before run "
                    f"{tl.run_id or '(unknown)'} ended",
                    url=client.url,
                )
            try:
                envelope = json.loads(sse.data)
            except ValueError:
                tl.add_message(sse.event, sse.data, sse.id)  # shown raw, never the end
                continue
            if not isinstance(envelope, dict):
                tl.add_message(sse.event, sse.data, sse.id)
                continue
            event, data = record_of(envelope, sse.event)
            root_lifecycle = event == "lifecycle"
            if root_lifecycle:
                current = run_id_of(envelope.get("event_id")) or current
                if current and not tl.run_id and current not in earlier:
                    tl.run_id = current  # input.respond does not say which run it made
            if not _ours(current, tl.run_id, earlier):
                continue  # an earlier run of the thread, replayed
            tl.add_message(event, json.dumps(data, ensure_ascii=False), sse.id)
            if root_lifecycle and isinstance(data, dict) and data.get("event") in TERMINAL:
                status = TERMINAL[str(data["event"])]
                if status == "error":
                    return status, f"failed: {data.get('error', 'error')}"
                if status == "success":
                    return status, None
                ending = status  # interrupted: the last state follows
    finally:
        await pump.aclose()


def _ours(current: str | None, run_id: str, earlier: set[str]) -> bool:
    """Whether events of run ``current`` (None: not known yet) belong to the
    timeline's run ``run_id`` (empty: not known yet); ``earlier`` are the runs
    the thread had before, whose replayed events come first."""
    if current is None:
        return not earlier
    if run_id:
        return current == run_id
    return current not in earlier


async def _ended_quietly(client: LangGraphClient, tl: FeedTarget) -> str | None:
    """After a long silence: the run's status if it ended without a root
    lifecycle event (e.g. cancelled from elsewhere), else None."""
    if not tl.run_id:
        return None
    status = (await client.get_run(tl.thread_id, tl.run_id)).get("status")
    return None if status in LIVE_RUN_STATUSES else str(status)
