"""Tokens grow in the page while the run streams, inside the node that emits them."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from jupyter_browser import JupyterServer, capture_errors, run_notebook, write_notebook
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# From page load on: every text the agent's streaming message shows, with the
# agent entry's state at that moment ("node" until its update lands).
INIT_SCRIPT = """
window.__lgwTokens = [];
new MutationObserver(() => {
  for (const entry of document.querySelectorAll('.lgw-entry[data-lgw-node="agent"]')) {
    for (const text of entry.querySelectorAll('.lgw-stream-text')) {
      const log = window.__lgwTokens;
      const seen = {text: text.textContent, event: entry.dataset.lgwEvent,
                    status: entry.closest('.lgw-timeline').dataset.status};
      const last = log[log.length - 1];
      if (!last || last.text !== seen.text || last.event !== seen.event) log.push(seen);
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tokens")


def test_tokens_appear_before_the_nodes_update_and_the_text_grows(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    write_notebook(
        notebook_dir / "tokens.ipynb",
        [
            "import os\nimport lgwidget\n"
            "tl = lgwidget.stream(os.environ['LGWIDGET_URL'], 'research',\n"
            "    input={'messages': [{'role': 'user', 'content': 'tidal power'}]},\n"
            "    stream_mode=['updates', 'messages-tuple'],\n"
            "    config={'configurable': {'token_pause': 0.25}})\ntl",
        ],
    )
    run_notebook(page, lab, "tokens.ipynb", wait_for='.lgw-timeline[data-status="done"]')
    seen: list[dict[str, Any]] = page.evaluate("() => window.__lgwTokens")
    growing = [s for s in seen if s["event"] == "node" and s["status"] == "streaming"]
    texts = [s["text"] for s in growing]
    # The report streamed word by word into the agent's entry before its update landed...
    assert len(set(texts)) >= 3, seen
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts)), texts
    assert len(texts[-1]) > len(texts[0])
    # ...and the entry then settled as the agent's update with the whole message.
    final = page.locator('.lgw-entry[data-lgw-node="agent"][data-lgw-event="updates"]').last
    assert "Report on tidal power" in final.inner_text()
    assert errors.page_errors == []
