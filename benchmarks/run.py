"""lgwidget's benchmark: the raw limit, the guide's SDK print loop and lgwidget, side by side.

    python benchmarks/run.py [--quick]

Every consumer reads the same stream in a fresh process, one after the other
for each stream, so ratios compare runs measured minutes apart on the same
machine. Streams: a synthetic loopback server (N events of a given payload
size shaped like real ``updates`` events) and the real embedded LangGraph API
server (the ``ticker`` demo graph looping N steps). Prints a Markdown table.

Kernel memory is measured twice, for lgwidget and for raw httpx-sse. A
process's first run pays about 2 MiB once, whatever the payload (httpx's
transport modules that load on the first request, ...), so the figure that
counts against the payload is that of a later run in a warm kernel: a process
that has first streamed the same stream cut to one event (``consumers.py
--warm``). The first run in a fresh process is shown beside it. Raw holds no
events: its figures are what reading the stream costs, the floor under any
consumer's.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import synthetic_server  # noqa: E402

from lgwidget.server import LocalServer, free_port  # noqa: E402

CONSUMERS = ("raw", "sdk", "lgwidget")


def measure(
    consumer: str,
    url: str,
    assistant: str,
    input: Any,
    config: dict[str, Any],
    *,
    warm: bool = False,
) -> dict[str, Any]:
    """One run of ``consumer`` in a fresh process; with ``warm``, a later run: the
    process first streams the same stream cut to one event (see consumers.py)."""
    out = subprocess.run(
        [
            sys.executable,
            str(HERE / "consumers.py"),
            *(["--warm"] if warm else []),
            consumer,
            url,
            assistant,
            json.dumps(input),
            json.dumps(config),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB" if n < 10 * 1024 * 1024 else f"{n / 2**20:,.1f} MiB"


def memory(ours: dict[str, Any], raw: dict[str, Any], payload: int) -> str:
    return (
        f"{ours['peak_mem_bytes'] / payload:.2f}× ({kib(ours['peak_mem_bytes'])}; "
        f"raw {kib(raw['peak_mem_bytes'])})"
    )


def row(label: str, results: dict[str, dict[str, Any]], warm: dict[str, dict[str, Any]]) -> str:
    """One table row; ``results`` are the consumers' first runs in fresh processes,
    ``warm`` lgwidget's and raw's later runs in warm kernels on the same stream."""
    raw, sdk, ours = results["raw"], results["sdk"], results["lgwidget"]
    comm = ours["comm"]
    appends = comm.get("custom", [0, 0])
    counts = comm.get("count", [0, 0])
    updates = comm.get("update", [0, 0])
    snapshot = comm.get("snapshot", [0, 0])
    payload = raw["payload_bytes"]
    streaming = appends[1] + counts[1] + updates[1]
    total_msgs = appends[0] + counts[0] + updates[0] + snapshot[0]
    wait = ours["max_wait_s"]
    return (
        f"| {label} | {raw['events_per_s']:,.0f} "
        f"| {sdk['events_per_s'] / raw['events_per_s']:.2f}× "
        f"| {ours['events_per_s'] / raw['events_per_s']:.2f}× "
        f"| {raw['first_event_s'] * 1000:,.0f} / {ours['first_event_s'] * 1000:,.0f} ms "
        f"| {total_msgs:,} (≤ {ours['max_msgs_per_s']}/s) "
        f"| {streaming / payload:.2f}× ({streaming / ours['events']:,.0f} B/ev) "
        f"| {streaming / raw['stream_bytes']:.2f}× "
        f"| {(streaming + snapshot[1]) / payload:.2f}× "
        f"| {memory(warm['lgwidget'], warm['raw'], payload)} "
        f"| {memory(ours, raw, payload)} "
        f"| {wait * 1000:,.0f} ms |"
    )


HEADER = (
    "| stream | raw httpx-sse ev/s | SDK print loop | lgwidget | first event raw / lgwidget "
    "| comm messages (busiest second) | comm bytes streaming / payload | / SSE bytes "
    "| with snapshot "
    "| kernel memory / payload: a later run "
    "| the first run in a fresh process "
    "| max event wait |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


WARM = ("raw", "lgwidget")


def compare(
    url: str, assistant: str, spec: dict[str, Any], config: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every consumer's first run in a fresh process on the stream ``spec``, whose
    memory includes what a process's first run pays once (modules imported on
    first use, ...), and raw's and lgwidget's later runs in warm kernels on the
    same stream, after a one-event run of it: what every later run costs."""
    results = {c: measure(c, url, assistant, spec, config) for c in CONSUMERS}
    warm = {c: measure(c, url, assistant, spec, config, warm=True) for c in WARM}
    return results, warm


REAL_ROUNDS = 3


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median throughput (the middle one of an odd number)."""
    return sorted(runs, key=lambda r: r["events_per_s"])[len(runs) // 2]


def median_memory(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median peak memory (the middle one of an odd number)."""
    return sorted(runs, key=lambda r: r["peak_mem_bytes"])[len(runs) // 2]


def run_all(quick: bool) -> str:
    lines = [HEADER]
    synthetic = [(1000, 2000), (10000, 2000), (50000, 2000), (10000, 300), (10000, 20000)]
    if quick:
        synthetic = [(1000, 2000), (5000, 300)]
    with synthetic_server.running(free_port()) as url:
        for n, size in synthetic:
            spec: dict[str, Any] = {"n": n, "size": size}
            config: dict[str, Any] = {"stream_mode": "updates"}
            results, warm = compare(url, "bench", spec, config)
            lines.append(row(f"synthetic N={n:,} × {size / 1000:g} KB", results, warm))
            print(lines[-1], flush=True)
        spec = {"n": 30, "size": 2000, "gap": 0.2}
        results, warm = compare(url, "bench", spec, {"stream_mode": "updates"})
        lines.append(row("synthetic sparse: 30 events 200 ms apart", results, warm))
        print(lines[-1], flush=True)
    n = 300 if quick else 2000
    with LocalServer() as real_url:
        spec = {"n": n, "pause": 0}
        # Resumable, as lgwidget starts runs by default: every consumer gets the id lines.
        config = {
            "stream_mode": "updates",
            "stream_resumable": True,
            "config": {"recursion_limit": n + 10},
        }
        # The server, sharing the two cores, sets the pace and varies from run to
        # run: every consumer (and each warm run) runs REAL_ROUNDS times,
        # interleaved; each consumer keeps its median run by throughput, the warm
        # runs their median by memory.
        rounds = [compare(real_url, "ticker", spec, config) for _ in range(REAL_ROUNDS)]
        results = {c: median_run([r[c] for r, _ in rounds]) for c in CONSUMERS}
        warm = {c: median_memory([w[c] for _, w in rounds]) for c in WARM}
        label = f"real server: ticker N={n:,} steps (median of {REAL_ROUNDS})"
        lines.append(row(label, results, warm))
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small streams, for a smoke run")
    args = parser.parse_args()
    started = time.monotonic()
    table = run_all(args.quick)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "?",
    )
    print(
        f"\nMeasured {date.today()} on {platform.system()} {platform.machine()}, {cpu}, "
        f"Python {platform.python_version()}, in {time.monotonic() - started:.0f} s:\n"
    )
    print(table)


if __name__ == "__main__":
    main()
