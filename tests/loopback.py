"""Loopback test servers on 127.0.0.1 (real TCP, asyncio): a scripted fake
LangGraph API server, a proxy that cuts connections, and a count of this
process's open connections from /proc."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# -- what a scripted server sends ---------------------------------------------------


class Hang:
    """Send nothing more and keep the connection open (a silent server)."""


class Cut:
    """Reset the connection at once (RST), mid-response."""


HANG = Hang()
CUT = Cut()
Part = bytes | float | Hang | Cut  # bytes to send, seconds to pause, or an action


def sse(event: str | None, data: Any = None, event_id: str | None = None) -> bytes:
    """One SSE frame as the LangGraph API server writes it (CRLF, id after data)."""
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append("data: " + (data if isinstance(data, str) else json.dumps(data)))
    if event_id is not None:
        lines.append(f"id: {event_id}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)


def json_reply(value: Any, status: int = 200) -> Reply:
    body = json.dumps(value).encode()
    return Reply(status, {"content-type": "application/json"}, [body])


def sse_reply(*parts: Part, run: str = "/threads/t1/runs/r1") -> Reply:
    return Reply(
        200,
        {"content-type": "text/event-stream; charset=utf-8", "content-location": run},
        list(parts),
    )


Handler = Callable[[Request], Reply | Awaitable[Reply]]


class ScriptedServer:
    """An HTTP/1.1 server answering each request with ``handler(request)``.

    One request per connection; bodies end with the connection (no length,
    no chunking), so a clean close is a clean end of the stream.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.open_connections = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.url = ""

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open_connections += 1
        self._writers.add(writer)
        try:
            request = await _read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            reply = self.handler(request)
            if not isinstance(reply, Reply):
                reply = await reply
            head = [f"HTTP/1.1 {reply.status} X", "connection: close"]
            head += [f"{k}: {v}" for k, v in reply.headers.items()]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
            for part in reply.parts:
                if isinstance(part, bytes):
                    writer.write(part)
                    await writer.drain()
                elif isinstance(part, float | int):
                    await asyncio.sleep(part)
                elif isinstance(part, Hang):
                    # Until the client goes away: a read returns b"" then.
                    await reader.read()
                    return
                else:
                    _reset(writer)
                    return
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or the server is shutting down
        finally:
            self._writers.discard(writer)
            self.open_connections -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    return Request(method, path, headers, body)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0) instead of FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


# -- a proxy that cuts run streams ------------------------------------------------

_REQUEST_LINE = re.compile(rb"[A-Z]+ (\S+) HTTP/1\.1\r\n")

CutPlan = Callable[[int], "tuple[int, bool] | None"]
"""For the n-th stream response (0: the run's POST, then each rejoin): where to
cut it, as (byte offset into the response body, reset instead of close), or None."""


