"""Share a run: tl.to_html() and nbconvert's HTML export, opened offline in Chromium.

Every request but the file itself is aborted, so the page shows the run from
what it holds or not at all.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
from jupyter_browser import capture_errors
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from playwright.sync_api import Frame, Page, Route
from traitlets.config import Config

import lgwidget

T = TypeVar("T")

ATTACK = "</script><script>window.__pwned=1</script>"
WEATHER_INPUT = {"messages": [{"role": "user", "content": "what's the weather in la"}]}


def off_the_loop(work: Callable[[], T]) -> T:
    """Run ``work`` in a thread: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def weather_run(url: str) -> lgwidget.RunTimeline:
    async def run() -> lgwidget.RunTimeline:
        return await lgwidget.stream(url, "weather", input=WEATHER_INPUT, stream_mode="updates")

    return off_the_loop(lambda: asyncio.run(run()))


@dataclass
class Offline:
    """What an offline page tried to load and what it complained about."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_offline(page: Page, path: Path) -> Offline:
    offline = Offline()

    def route(r: Route) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            offline.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda dialog: (offline.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    return offline


def shown(frame: Page | Frame) -> dict[str, Any]:
    """The timeline a page shows: status, count, entries, header text."""
    frame.locator('.lgw-timeline[data-status="done"]').wait_for()
    result: dict[str, Any] = frame.evaluate("""() => {
        const t = document.querySelector('.lgw-timeline');
        return {
            status: t.querySelector('.lgw-status').textContent,
            count: Number(t.dataset.count),
            nodes: [...t.querySelectorAll('.lgw-entry[data-lgw-node]')]
                .map((e) => e.getAttribute('data-lgw-node')),
            seqs: [...t.querySelectorAll('.lgw-entry[data-lgw-seq]')]
                .map((e) => Number(e.getAttribute('data-lgw-seq'))),
            header: t.querySelector('.lgw-header').textContent,
            elapsed: t.querySelector('.lgw-elapsed').textContent,
            text: t.textContent,
        };
    }""")
    return result


def background(page: Page) -> str:
    color: str = page.evaluate(
        "() => getComputedStyle(document.querySelector('.lgw-timeline')).backgroundColor"
    )
    return color


def test_to_html_shows_the_run_offline_in_light_and_dark(
    server_url: str, page: Page, tmp_path: Path
) -> None:
    tl = weather_run(server_url)
    assert tl.status == "done"
    errors = capture_errors(page)
    offline = open_offline(page, tl.to_html(tmp_path / "run.html"))
    view = shown(page)
    assert view["status"] == "done"
    assert view["count"] == len(tl.events) == 4
    assert view["seqs"] == [0, 1, 2, 3]
    assert view["nodes"] == ["agent", "action", "agent"]
    assert tl.run_id in view["header"]
    assert tl.thread_id in view["header"]
    assert "4 events" in view["header"]
    assert view["elapsed"].endswith(" s")
    assert "The weather in Los Angeles is sunny" in view["text"]
    assert page.title() == f"lgwidget run {tl.run_id}"
    assert page.locator(".lgw-stop").is_hidden()
    page.emulate_media(color_scheme="light")
    assert background(page) == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    assert background(page) == "rgb(17, 17, 17)"
    assert offline.blocked == []
    assert offline.dialogs == []
    assert errors.all() == []


def test_data_in_the_page_stays_data(page: Page, tmp_path: Path) -> None:
    tl = lgwidget.RunTimeline(assistant_id="agent")
    tl.add_message("metadata", json.dumps({"run_id": "r-1"}))
    tl.add_message(
        "updates", json.dumps({"agent": {"messages": [{"type": "ai", "content": ATTACK}]}})
    )
    tl.add_message("custom", json.dumps({"note": f"line\u2028separator <!-- &amp; {ATTACK}"}))
    tl.add_message("custom", f"<img src=x onerror=alert(1)>{ATTACK}", raw=True)
    tl._finish("done")
    errors = capture_errors(page)
    offline = open_offline(page, tl.to_html(tmp_path / "hostile.html"))
    view = shown(page)
    assert view["count"] == 4
    # Data is shown as text (the AI message's markdown is sanitized).
    assert f"line\u2028separator <!-- &amp; {ATTACK}" in view["text"]
    assert page.locator(".lgw-timeline script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".lgw-timeline img").count() == 0
    assert offline.blocked == []
    assert offline.dialogs == []
    assert errors.all() == []


def test_nbconvert_export_shows_the_saved_timeline_offline(
    server_url: str, page: Page, tmp_path: Path
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import lgwidget\n"
            f"tl = lgwidget.stream({server_url!r}, 'weather', input={WEATHER_INPUT!r},"
            " stream_mode='updates')\n"
            "display(tl)\n"
            # Awaited in the cell that shows it: nbclient keeps the widget
            # messages of the cell that is running.
            "_ = await tl.wait()"
        )
    ]
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    off_the_loop(client.execute)
    config = Config()
    config.HTMLExporter.preprocessors = ["lgwidget.exports.nbconvert.TimelinePreprocessor"]
    body, _ = HTMLExporter(config=config).from_notebook_node(nb)
    assert "application/vnd.jupyter.widget-state+json" not in body
    (tmp_path / "run.html").write_text(body, encoding="utf-8")

    errors = capture_errors(page)
    offline = open_offline(page, tmp_path / "run.html")
    frame = page.locator("iframe.lgwidget-page").element_handle().content_frame()
    assert frame is not None
    view = shown(frame)
    assert view["count"] == 4
    assert view["nodes"] == ["agent", "action", "agent"]
    assert "The weather in Los Angeles is sunny" in view["text"]
    # nbconvert's own template asks a CDN for require.js and MathJax; the
    # timeline asks for nothing.
    assert offline.blocked
    assert all("cdnjs.cloudflare.com" in url for url in offline.blocked), offline.blocked
    assert offline.dialogs == []
    assert errors.page_errors == []
    lgwidget_errors = [e for e in errors.console_errors if "cdnjs" not in e and "net::" not in e]
    assert lgwidget_errors == []
