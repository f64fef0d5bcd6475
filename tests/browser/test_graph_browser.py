"""The graph panel follows a run in JupyterLab: the lit node moves, visited counts at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyter_browser import JupyterServer, capture_errors, run_notebook, write_notebook
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# From page load on: each change of the set of lit (running) graph nodes.
INIT_SCRIPT = """
window.__lgwRunning = [];
new MutationObserver(() => {
  const lit = [...document.querySelectorAll('.lgw-graph-node[data-state="running"]')]
    .map((n) => n.dataset.lgwGraphId).join(',');
  const log = window.__lgwRunning;
  if (lit && log[log.length - 1] !== lit) log.push(lit);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});
"""


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("graph")


def test_the_lit_node_follows_the_run_and_visits_are_counted(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    write_notebook(
        notebook_dir / "graph.ipynb",
        [
            "import os\nimport lgwidget\n"
            "tl = lgwidget.stream(os.environ['LGWIDGET_URL'], 'research',\n"
            "    input={'messages': [{'role': 'user', 'content': 'tidal power'}]},\n"
            "    stream_mode=['updates', 'messages-tuple', 'tasks'], stream_subgraphs=True,\n"
            "    config={'configurable': {'token_pause': 0.15}})\ntl",
        ],
    )
    run_notebook(page, lab, "graph.ipynb", wait_for='.lgw-timeline[data-status="done"]')
    lit: list[str] = page.evaluate("() => window.__lgwRunning")
    # The light moves in the run's order. The summary and the report stream token
    # by token (0.15 s a token), so the light sits on summarize, then on the
    # agent, for many frames; the first agent step and the tool nodes can start
    # and end within one frame, so they may never be seen lit.
    run_order = ["agent", "tools", "research:read", "research:summarize", "agent"]
    seen = iter(run_order)
    assert all(name in seen for name in lit), lit  # a subsequence of the run's order
    assert lit[-2:] == ["research:summarize", "agent"], lit

    graph = page.locator(".lgw-graph").first
    assert graph.locator('.lgw-graph-node[data-state="running"]').count() == 0
    agent = graph.locator('.lgw-graph-node[data-lgw-graph-id="agent"]')
    assert agent.get_attribute("data-visits") == "2"
    assert agent.locator(".lgw-graph-badge").text_content() == "1, 5"
    assert (
        graph.locator('.lgw-graph-node[data-lgw-graph-id="__end__"]').get_attribute("data-state")
        == "visited"
    )
    taken = graph.locator(".lgw-graph-edge[data-taken]")
    assert taken.count() == 6  # start→agent→tools→read→summarize→agent→end

    # A click filters the timeline to the node (the filter shows on the node).
    graph.locator('.lgw-graph-node[data-lgw-graph-id="tools"]').click()
    assert (
        graph.locator('.lgw-graph-node[data-lgw-graph-id="tools"]').get_attribute("data-selected")
        == "true"
    )
    assert errors.page_errors == []
