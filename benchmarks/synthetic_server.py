"""A loopback LangGraph-API look-alike that streams N synthetic ``updates`` events fast.

Only what a run stream needs: ``POST /threads``, ``POST /threads/{id}/runs/stream``
(the run input says how many events, how big, and an optional gap between
them) and ``GET /threads/{id}``. Bodies are prebuilt so that the server is
never the bottleneck of the consumers it measures. Run as a script in its own
process: ``python synthetic_server.py PORT``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from functools import lru_cache

CRLF = b"\r\n"


def update_event(index: int, size: int) -> bytes:
    """One SSE frame shaped like a real ``updates`` event of about ``size`` bytes."""
    message = {
        "content": "",
        "additional_kwargs": {},
        "response_metadata": {"finish_reason": "stop", "model_name": "scripted"},
        "type": "ai",
        "name": None,
        "id": f"lc_run--01a20f50-e776-77ea-acd3-{index:012d}-0",
        "tool_calls": [],
        "invalid_tool_calls": [],
        "usage_metadata": None,
    }
    node = "agent" if index % 2 == 0 else "action"
    bare = len(json.dumps({node: {"messages": [message]}}, separators=(",", ":")))
    message["content"] = ("lorem ipsum dolor sit amet " * (size // 27 + 1))[: max(size - bare, 0)]
    data = json.dumps({node: {"messages": [message]}}, separators=(",", ":"))
    return b"event: updates" + CRLF + b"data: " + data.encode() + CRLF + CRLF


@lru_cache(maxsize=4)
def stream_body(n: int, size: int) -> tuple[bytes, ...]:
    metadata = b'event: metadata\r\ndata: {"run_id":"bench-run","attempt":1}\r\n\r\n'
    return (metadata, *(update_event(i, size) for i in range(n)))


def response_head(status: str, content_type: str, extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n{extra}connection: close\r\n\r\n"
    ).encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    length = int({k.lower(): v for k, v in headers.items()}.get("content-length", "0"))
    body = json.loads(await reader.readexactly(length)) if length else {}
    if method == "POST" and path == "/threads":
        writer.write(response_head("200 OK", "application/json"))
        writer.write(b'{"thread_id":"bench-thread"}')
    elif method == "POST" and path.endswith("/runs/stream"):
        spec = body.get("input") or {}
        frames = stream_body(int(spec.get("n", 1000)), int(spec.get("size", 2000)))
        gap = float(spec.get("gap", 0))
        location = "content-location: /threads/bench-thread/runs/bench-run\r\n"
        writer.write(response_head("200 OK", "text/event-stream; charset=utf-8", location))
        if gap:
            for frame in frames:
                writer.write(frame)
                await writer.drain()
                await asyncio.sleep(gap)
        else:
            batch: list[bytes] = []
            for frame in frames:
                batch.append(frame)
                if len(batch) >= 64:
                    writer.write(b"".join(batch))
                    batch.clear()
                    await writer.drain()
            writer.write(b"".join(batch))
    elif method == "GET" and path.startswith("/threads/"):
        writer.write(response_head("200 OK", "application/json"))
        writer.write(b'{"thread_id":"bench-thread","status":"idle"}')
    else:
        writer.write(response_head("404 Not Found", "application/json"))
        writer.write(b'{"detail":"not found"}')
    await writer.drain()
    writer.close()


async def serve(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        print("ready", flush=True)
        await server.serve_forever()


@contextlib.contextmanager
def running(port: int) -> Iterator[str]:
    """This server in a child process on ``port``; yields its URL, stops it on exit."""
    proc = subprocess.Popen(
        [sys.executable, __file__, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
