"""Many timelines against the real server: start/close cycles leak nothing,
twenty at once all complete, and in a real kernel re-running a cell or
interrupting the kernel stops the stream."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from loopback import open_connections
from test_stream import normalized, until

import lgwidget
from lgwidget.timeline.runner import _RUNNING


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def lgwidget_tasks() -> list[asyncio.Task[Any]]:
    return [t for t in asyncio.all_tasks() if t.get_name().startswith("lgwidget") and not t.done()]


async def test_a_hundred_start_close_cycles_leave_no_task_and_no_connection(
    server_url: str,
) -> None:
    port = port_of(server_url)
    before = open_connections(port)

    async def cycle(i: int) -> lgwidget.RunTimeline:
        tl = lgwidget.stream(server_url, "ticker", input={"n": 2, "pause": 0.1})
        # Close at every stage: at once, while connecting, and mid-stream.
        if i % 3 == 1:
            await asyncio.sleep(0.005 * (i % 7))
        elif i % 3 == 2:
            await until(lambda: tl.events)
        tl.close()
        await asyncio.sleep(0)
        return tl

    limit = asyncio.Semaphore(10)

    async def limited(i: int) -> lgwidget.RunTimeline:
        async with limit:
            return await cycle(i)

    timelines = await asyncio.gather(*(limited(i) for i in range(100)))
    await until(lambda: not _RUNNING and open_connections(port) <= before, timeout=5)
    assert lgwidget_tasks() == []
    assert not _RUNNING
    assert open_connections(port) == before
    ends = [tl.status for tl in timelines]
    assert set(ends) <= {"cancelled", "done"}
    assert ends.count("cancelled") > 50
    for tl in timelines:  # every wait() returns
        await asyncio.wait_for(tl.wait(), 1)


async def test_twenty_timelines_at_once_all_complete(server_url: str) -> None:
    modes = ["updates", "messages-tuple", "custom"]
    reference = await lgwidget.stream(
        server_url, "research", input={"messages": []}, stream_mode=modes
    )
    expected = [(e["event"].split("|")[0], normalized(e["data"])) for e in reference.events]
    timelines = [
        lgwidget.stream(server_url, "research", input={"messages": []}, stream_mode=modes)
        for _ in range(20)
    ]
    await asyncio.wait_for(asyncio.gather(*(tl.wait() for tl in timelines)), 60)
    for tl in timelines:
        assert tl.status == "done"
        assert [(e["event"].split("|")[0], normalized(e["data"])) for e in tl.events] == expected
    assert len({tl.thread_id for tl in timelines}) == 20
    assert open_connections(port_of(server_url)) == 0


# -- in a real kernel ----------------------------------------------------------------


class Kernel:
    """A real IPython kernel, sent execute requests the way JupyterLab sends them
    (with the cell's id in the metadata)."""

    def __init__(self) -> None:
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3")

    def execute(self, code: str, cell_id: str = "cell", timeout: float = 60) -> dict[str, Any]:
        """Run ``code``; the reply with the cell's stdout (``out``)."""
        msg = self.client.session.msg(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            metadata={"cellId": cell_id},
        )
        self.client.shell_channel.send(msg)
        out: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            io = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if io["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                continue
            if io["msg_type"] == "stream":
                out.append(io["content"]["text"])
            elif io["msg_type"] == "error":
                out.append(f"{io['content']['ename']}\n")
            elif io["msg_type"] == "status" and io["content"]["execution_state"] == "idle":
                break
        reply: dict[str, Any] = self.client.get_shell_msg(timeout=10)["content"]
        reply["out"] = "".join(out)
        return reply

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(server_url: str) -> Any:
    pytest.importorskip("jupyter_client")
    k = Kernel()
    k.execute(
        "import asyncio, lgwidget, sys\n"
        f"sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parents[1])!r})\n"
        "from loopback import open_connections\n"
        f"URL, PORT = {server_url!r}, {port_of(server_url)}\n"
        "def tasks():\n"
        "    return [t for t in asyncio.all_tasks() if t.get_name().startswith('lgwidget')]\n"
    )
    yield k
    k.stop()


def test_re_running_a_cell_closes_the_timeline_its_last_run_made(kernel: Kernel) -> None:
    start = (
        "tl = lgwidget.stream(URL, 'ticker', input={'n': 40, 'pause': 0.1})\n"
        "runs = globals().setdefault('runs', [])\n"
        "runs.append(tl)\n"
        "await asyncio.sleep(1.5)\n"
        "print(tl.status)"
    )
    assert kernel.execute(start, cell_id="cell-1")["out"] == "streaming\n"
    assert kernel.execute(start, cell_id="cell-1")["out"] == "streaming\n"  # the same cell again
    check = (
        "await asyncio.sleep(0.2)\n"
        "print(runs[0].status, runs[0].comm is None, runs[1].status, len(tasks()),"
        " open_connections(PORT))"
    )
    assert kernel.execute(check, cell_id="cell-2")["out"] == "cancelled True streaming 1 1\n"
    # Another cell making a timeline leaves cell-1's alone.
    other = "other = lgwidget.stream(URL, 'ticker', input={'n': 40, 'pause': 0.1})"
    kernel.execute(other, cell_id="cell-3")
    assert kernel.execute("print(runs[1].status)", cell_id="cell-4")["out"] == "streaming\n"
    kernel.execute("runs[1].close(); other.close(); await asyncio.sleep(0.2)", cell_id="cell-5")
    assert kernel.execute("print(len(tasks()), open_connections(PORT))")["out"] == "0 0\n"


def test_a_kernel_interrupt_while_waiting_stops_the_stream(kernel: Kernel) -> None:
    kernel.execute("tl = lgwidget.stream(URL, 'ticker', input={'n': 40, 'pause': 0.1})")
    msg = kernel.client.session.msg(
        "execute_request",
        {
            "code": "await tl.wait()",
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            # Else the kernel aborts the requests that follow the error at once.
            "stop_on_error": False,
        },
    )
    kernel.client.shell_channel.send(msg)
    time.sleep(2)  # the cell awaits the run, which streams
    kernel.manager.interrupt_kernel()
    reply = kernel.client.get_shell_msg(timeout=30)["content"]
    assert reply["status"] == "error"
    assert reply["ename"] in ("KeyboardInterrupt", "CancelledError")
    check = "await asyncio.sleep(0.2)\nprint(tl.status, len(tasks()), open_connections(PORT))"
    result = kernel.execute(check)
    assert result["out"] == "cancelled 0 0\n", result
