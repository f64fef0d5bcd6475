"""Human in the loop on the real server: resume an interrupt, continue from a
breakpoint, stop a resumed run, all in the same timeline."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

import lgwidget
from lgwidget import RunTimeline
from lgwidget.wire.snapshot import snapshot_records

APPROVAL_INPUT = {"messages": [{"role": "user", "content": "send the weekly report"}]}


def nodes(tl: RunTimeline, first: int = 0) -> list[str]:
    return [next(iter(e["data"])) for e in tl.events[first:] if e["mode"] == "updates"]


def statuses(tl: RunTimeline) -> list[str]:
    seen: list[str] = []
    tl.observe(lambda change: seen.append(change["new"]), names="status")
    return seen


async def until(predicate: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def test_resume_answers_the_interrupt_in_the_same_timeline(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "approval", input=APPROVAL_INPUT)
    assert tl.status == "interrupted"
    (pending,) = tl.interrupts
    assert pending["value"]["question"] == "Send this email?"
    assert pending["value"]["tool_call"]["name"] == "send_email"
    assert pending["id"] == tl.events[-1]["data"]["__interrupt__"][0]["id"]
    assert tl.paused_at == ["review"]
    first_run, paused = tl.run_id, len(tl.events)
    seen = statuses(tl)

    assert tl.resume({"approved": True}) is tl
    assert (tl.status, tl.interrupts, tl.paused_at, tl.run_id) == ("connecting", [], [], "")
    await tl.wait()  # waits for the resumed run's end
    assert tl.status == "done"
    assert seen == ["connecting", "streaming", "done"]
    assert tl.run_id
    assert tl.run_id != first_run
    assert nodes(tl, paused) == ["review", "tools", "agent"]
    assert tl.events[paused]["event"] == "metadata"
    assert [e["seq"] for e in tl.events] == list(range(len(tl.events)))
    times = [e["t"] for e in tl.events]
    assert times == sorted(times)  # t counts from the first start
    reply = tl.events[-1]["data"]["agent"]["messages"][-1]["content"]
    assert reply.startswith("Done: I sent 'Weekly report'")
    assert (tl.interrupts, tl.paused_at) == ([], [])
    assert snapshot_records(tl._snapshot) == tl.events


async def test_the_views_resume_and_continue_messages(server_url: str) -> None:
    tl = await lgwidget.stream(
        server_url, "approval", input=APPROVAL_INPUT, interrupt_before=["tools"]
    )
    assert tl.interrupts
    assert tl.paused_at == ["review"]
    # The Resume button with a JSON answer.
    tl._on_view_message(tl, {"type": "resume", "value": {"approved": True}}, [])
    tl._on_view_message(tl, {"type": "resume", "value": {"approved": True}}, [])  # 2nd click
    await tl.wait()
    # Approved, then paused at the breakpoint before the tool: no interrupt value.
    assert tl.status == "interrupted"
    assert (tl.interrupts, tl.paused_at) == ([], ["tools"])
    assert nodes(tl) == ["agent", "__interrupt__", "review", "__interrupt__"]
    assert tl.error == ""  # the second click was dropped, not an error
    # The Continue button.
    tl._on_view_message(tl, {"type": "continue"}, [])
    await tl.wait()
    assert tl.status == "done"
    assert nodes(tl)[4:] == ["tools", "agent"]


async def test_a_declined_answer_from_python(server_url: str) -> None:
    tl = await lgwidget.stream(server_url, "approval", input=APPROVAL_INPUT)
    await tl.resume({"approved": False})
    assert tl.status == "done"
    assert nodes(tl)[-2:] == ["review", "agent"]
    assert tl.events[-1]["data"]["agent"]["messages"][-1]["content"].startswith("Understood")


async def run_status(url: str, thread_id: str, run_id: str) -> str:
    async with httpx.AsyncClient(base_url=url) as http:
        status: str = (await http.get(f"/threads/{thread_id}/runs/{run_id}")).json()["status"]
        return status


async def test_a_resumed_run_can_be_stopped_and_resumed_again(server_url: str) -> None:
    # Paused before the first tick; each resume runs to the next tick's breakpoint.
    tl = await lgwidget.stream(
        server_url, "ticker", input={"n": 3, "pause": 1.0}, interrupt_before=["tick"]
    )
    assert (tl.status, tl.paused_at, tl.interrupts) == ("interrupted", ["tick"], [])
    tl.resume()
    # The resumed run's metadata arrived: it is inside its first tick (1 s).
    await until(lambda: tl.status == "streaming" and len(tl.events) == 3)
    resumed_run = tl.run_id
    tl.cancel()
    await tl.wait()
    assert tl.status == "cancelled"
    assert (tl.interrupts, tl.paused_at) == ([], [])
    assert [e["event"] for e in tl.events] == ["metadata", "updates", "metadata"]
    deadline = time.monotonic() + 10
    while (status := await run_status(server_url, tl.thread_id, resumed_run)) == "running":
        assert time.monotonic() < deadline, f"run still {status}"
        await asyncio.sleep(0.1)
    assert status == "interrupted"  # what a cancel looks like on the server
    # The thread is paused again (a cancel interrupts the run): resume once more.
    kept = len(tl.events)
    await tl.resume()
    assert tl.status == "interrupted"
    assert tl.run_id not in ("", resumed_run)
    assert tl.events[kept]["event"] == "metadata"
    assert [e["seq"] for e in tl.events] == list(range(len(tl.events)))


async def test_resume_is_refused_while_a_run_streams_or_without_a_run(server_url: str) -> None:
    tl = lgwidget.stream(server_url, "ticker", input={"n": 3, "pause": 0.2})
    with pytest.raises(lgwidget.LGWidgetError, match="still connecting"):
        tl.resume()
    await tl.wait()
    joined = await lgwidget.join(server_url, tl.thread_id, tl.run_id)
    with pytest.raises(lgwidget.LGWidgetError, match=r"not started by lgwidget\.stream"):
        joined.resume({"approved": True})
    # From the view, a failure is shown in the widget (no cell to raise into).
    joined._on_view_message(joined, {"type": "continue"}, [])
    assert "continue failed" in joined.error