class CuttingProxy:
    """A TCP proxy to ``upstream`` that cuts the responses of stream requests
    (paths ending in ``/stream``) where ``plan`` says."""

    def __init__(self, upstream_port: int, plan: CutPlan) -> None:
        self.upstream_port = upstream_port
        self.plan = plan
        self.streams = 0  # stream requests seen
        self.cuts = 0
        self.last_event_ids: list[str | None] = []
        self.body_bytes: list[int] = []  # per stream response, bytes passed on
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.url = ""

    async def __aenter__(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            self._tasks.discard(task)
            return
        # The cut planned for the response now coming back, shared by both pumps.
        armed: dict[str, Any] = {}
        upward = asyncio.ensure_future(self._requests(client_r, up_w, armed))
        try:
            await self._responses(up_r, client_w, armed)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            upward.cancel()
            with contextlib.suppress(BaseException):
                await upward
            for writer in (client_w, up_w):
                writer.close()
            self._tasks.discard(task)

    async def _requests(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, armed: dict[str, Any]
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                request = _REQUEST_LINE.match(chunk)
                if request is not None:  # a new request: its response comes next
                    armed.clear()
                if request is not None and request[1].split(b"?")[0].endswith(b"/stream"):
                    head = chunk.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
                    last = [
                        line.split(":", 1)[1].strip()
                        for line in head.split("\r\n")
                        if line.startswith("last-event-id:")
                    ]
                    self.last_event_ids.append(last[0] if last else None)
                    armed.update(plan=self.plan(self.streams), head=b"", body=0, index=self.streams)
                    self.body_bytes.append(0)
                    self.streams += 1
                writer.write(chunk)
                await writer.drain()
        writer.close()

    async def _responses(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, armed: dict[str, Any]
    ) -> None:
        while chunk := await reader.read(65536):
            if armed:
                chunk = self._pass_or_cut(chunk, armed, writer)
                if chunk is None:
                    return
            writer.write(chunk)
            await writer.drain()

    def _pass_or_cut(
        self, chunk: bytes, armed: dict[str, Any], writer: asyncio.StreamWriter
    ) -> bytes | None:
        """The part of ``chunk`` to pass on; None once the connection is cut."""
        if armed["head"] is not None:
            seen = armed["head"] + chunk
            end = seen.find(b"\r\n\r\n")
            if end < 0:
                armed["head"] = seen
                return chunk
            armed["head"] = None
            body = seen[end + 4 :]
            head_part = chunk[: len(chunk) - len(body)]
        else:
            body, head_part = chunk, b""
        plan = armed["plan"]
        index = armed["index"]
        if plan is not None and armed["body"] + len(body) >= plan[0]:
            keep = plan[0] - armed["body"]
            writer.write(head_part + body[:keep])
            self.body_bytes[index] += keep
            self.cuts += 1
            if plan[1]:
                _reset(writer)
            else:
                writer.transport.close()
            return None
        armed["body"] += len(body)
        self.body_bytes[index] += len(body)
        return chunk


# -- open connections of this process ------------------------------------------------


def open_connections(port: int) -> int:
    """This process's TCP sockets connected to ``port`` on this machine, from
    /proc: its fds' socket inodes matched against /proc/net/tcp{,6}."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as rows:
            for row in list(rows)[1:]:
                cols = row.split()
                remote_port = int(cols[2].rsplit(":", 1)[1], 16)
                if remote_port == port and cols[9] in inodes:
                    count += 1
    return count


# -- a scripted LangGraph API server ------------------------------------------------

THREAD, RUN = "t1", "r1"
RunStatus = str | Callable[[], str]


def fake_langgraph(
    run_stream: Callable[[Request], Reply],
    *,
    join: Callable[[Request], Reply] | None = None,
    run_status: RunStatus = "success",
    thread_status: str = "idle",
    state: dict[str, Any] | None = None,
) -> Handler:
    """A LangGraph API server with one thread (``t1``) whose run (``r1``) streams
    ``run_stream(request)`` and is rejoined with ``join(request)``."""

    def handle(request: Request) -> Reply:
        path = request.path.split("?")[0]
        if (request.method, path) == ("POST", "/threads"):
            return json_reply({"thread_id": THREAD})
        if path == f"/threads/{THREAD}/runs/stream":
            return run_stream(request)
        if path == f"/threads/{THREAD}/runs/{RUN}/stream" and join is not None:
            return join(request)
        if path == f"/threads/{THREAD}/runs/{RUN}":
            status = run_status() if callable(run_status) else run_status
            return json_reply({"run_id": RUN, "status": status})
        if path == f"/threads/{THREAD}/runs/{RUN}/cancel":
            return Reply(202)
        if path == f"/threads/{THREAD}":
            return json_reply({"thread_id": THREAD, "status": thread_status})
        if path == f"/threads/{THREAD}/state":
            return json_reply(state or {"values": {}, "next": [], "interrupts": []})
        return json_reply({"detail": f"not scripted: {request.method} {path}"}, 404)

    return handle
