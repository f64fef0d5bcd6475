"""The embedded server launcher and the `lgwidget demo` command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

import lgwidget
from lgwidget.server import LocalServer, free_port

pytest.importorskip("langgraph_api")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is gone once its state says so.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_file_graph_is_served_on_loopback_and_the_process_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_graphs.py").write_text(
        textwrap.dedent("""
        from typing_extensions import TypedDict
        from langgraph.graph import StateGraph, START

        class State(TypedDict):
            n: int

        builder = StateGraph(State)
        builder.add_node("double", lambda s: {"n": s["n"] * 2})
        builder.add_edge(START, "double")
        doubler = builder.compile()
    """)
    )
    monkeypatch.chdir(tmp_path)
    with lgwidget.local_server({"doubler": "my_graphs.py:doubler"}) as url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        tl = lgwidget.stream(url, "doubler", input={"n": 21})
        assert tl.events[-1]["data"] == {"double": {"n": 42}}
        assistants = httpx.post(f"{url}/assistants/search", json={}).json()
        assert {a["graph_id"] for a in assistants} == {"doubler"}
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/ok", timeout=2)


def test_start_stop_object_stops_only_its_own_process() -> None:
    srv = LocalServer({"weather": "lgwidget.demo.weather:graph"})
    url = srv.start()
    pid = srv.pid
    assert pid is not None
    assert alive(pid)
    assert srv.start() == url  # starting twice is harmless
    assert httpx.get(f"{url}/ok").status_code == 200
    srv.stop()
    assert not alive(pid)
    assert srv.url is None
    srv.stop()  # stopping twice too


def test_a_busy_port_is_refused_clearly() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(lgwidget.LGWidgetServerError, match=f"port {port}"):
            LocalServer(port=port).start()


def test_a_broken_graph_fails_with_the_servers_log(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("raise RuntimeError('graph module exploded')\n")
    srv = LocalServer({"broken": f"{tmp_path / 'broken.py'}:graph"})
    with pytest.raises(lgwidget.LGWidgetServerError, match="graph module exploded"):
        srv.start(timeout=60)
    assert srv.pid is None


def test_demo_command_starts_server_and_jupyterlab_and_ctrl_c_stops_both() -> None:
    pytest.importorskip("jupyterlab")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lgwidget.cli", "demo", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not any(line.startswith("JupyterLab:") for line in lines):
            line = proc.stdout.readline()
            assert line, "lgwidget demo exited early:\n" + "".join(lines)
            lines.append(line)
        api = next(line.split(": ", 1)[1].strip() for line in lines if line.startswith("LangGraph"))
        lab = next(
            line.split(": ", 1)[1].strip() for line in lines if line.startswith("JupyterLab:")
        )
        assert lab.startswith(f"http://127.0.0.1:{port}/lab/tree/quickstart.ipynb?token=")
        token = lab.rsplit("token=", 1)[1]
        assert httpx.get(f"{api}/ok").status_code == 200
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}/api/contents/quickstart.ipynb",
                    params={"token": token},
                ).status_code
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert status == 200  # JupyterLab serves the quickstart notebook
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert proc.wait(timeout=40) == 0
        for url in (f"{api}/ok", f"http://127.0.0.1:{port}/api/status"):
            with pytest.raises(httpx.TransportError):
                httpx.get(url, timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
