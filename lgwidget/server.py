"""The embedded real LangGraph API server: ``langgraph dev`` in a child process.

:func:`local_server` runs the in-memory server (``langgraph-cli[inmem]``, the
``server`` extra) on a free 127.0.0.1 port, serving the given graphs (by
default the bundled demo graphs), and stops that process, and only it.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from .errors import LGWidgetServerError

STARTUP_TIMEOUT = 90.0  # seconds; a cold start imports langgraph-api and the graphs


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _absolute_spec(spec: str, base: Path) -> str:
    """``"graphs.py:g"`` relative to the caller's directory -> an absolute path;
    ``"package.module:g"`` unchanged."""
    target, sep, attr = spec.rpartition(":")
    if sep and target.endswith(".py"):
        return f"{(base / target).resolve()}:{attr}"
    return spec


class LocalServer:
    """A LangGraph API server in a child process; a context manager or start()/stop().

    ``graphs`` maps graph ids to ``"module:attr"`` or ``"file.py:attr"``
    specs (default :data:`lgwidget.demo.GRAPHS`). ``port=None`` picks a free
    port. :meth:`start` returns the base URL once the server answers.
    """

    def __init__(self, graphs: Mapping[str, str] | None = None, port: int | None = None) -> None:
        if graphs is None:
            from .demo import GRAPHS

            graphs = GRAPHS
        base = Path.cwd()
        self.graphs = {name: _absolute_spec(spec, base) for name, spec in graphs.items()}
        self.port = port
        self.url: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log(self) -> str:
        """The server's output so far (stdout and stderr)."""
        if self._workdir is None:
            return ""
        path = Path(self._workdir.name) / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self, timeout: float = STARTUP_TIMEOUT) -> str:
        if self.url is not None:
            return self.url
        port = self.port or free_port()
        if not _port_is_free(port):
            # langgraph-api would silently move to another port; say so instead.
            raise LGWidgetServerError(f"port {port} on 127.0.0.1 is already in use")
        self._workdir = tempfile.TemporaryDirectory(prefix="lgwidget-server-")
        workdir = Path(self._workdir.name)
        config = workdir / "langgraph.json"
        config.write_text(
            json.dumps({"dependencies": ["."], "graphs": self.graphs, "disable_persistence": True})
        )
        env = dict(
            os.environ,
            LANGGRAPH_CLI_NO_ANALYTICS="1",
            LANGSMITH_TRACING="false",
            LANGCHAIN_TRACING_V2="false",
            # The child imports "module:attr" graphs from the caller's directory too.
            PYTHONPATH=os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])),
        )
        cmd = [
            sys.executable,
            "-m",
            "langgraph_cli",
            "dev",
            "--no-browser",
            "--no-reload",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            # `langgraph dev` otherwise runs one run at a time (its help says 10,
            # langgraph-api 0.16 uses 1): concurrent timelines would queue.
            "--n-jobs-per-worker",
            "10",
            "--config",
            str(config),
        ]
        with open(workdir / "server.log", "wb") as log:
            self._proc = subprocess.Popen(
                cmd,
                cwd=workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        atexit.register(self.stop)
        url = f"http://127.0.0.1:{port}"
        try:
            self._wait_until_up(url, timeout)
        except BaseException:
            self.stop()
            raise
        self.url = url
        return url

    def _wait_until_up(self, url: str, timeout: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise LGWidgetServerError(
                    f"the LangGraph API server for {url} exited with code "
                    f"{self._proc.returncode}:\n{self.log[-3000:]}"
                )
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise LGWidgetServerError(
            f"the LangGraph API server at {url} did not answer within {timeout} s:\n"
            f"{self.log[-3000:]}"
        )

    def stop(self) -> None:
        """Stop the server process (SIGTERM, then SIGKILL after 10 s)."""
        proc, self._proc, self.url = self._proc, None, None
        atexit.unregister(self.stop)
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def local_server(graphs: Mapping[str, str] | None = None, port: int | None = None) -> LocalServer:
    """The embedded LangGraph API server: ``with local_server() as url: ...``
    or ``server = local_server(); url = server.start(); ...; server.stop()``."""
    return LocalServer(graphs, port)
