"""Record the graph fixtures of the JS tests: the ``graph`` trait of our demo graphs.

Starts the embedded LangGraph API server (:func:`lgwidget.local_server`), asks
it for each demo graph with ``GET /assistants/{name}/graph?xray=true`` (what
:func:`lgwidget.stream` asks) and writes the value the kernel syncs to the
front end (:func:`lgwidget.feeds.graph.normalize_graph`) to
``js/test/fixtures/graph-<name>.json``.

    .venv/bin/python scripts/record_graph_fixtures.py [--out js/test/fixtures]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import lgwidget
from lgwidget.client.http import LangGraphClient
from lgwidget.feeds.graph import normalize_graph

ROOT = Path(__file__).resolve().parent.parent
GRAPHS = ("weather", "research", "approval", "ticker")


async def record(url: str, out: Path) -> None:
    async with LangGraphClient(url) as client:
        for name in GRAPHS:
            graph = normalize_graph(await client.get_assistant_graph(name, xray=True))
            path = out / f"graph-{name}.json"
            path.write_text(json.dumps(graph, indent=2) + "\n", encoding="utf-8")
            print(f"{path}: {len(graph['nodes'])} nodes, {len(graph['edges'])} edges")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "js" / "test" / "fixtures")
    args = parser.parse_args()
    with lgwidget.local_server() as url:
        asyncio.run(record(url, args.out))


if __name__ == "__main__":
    main()
