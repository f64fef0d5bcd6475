"""Supersteps from checkpoint history (lgwidget.feeds.supersteps), on
hand-made histories: which tasks ran in which step, and which update each
task sent."""

from __future__ import annotations

from typing import Any

from lgwidget.feeds.supersteps import assign, run_checkpoints, supersteps
from lgwidget.wire.events import EventRecord


def checkpoint(
    cid: str, step: int, parent: str | None, tasks: list[dict[str, Any]], run: str = "r1"
) -> dict[str, Any]:
    return {
        "checkpoint": {"checkpoint_id": cid},
        "parent_checkpoint_id": parent,
        "metadata": {"run_id": run, "step": step, "source": "loop"},
        "tasks": tasks,
    }


def task(tid: str, name: str, result: Any = None, **extra: Any) -> dict[str, Any]:
    return {"id": tid, "name": name, "result": result, "error": None, "interrupts": [], **extra}


def update(seq: int, node: str, value: Any, ns: list[str] | None = None) -> EventRecord:
    return {
        "seq": seq,
        "event": "updates",
        "mode": "updates",
        "ns": ns or [],
        "data": {node: value},
    }


def matched(steps: list[dict[str, Any]]) -> list[tuple[int, str, list[int]]]:
    return [(s["step"], t["id"], t["seqs"]) for s in steps for t in s["tasks"]]


# A loop: ``tick`` runs in steps 1, 2 and 3 with the same result each time.
LOOP = [
    checkpoint("c-1", -1, None, [task("s", "__start__")]),
    checkpoint("c0", 0, "c-1", [task("a", "tick", {"n": 1})]),
    checkpoint("c1", 1, "c0", [task("b", "tick", {"n": 1})]),
    checkpoint("c2", 2, "c1", [task("c", "tick", {"n": 1})]),
    checkpoint("c3", 3, "c2", []),
]


def test_a_node_run_in_several_steps_is_matched_step_by_step() -> None:
    records = [
        update(1, "tick", {"n": 1}),
        update(2, "tick", {"n": 1}),
        update(3, "tick", {"n": 1}),
    ]
    steps = assign(supersteps(LOOP, "r1"), records)
    assert matched(steps) == [(1, "a", [1]), (2, "b", [2]), (3, "c", [3])]
    assert all("_result" not in t for s in steps for t in s["tasks"])  # not in the trait


def test_parallel_tasks_are_matched_by_result_whatever_the_arrival_order() -> None:
    fan = [task(f"w{i}", "work", {"results": [i]}) for i in range(3)]
    history = [
        checkpoint("c-", -1, None, [task("s", "__start__")]),
        checkpoint("c0", 0, "c-", [task("p", "plan", {"n": 3})]),
        checkpoint("c1", 1, "c0", fan),
        checkpoint("c2", 2, "c1", []),
    ]
    records = [
        update(1, "plan", {"n": 3}),
        update(2, "work", {"results": [2]}),
        update(3, "work", {"results": [0]}),
        update(4, "work", {"results": [1]}),
    ]
    steps = assign(supersteps(history, "r1"), records)
    assert matched(steps) == [(1, "p", [1]), (2, "w0", [3]), (2, "w1", [4]), (2, "w2", [2])]


def test_equal_results_each_get_one_task_and_nothing_is_matched_twice() -> None:
    fan = [task(f"w{i}", "work", {"ok": True}) for i in range(3)]
    # The run wrote one checkpoint, from a parent (another run's) listing the fan-out.
    history = [checkpoint("c1", 1, "c0", []), checkpoint("c0", 0, None, fan, run="r0")]
    records = [update(seq, "work", {"ok": True}) for seq in (5, 6, 7, 8)]
    steps = assign(supersteps(history, "r1"), records)
    assert matched(steps) == [(1, "w0", [5]), (1, "w1", [6]), (1, "w2", [7])]  # 8: no task left


def test_subgraph_updates_and_other_modes_are_left_alone() -> None:
    records = [
        update(1, "tick", {"n": 1}, ns=["sub:1"]),
        {"seq": 2, "event": "values", "mode": "values", "ns": [], "data": {"tick": 1}},
        update(3, "tick", {"n": 1}),
    ]
    steps = assign(supersteps(LOOP, "r1"), records)
    assert matched(steps) == [(1, "a", [3]), (2, "b", []), (3, "c", [])]


def test_an_interrupted_or_failed_step_is_unfinished_and_keeps_its_update() -> None:
    history = [
        checkpoint("c0", 0, None, [task("p", "prepare", {"q": 1})]),
        checkpoint(
            "c1", 1, "c0", [task("o", "outer", None, interrupts=[{"id": "i", "value": "ok?"}])]
        ),
        checkpoint("cx", -1, None, [task("s", "__start__")], run="r0"),
    ]
    history[0]["parent_checkpoint_id"] = "cx"
    records = [update(1, "prepare", {"q": 1}), update(2, "__interrupt__", [{"id": "i"}])]
    steps = assign(supersteps(history, "r1"), records)
    assert matched(steps) == [(1, "p", [1]), (2, "o", [2])]
    assert steps[1]["checkpoint_id"] is None
    assert steps[1]["tasks"][0]["interrupted"] is True
    failed = [checkpoint("c0", 0, "cx", [task("x", "explode", None, error="ValueError('boom')")])]
    failed.append(history[2])
    (step,) = supersteps(failed, "r1")
    assert (step["step"], step["tasks"][0]["error"]) == (1, "ValueError('boom')")


class PagedHistory:
    """A client whose ``thread_history`` pages through ``states`` (newest first)."""

    def __init__(self, states: list[dict[str, Any]]) -> None:
        self.states = states
        self.calls: list[str | None] = []

    async def thread_history(
        self, thread_id: str, limit: int = 100, *, before: str | None = None
    ) -> list[dict[str, Any]]:
        self.calls.append(before)
        start = 0
        if before is not None:
            start = 1 + next(
                i for i, s in enumerate(self.states) if s["checkpoint"]["checkpoint_id"] == before
            )
        return self.states[start : start + limit]


async def test_the_history_is_paged_back_to_the_runs_first_checkpoint_and_its_parent() -> None:
    newer = [checkpoint(f"n{i}", i, None, [], run="r2") for i in range(150)]
    ours = [checkpoint(f"o{i}", i, None, [], run="r1") for i in range(120)]
    older = [checkpoint(f"p{i}", i, None, [], run="r0") for i in range(300)]
    client = PagedHistory([*newer, *ours, *older])
    found = await run_checkpoints(client, "t1", "r1")  # type: ignore[arg-type]
    assert [s["checkpoint"]["checkpoint_id"] for s in found] == [
        *(f"o{i}" for i in range(120)),
        "p0",
    ]
    assert client.calls == [None, "n99", "o49"]  # three pages, none after the parent
