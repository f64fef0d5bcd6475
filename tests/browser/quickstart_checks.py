"""What the quickstart's weather run must show, in whichever front end ran it.

Shared by the JupyterLab, Notebook 7 and theme tests: the page records every
status and entry as it appears (``RECORDER``, an init script), and
``assert_quickstart_timeline`` checks the finished run against it.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

# Records, from page load on, every status a timeline shows and the order in
# which entries appear, so the test sees the run grow rather than its end state.
RECORDER = """
window.__lgw = {statuses: [], nodes: []};
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'attributes' && r.target.classList.contains('lgw-timeline')) {
      const s = r.target.getAttribute('data-status');
      const log = window.__lgw.statuses;
      if (log[log.length - 1] !== s) log.push(s);
    }
    for (const n of r.addedNodes) {
      if (!(n instanceof Element)) continue;
      const found = n.matches('.lgw-timeline') ? [n] : [...n.querySelectorAll('.lgw-timeline')];
      for (const t of found) window.__lgw.statuses.push(t.getAttribute('data-status'));
      const entries = n.matches('.lgw-entry[data-lgw-node]') ? [n]
        : [...n.querySelectorAll('.lgw-entry[data-lgw-node]')];
      for (const e of entries) window.__lgw.nodes.push(e.getAttribute('data-lgw-node'));
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-status']});
"""


def timeline_state(page: Page) -> list[dict[str, Any]]:
    """Per timeline view on the page: status, count and its entries."""
    result: list[dict[str, Any]] = page.evaluate("""() =>
        [...document.querySelectorAll('.jp-OutputArea-output .lgw-timeline')].map((t) => ({
            status: t.getAttribute('data-status'),
            count: Number(t.getAttribute('data-count')),
            seqs: [...t.querySelectorAll('.lgw-entry[data-lgw-seq]')]
                .map((e) => Number(e.getAttribute('data-lgw-seq'))),
            nodes: [...t.querySelectorAll('.lgw-entry[data-lgw-node]')]
                .map((e) => e.getAttribute('data-lgw-node')),
            header: t.querySelector('.lgw-header')?.textContent ?? '',
        }))""")
    return result


def assert_quickstart_timeline(page: Page, timeline: Locator) -> None:
    """The weather run, finished: its entries, in the order they appeared, and what they say."""
    (view,) = timeline_state(page)
    assert view["status"] == "done"
    assert view["count"] == 4
    assert view["nodes"] == ["agent", "action", "agent"]
    assert view["seqs"] == [0, 1, 2, 3]
    assert "weather" in view["header"]
    recorded = page.evaluate("() => window.__lgw")
    assert recorded["statuses"][0] == "connecting"  # shown at once, before the first event
    assert recorded["statuses"][-1] == "done"
    assert recorded["nodes"] == ["agent", "action", "agent"]  # the order they appeared in
    # What the entries say: the tool call, its result, the answer.
    assert (
        timeline.locator('[data-lgw-node="agent"]')
        .first.get_by_text("tavily_search_results_json")
        .count()
        >= 1
    )
    assert timeline.locator('[data-lgw-node="action"]').get_by_text("Sunny").count() >= 1
    assert timeline.get_by_text("The weather in Los Angeles is sunny").count() == 1
