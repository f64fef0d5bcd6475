"""The live timeline in real JupyterLab, driven in headless Chromium by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

pytest.importorskip("playwright")
pytest.importorskip("jupyterlab")

from jupyter_browser import (
    JupyterServer,
    capture_errors,
    run_notebook,
    wait_for_kernel_idle,
    write_notebook,
)
from playwright.sync_api import Page
from quickstart_checks import RECORDER, assert_quickstart_timeline, timeline_state

pytestmark = pytest.mark.browser

# Where the README's screenshot comes from: set LGWIDGET_SCREENSHOT_DIR=docs to refresh it.
SCREENSHOT_DIR = os.environ.get("LGWIDGET_SCREENSHOT_DIR")

INIT_SCRIPT = RECORDER  # run in every page before JupyterLab loads (conftest.py)


def save_notebook(page: Page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")


def test_quickstart_shows_the_run_grow_node_by_node(
    lab: JupyterServer, page: Page, tmp_path: Path
) -> None:
    errors = capture_errors(page)
    timeline, cells_ok = run_notebook(
        page, lab, "quickstart.ipynb", wait_for='.lgw-timeline[data-status="done"]'
    )
    assert cells_ok
    assert_quickstart_timeline(page, timeline)
    shot_dir = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    shot_dir.mkdir(parents=True, exist_ok=True)
    timeline.screenshot(path=str(shot_dir / "quickstart.png"))
    assert (shot_dir / "quickstart.png").stat().st_size > 10_000
    assert errors.all() == []


def test_a_second_view_and_a_reload_mid_run_show_the_whole_timeline(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    ticks = 16
    write_notebook(
        notebook_dir / "two_views.ipynb",
        [
            "import asyncio, os\nimport lgwidget\n"
            f"tl = lgwidget.stream(os.environ['LGWIDGET_URL'], 'ticker', "
            f"input={{'n': {ticks}, 'pause': 0.3}})\ntl",
            "await asyncio.sleep(1.5)  # the run is still streaming: this view joins late\ntl",
        ],
    )
    run_notebook(page, lab, "two_views.ipynb", wait_for=".lgw-timeline >> nth=1")
    views = timeline_state(page)
    assert len(views) == 2
    assert views[0]["status"] == "streaming"
    # Reload while the run streams: the views come back from the kernel's widgets.
    save_notebook(page)
    page.reload()
    wait_for_kernel_idle(page, "two_views.ipynb")
    page.wait_for_function(
        """() => {
            const t = document.querySelectorAll('.jp-OutputArea-output .lgw-timeline');
            return t.length === 2 && [...t].every((v) => v.dataset.status === 'done');
        }""",
        timeout=60_000,
    )
    views = timeline_state(page)
    expected = list(range(ticks + 1))  # metadata + one update per tick
    for view in views:
        assert view["count"] == ticks + 1
        assert view["seqs"] == expected
        assert view["nodes"] == ["tick"] * ticks
    assert errors.page_errors == []


def test_a_saved_notebook_reopened_without_its_kernel_shows_the_timeline(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    write_notebook(
        notebook_dir / "saved.ipynb",
        [
            "import os\nimport lgwidget\n"
            "tl = lgwidget.stream(os.environ['LGWIDGET_URL'], 'weather', "
            "input={'messages': [{'role': 'user', 'content': 'weather?'}]})\ntl",
            "await tl.wait()",
        ],
    )
    run_notebook(page, lab, "saved.ipynb", wait_for='.lgw-timeline[data-status="done"]')
    save_notebook(page)
    # The kernel goes away: the widget's model exists only in the saved file now.
    sessions = httpx.get(f"{lab.base_url}/api/sessions", params={"token": lab.token}).json()
    for session in sessions:
        if session["path"].endswith("saved.ipynb"):
            httpx.delete(
                f"{lab.base_url}/api/sessions/{session['id']}", params={"token": lab.token}
            ).raise_for_status()
    page.reload()
    wait_for_kernel_idle(page, "saved.ipynb")  # a fresh kernel, without the old widgets
    page.locator('.jp-OutputArea-output .lgw-timeline[data-status="done"]').first.wait_for()
    (view, *_) = timeline_state(page)
    assert view["count"] == 4
    assert view["nodes"] == ["agent", "action", "agent"]
    assert errors.page_errors == []
