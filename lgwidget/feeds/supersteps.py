"""A run's real supersteps, read from the thread's checkpoint history once it ended.

In ``updates`` mode the stream does not say which superstep an update
belongs to: five ``Send`` tasks that ran in parallel arrive as five updates
like five steps in a row. The checkpoints do say: checkpoint ``c`` (its
``metadata.step`` is the superstep) was written by running the tasks its
parent checkpoint lists, each with its id, node and result. So once a run
ends, one request (``POST /threads/{id}/history``, paged back to the run's
first checkpoint, none while streaming) gives its supersteps, and each root
``updates`` event of the run is matched to its task: same node, same result
where the history has it, never an earlier step than the previous match.

The result is the timeline's ``steps`` trait, one entry per superstep::

    {"step": 2, "run_id": ..., "checkpoint_id": ... or None, "tasks": [
        {"id": ..., "name": "work", "seqs": [4], "error": None, "interrupted": False}, ...]}

``checkpoint_id`` is the checkpoint the step wrote (None for a step that
never finished: a task that raised or was interrupted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..client.http import LangGraphClient
from ..errors import LGWidgetError
from ..wire.events import EventRecord
from .contract import FeedTarget

#: Checkpoints read per history request, and the most requests for one run.
PAGE = 100
MAX_PAGES = 50
# The task that writes a run's input: not a node of the graph.
_INPUT_TASK = "__start__"


async def run_checkpoints(
    client: LangGraphClient, thread_id: str, run_id: str
) -> list[dict[str, Any]]:
    """The checkpoints run ``run_id`` wrote, newest first, followed by the one
    it started from (whose tasks are its first step's)."""
    found: list[dict[str, Any]] = []
    before: str | None = None
    for _ in range(MAX_PAGES):
        page = await client.thread_history(thread_id, PAGE, before=before)
        for state in page:
            if _run_of(state) == run_id:
                found.append(state)
            elif found:
                return [*found, state]  # the parent of the run's first checkpoint
        if len(page) < PAGE:
            break
        before = _checkpoint_id(page[-1])
    return found


def supersteps(checkpoints: Sequence[Mapping[str, Any]], run_id: str) -> list[dict[str, Any]]:
    """The supersteps of run ``run_id`` from its checkpoints (any order),
    oldest first, each with the tasks that ran in it (``seqs`` still empty)."""
    by_id = {_checkpoint_id(state): state for state in checkpoints}
    ours = sorted(
        (state for state in checkpoints if _run_of(state) == run_id),
        key=lambda state: _step_of(state),
    )
    steps: list[dict[str, Any]] = []
    for state in ours:
        parent = by_id.get(str(state.get("parent_checkpoint_id") or ""))
        if parent is not None:
            steps.append(_step(_step_of(state), run_id, _checkpoint_id(state), parent, done=True))
    if ours:
        # A step that never wrote its checkpoint: its tasks raised or were interrupted.
        last = ours[-1]
        unfinished = _step(_step_of(last) + 1, run_id, None, last, done=False)
        if unfinished["tasks"]:
            steps.append(unfinished)
    return [step for step in steps if step["tasks"]]


def _step(
    number: int, run_id: str, checkpoint_id: str | None, source: Mapping[str, Any], *, done: bool
) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = [
        {
            "id": str(task.get("id") or ""),
            "name": str(task.get("name") or ""),
            "seqs": [],
            "error": task.get("error") or None,
            "interrupted": bool(task.get("interrupts")),
            "_result": task.get("result"),
        }
        for task in source.get("tasks") or ()
        if isinstance(task, Mapping)
        and task.get("name") != _INPUT_TASK
        and (done or task.get("error") or task.get("interrupts"))
    ]
    return {"step": number, "run_id": run_id, "checkpoint_id": checkpoint_id, "tasks": tasks}


def assign(steps: list[dict[str, Any]], records: Sequence[EventRecord]) -> list[dict[str, Any]]:
    """Match each root ``updates`` record to the task that sent it, in
    arrival order (see the module docstring); returns ``steps`` without the
    tasks' results, ready for the trait."""
    position = 0  # the step of the last match: updates never go back in steps
    for record in records:
        data = record.get("data")
        if record.get("mode") != "updates" or record.get("ns") or not isinstance(data, dict):
            continue
        for node, update in data.items():
            found = _match(steps, position, str(node), update)
            if found is not None:
                position, task = found
                task["seqs"].append(record["seq"])
    for step in steps:
        for task in step["tasks"]:
            task.pop("_result", None)
    return steps


def _match(
    steps: list[dict[str, Any]], position: int, node: str, update: Any
) -> tuple[int, dict[str, Any]] | None:
    """The unmatched task from step ``position`` on that sent ``{node:
    update}``: in the nearest step with such a task, the one with this
    result, else the first (an interrupt goes to an interrupted task)."""
    for index in range(position, len(steps)):
        if node == "__interrupt__":
            waiting = [t for t in steps[index]["tasks"] if t["interrupted"] and not t["seqs"]]
        else:
            waiting = [t for t in steps[index]["tasks"] if t["name"] == node and not t["seqs"]]
        if waiting:
            same = [t for t in waiting if t["_result"] == update]
            return index, (same or waiting)[0]
    return None


async def record_supersteps(tl: FeedTarget, client: LangGraphClient, first: int) -> None:
    """Add the supersteps of the run that just ended in ``tl`` (its events
    from seq ``first`` on) to ``tl.steps``. A history that cannot be read
    leaves the steps unknown: the run itself is not affected."""
    if not (tl.thread_id and tl.run_id):
        return
    try:
        checkpoints = await run_checkpoints(client, tl.thread_id, tl.run_id)
    except LGWidgetError:
        return
    log = tl.events
    # Only root updates are matched: build just their records.
    updates = [log[seq] for seq in range(first, len(log)) if log.name(seq) == "updates"]
    steps = assign(supersteps(checkpoints, tl.run_id), updates)
    if steps:
        tl.steps = [*tl.steps, *steps]


def _run_of(state: Mapping[str, Any]) -> str:
    metadata = state.get("metadata")
    return str(metadata.get("run_id") or "") if isinstance(metadata, Mapping) else ""


def _step_of(state: Mapping[str, Any]) -> int:
    metadata = state.get("metadata")
    step = metadata.get("step") if isinstance(metadata, Mapping) else None
    return step if isinstance(step, int) else -1


def _checkpoint_id(state: Mapping[str, Any]) -> str:
    checkpoint = state.get("checkpoint")
    if isinstance(checkpoint, Mapping) and checkpoint.get("checkpoint_id"):
        return str(checkpoint["checkpoint_id"])
    return str(state.get("checkpoint_id") or "")
