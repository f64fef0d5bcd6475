"""Record the SSE fixtures of the JS tests from runs of our own demo graphs.

Starts the embedded LangGraph API server (:func:`lgwidget.local_server`, the
default demo graphs), runs each scenario on a fresh thread with
``POST /threads/{thread_id}/runs/stream`` and writes the response body exactly
as sent (``httpx`` ``aiter_raw``: CRLF line ends, no re-encoding) to
``js/test/fixtures/<name>.sse``. A body over ``--max-bytes`` is cut at an
event boundary and ends with ``: [truncated]``.

    .venv/bin/python scripts/record_fixtures.py [--out js/test/fixtures] [name ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

import lgwidget

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "js" / "test" / "fixtures"
MAX_BYTES = 64 * 1024  # whole runs: the tests check how they end
TRUNCATED = b": [truncated]\r\n\r\n"

RESEARCH_INPUT = {"messages": [{"role": "user", "content": "tidal power"}]}
COMBINED = ["updates", "messages-tuple", "custom"]

# name -> the run-create body (a fresh thread each).
SCENARIOS: dict[str, dict[str, Any]] = {
    "updates": {
        "assistant_id": "weather",
        "input": {"messages": [{"role": "user", "content": "what is the weather in la"}]},
        "stream_mode": "updates",
    },
    "combined": {"assistant_id": "research", "input": RESEARCH_INPUT, "stream_mode": COMBINED},
    "subgraphs": {
        "assistant_id": "research",
        "input": RESEARCH_INPUT,
        "stream_mode": COMBINED,
        "stream_subgraphs": True,
    },
    "error": {
        "assistant_id": "failing",
        "input": {"value": 0},
        "stream_mode": ["updates", "values"],
    },
    "interrupt": {
        "assistant_id": "approval",
        "input": {"messages": [{"role": "user", "content": "Email the team the weekly report."}]},
        "stream_mode": ["updates", "values"],
    },
}


def truncate(body: bytes, limit: int) -> bytes:
    """``body`` cut after the last whole event that fits in ``limit`` bytes."""
    if len(body) <= limit:
        return body
    cut = body.rfind(b"\r\n\r\n", 0, limit - len(TRUNCATED))
    return body[: cut + 4] + TRUNCATED if cut >= 0 else TRUNCATED


async def record(http: httpx.AsyncClient, body: dict[str, Any]) -> bytes:
    """The raw response body of one streamed run on a new thread."""
    thread = await http.post("/threads", json={})
    thread.raise_for_status()
    path = f"/threads/{thread.json()['thread_id']}/runs/stream"
    raw = bytearray()
    async with http.stream("POST", path, json=body) as response:
        if response.status_code != 200:
            await response.aread()
            raise RuntimeError(f"POST {path} -> HTTP {response.status_code}: {response.text}")
        async for chunk in response.aiter_raw():
            raw += chunk
    return bytes(raw)


async def record_all(url: str, names: Sequence[str], out: Path, limit: int) -> None:
    headers = {"accept": "text/event-stream", "accept-encoding": "identity"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        for name in names:
            body = await record(http, SCENARIOS[name])
            data = truncate(body, limit)
            path = out / f"{name}.sse"
            path.unlink(missing_ok=True)  # the copies may be read-only
            path.write_bytes(data)
            note = f" (cut from {len(body)})" if len(data) < len(body) else ""
            print(f"{path}: {len(data)} bytes{note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(SCENARIOS)}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    args = parser.parse_args(argv)
    names = args.names or list(SCENARIOS)
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with lgwidget.local_server() as url:
        asyncio.run(record_all(url, names, args.out, args.max_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
