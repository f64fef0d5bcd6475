"""Real supersteps against the real server: the ``steps`` a timeline records
from the thread's history equal the server's own ``debug`` steps for the same
run, for fan-outs with ``Send``, a nested interrupt and its resume,
``Command(goto=...)`` routing and a node that raises; ``runs`` keeps each
run of the thread as its own section."""

from __future__ import annotations

from typing import Any

import pytest

import lgwidget
from lgwidget import RunTimeline


def debug_tasks(tl: RunTimeline) -> dict[str, int]:
    """Task id -> superstep, as the root ``debug`` stream reports them."""
    return {
        e["data"]["payload"]["id"]: e["data"]["step"]
        for e in tl.events
        if e["event"] == "debug" and e["data"]["type"] == "task"
    }


def recorded_tasks(tl: RunTimeline) -> dict[str, int]:
    return {task["id"]: step["step"] for step in tl.steps for task in step["tasks"]}


def names_by_step(tl: RunTimeline) -> list[tuple[int, list[str]]]:
    return [(step["step"], sorted(t["name"] for t in step["tasks"])) for step in tl.steps]


def root_updates(tl: RunTimeline) -> list[int]:
    return [e["seq"] for e in tl.events if e["event"] == "updates"]


def assigned(tl: RunTimeline) -> list[int]:
    return sorted(seq for step in tl.steps for task in step["tasks"] for seq in task["seqs"])


@pytest.mark.parametrize(
    "modes",
    [["updates"], ["values"], ["updates", "values"], ["updates", "tasks"]],
    ids="+".join,
)
@pytest.mark.parametrize("subgraphs", [False, True], ids=["flat", "subgraphs"])
async def test_fan_out_steps_equal_the_debug_steps_of_the_same_run(
    server_url: str, modes: list[str], subgraphs: bool
) -> None:
    tl = await lgwidget.stream(
        server_url,
        "fanout",
        input={"n": 5},
        stream_mode=[*modes, "debug"],
        stream_subgraphs=subgraphs,
    )
    assert tl.status == "done"
    assert recorded_tasks(tl) == debug_tasks(tl)
    assert names_by_step(tl) == [(1, ["plan"]), (2, ["work"] * 5), (3, ["reduce"])]
    # Every root update is matched to its task: the debug task_result that
    # follows it names the same task.
    assert assigned(tl) == root_updates(tl)
    by_seq = {
        seq: task["id"] for step in tl.steps for task in step["tasks"] for seq in task["seqs"]
    }
    for seq in root_updates(tl):
        result = next(
            e
            for e in tl.events[seq + 1 :]
            if e["event"] == "debug" and e["data"]["type"] == "task_result"
        )
        assert result["data"]["payload"]["id"] == by_seq[seq]


async def test_updates_alone_get_the_same_steps_as_debug(server_url: str) -> None:
    plain = await lgwidget.stream(server_url, "fanout", input={"n": 5}, stream_mode="updates")
    debug = await lgwidget.stream(server_url, "fanout", input={"n": 5}, stream_mode="debug")
    assert names_by_step(plain) == names_by_step(debug)
    assert recorded_tasks(debug) == debug_tasks(debug)
    assert assigned(plain) == root_updates(plain)
    # Each work update is the task with its result: item i's update is i * i.
    work = next(step for step in plain.steps if step["step"] == 2)
    squares = sorted(
        plain.events[t["seqs"][0]]["data"]["work"]["results"][0] for t in work["tasks"]
    )
    assert squares == [0, 1, 4, 9, 16]


async def test_a_fan_out_to_200_is_one_step_of_200_tasks(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "fanout", input={"n": 200}, stream_mode="updates")
    assert [(s["step"], len(s["tasks"])) for s in tl.steps] == [(1, 1), (2, 200), (3, 1)]
    assert all(len(t["seqs"]) == 1 for t in tl.steps[1]["tasks"])
    assert assigned(tl) == root_updates(tl)


@pytest.mark.parametrize("modes", [["updates", "values"], ["updates", "values", "debug"]])
async def test_a_nested_interrupt_and_its_resume_are_two_runs_in_order(
    server_url: str, modes: list[str]
) -> None:
    tl = await lgwidget.stream(
        server_url,
        "nested",
        input={"question": "ship it?"},
        stream_mode=modes,
        stream_subgraphs=True,
    )
    assert tl.status == "interrupted"
    first_run = tl.run_id
    await tl.resume("yes")
    assert tl.status == "done"
    first, second = tl.runs
    assert (first["run_id"], first["status"], first["first"]) == (first_run, "interrupted", 0)
    assert first["started_by"] == {"kind": "input", "value": {"question": "ship it?"}}
    assert (second["run_id"], second["status"]) == (tl.run_id, "done")
    assert second["started_by"] == {"kind": "resume", "value": "yes"}
    assert second["first"] > first["first"]
    assert second["start"] >= first["elapsed"] - 0.01  # the resume starts after the first run
    assert all(
        e["seq"] >= second["first"] for e in tl.events if e["data"] == {"finish": {"done": True}}
    )
    # Run 1: prepare, then outer, interrupted (the root __interrupt__ is its
    # update); run 2 runs outer again and then finish.
    steps = [(s["run_id"], s["step"], [t["name"] for t in s["tasks"]]) for s in tl.steps]
    assert steps == [
        (first_run, 1, ["prepare"]),
        (first_run, 2, ["outer"]),
        (tl.run_id, 2, ["outer"]),
        (tl.run_id, 3, ["finish"]),
    ]
    interrupted = tl.steps[1]["tasks"][0]
    assert interrupted["interrupted"]
    assert tl.steps[1]["checkpoint_id"] is None
    assert [tl.events[seq]["data"].keys() for seq in interrupted["seqs"]] == [{"__interrupt__"}]
    if "debug" in modes:
        assert recorded_tasks(tl) == debug_tasks(tl)  # the same ids and steps in both runs


async def test_command_goto_routing_steps(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url, "router", input={"topic": "billing"}, stream_mode=["updates", "debug"]
    )
    assert names_by_step(tl) == [(1, ["triage"]), (2, ["billing"])]
    assert recorded_tasks(tl) == debug_tasks(tl)
    assert assigned(tl) == root_updates(tl)


async def test_a_node_that_raises_is_an_unfinished_step_with_its_error(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "failing", input={}, stream_mode=["updates", "debug"])
    with pytest.raises(lgwidget.LGWidgetStreamError):
        await tl.wait()
    assert tl.status == "error"
    assert names_by_step(tl) == [(1, ["prepare"]), (2, ["explode"])]
    explode: dict[str, Any] = tl.steps[1]["tasks"][0]
    assert tl.steps[1]["checkpoint_id"] is None
    assert "failed on purpose" in str(explode["error"])
    assert recorded_tasks(tl) == debug_tasks(tl)
