"""AI text renders as Markdown in real JupyterLab, and hostile Markdown runs nothing.

The events come from ``lgwidget.watch()`` of (event, data) pairs in the kernel
(no LangGraph server): settled AI messages (``updates``) and a streamed one
(``messages`` chunks), each carrying payloads that would set
``window.__pwned``, open a dialog or log to the console if anything ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_browser import JupyterServer, capture_errors, jupyter_lab, run_notebook, write_notebook
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

RUN = "window.__pwned = 1; alert('pwned'); console.log('PWNED')"

HOSTILE = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"><circle r="5"/></svg>',
    f'<iframe src="javascript:{RUN}"></iframe><iframe srcdoc="<script>{RUN}</script>"></iframe>',
    "<style>.lgw-timeline { display: none !important }</style>",
    '<p style="position:fixed;inset:0;background:red;z-index:9999">cover</p>',
    f'<form action="javascript:{RUN}"><input autofocus onfocus="{RUN}"></form>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">',
    f'<details open ontoggle="{RUN}">x</details>',
    f'<object data="javascript:{RUN}"></object><embed src="javascript:{RUN}">',
    f"[javascript link](javascript:{RUN})",
    f"[entity link](javas&#99;ript:{RUN})",
    "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    f'<a href="javas&#99;ript:{RUN}">raw entity link</a>',
    f"![img](javascript:{RUN})",
    f"[ref][1]\n\n[1]: javascript:{RUN}",
    f'**bold <img src=x onerror="{RUN}">** and _em <svg onload="{RUN}">_',
    f'<div onmouseover="{RUN}" style="width:100vw;height:100vh">hover me</div>',
    f'| a | b |\n|---|---|\n| <img src=x onerror="{RUN}"> | [x](javascript:{RUN}) |',
]

BENIGN = "Here is **bold** text.\n\n```python\nprint('hello')\n```\n\n- [docs](https://example.com)"


def events() -> list[tuple[str, Any]]:
    settled = [
        {"type": "ai", "id": f"m{i}", "content": text} for i, text in enumerate([BENIGN, *HOSTILE])
    ]
    out: list[tuple[str, Any]] = [
        ("updates", {"agent": {"messages": settled}}),
        (
            "updates",
            {
                "agent": {
                    "messages": [
                        {
                            "type": "ai",
                            "id": "call-msg",
                            "content": "",
                            "tool_calls": [{"name": "search", "args": {"q": "x"}, "id": "call_1"}],
                        }
                    ]
                }
            },
        ),
        (
            "updates",
            {
                "tools": {
                    "messages": [
                        {
                            "type": "tool",
                            "id": "t1",
                            "name": "search",
                            "content": '{"ok": 1}',
                            "tool_call_id": "call_1",
                        }
                    ]
                }
            },
        ),
    ]
    # A streamed message (never settled by an update): blocks render as they complete.
    meta = {"langgraph_node": "writer"}
    for i, text in enumerate(HOSTILE):
        out.append(
            ("messages", [{"type": "AIMessageChunk", "id": "s1", "content": text + "\n\n"}, meta])
        )
        out.append(
            ("messages", [{"type": "AIMessageChunk", "id": "s1", "content": f"tail {i} "}, meta])
        )
    out.append(
        (
            "messages",
            [{"type": "AIMessageChunk", "id": "s1", "content": "", "chunk_position": "last"}, meta],
        )
    )
    return out


INIT_SCRIPT = "window.__lgwDialogs = 0;"

CHECK_JS = """() => {
  const allowed = new Set(["href", "title", "start", "align", "target", "rel"]);
  const bad = [];
  for (const md of document.querySelectorAll('.lgw-timeline .lgw-md')) {
    for (const el of md.querySelectorAll('*')) {
      if (el.matches('script, img, svg, math, iframe, object, embed, style, link, form, input, button, details')) bad.push(el.outerHTML);
      for (const name of el.getAttributeNames()) if (!allowed.has(name)) bad.push(el.tagName + ' ' + name);
      const href = el.getAttribute('href');
      if (href !== null && !/^(https?:\\/\\/|mailto:)/i.test(href)) bad.push('href ' + href);
    }
  }
  return {bad, pwned: window.__pwned, mds: document.querySelectorAll('.lgw-timeline .lgw-md').length,
          visible: getComputedStyle(document.querySelector('.lgw-timeline')).display};
}"""


POKE_JS = """() => {
  for (const el of document.querySelectorAll('.lgw-timeline .lgw-md, .lgw-timeline .lgw-md *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']) el.dispatchEvent(new Event(type));
    if (!el.closest('a[href]')) el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  }
}"""


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("markdown")


@pytest.fixture(scope="module")
def lab(notebook_dir: Path) -> Iterator[JupyterServer]:
    # watch() of in-kernel pairs: no LangGraph server needed.
    with jupyter_lab(notebook_dir) as srv:
        yield srv


def test_hostile_markdown_runs_nothing_and_benign_markdown_renders(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    dialogs: list[str] = []
    console: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: console.append(msg.text))
    write_notebook(
        notebook_dir / "markdown.ipynb",
        [
            "import json\nimport lgwidget\n"
            f"events = json.loads({json.dumps(json.dumps(events()))})\n"
            "tl = lgwidget.watch([(e, d) for e, d in events])\ntl",
        ],
    )
    run_notebook(page, lab, "markdown.ipynb", wait_for='.lgw-timeline[data-status="done"]')
    timeline = page.locator(".jp-OutputArea-output .lgw-timeline").first
    writer = timeline.locator('.lgw-entry[data-lgw-node="writer"]')
    writer.locator(".lgw-stream-msg[data-lgw-state='done']").wait_for()

    # Benign Markdown rendered.
    assert timeline.locator(".lgw-md strong", has_text="bold").count() >= 1
    assert "print('hello')" in timeline.locator(".lgw-md pre > code").first.inner_text()
    link = timeline.locator('.lgw-md a[href="https://example.com"]').first
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    # Raw HTML shows as the text the model wrote.
    assert "<script>" in timeline.inner_text()

    # Poke everything a payload could hang on: real hover and click on the
    # messages, then the usual handler events on every rendered element
    # (links with an href would open tabs: those are checked by CHECK_JS).
    first = timeline.locator(".lgw-md").first
    first.hover()
    first.click()
    page.evaluate(POKE_JS)
    page.wait_for_timeout(500)

    result = page.evaluate(CHECK_JS)
    assert result["bad"] == []
    assert result["mds"] >= len(HOSTILE)
    assert result["visible"] != "none"
    assert result["pwned"] is None
    assert dialogs == []
    assert not [c for c in console if "PWNED" in c]
    assert errors.page_errors == []

    # Tool call -> result: the result is marked. (Go to the call's event first:
    # the list is virtualized, its row may not be in the DOM.)
    goto = timeline.locator("input[data-lgw-goto]")
    goto.fill("1")
    goto.press("Enter")
    timeline.locator('[data-lgw-tool-call="call_1"] button[data-lgw-link="result"]').click()
    marked = timeline.locator('[data-lgw-tool-result="call_1"].lgw-goto-target')
    marked.wait_for()
    assert marked.is_visible()
