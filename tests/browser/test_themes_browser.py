"""The timeline in JupyterLab's light, dark and high-contrast themes: readable text in each.

Set LGWIDGET_SCREENSHOT_DIR=docs to refresh the README's theme screenshots.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("jupyterlab")

from jupyter_browser import JupyterServer, capture_errors, run_notebook
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = os.environ.get("LGWIDGET_SCREENSHOT_DIR")
CONTRAST_JS = Path(__file__).with_name("contrast.js").read_text()

THEMES = {
    "light": "JupyterLab Light",
    "dark": "JupyterLab Dark",
    "high-contrast": "JupyterLab Dark High Contrast",
}
# Text in the header and in an entry of the weather run (WCAG AA: ratio >= 4.5).
HEADER_TEXT = [
    ".lgw-status",
    ".lgw-label",
    ".lgw-id",
    ".lgw-count",
    ".lgw-elapsed",
]
ENTRY_TEXT = [
    ".lgw-node-name",
    ".lgw-step",
    ".lgw-time",
    ".lgw-event-name",
    ".lgw-msg-role",
    ".lgw-msg-text",
    ".lgw-tool-name",
    ".lgw-tool-status",
    ".lgw-tool-call-id",
    ".lgw-json-key",
    ".lgw-json-string",
    ".lgw-json-number",
    ".lgw-nav-position",
]


def set_theme(page: Page, theme: str) -> None:
    """Switch JupyterLab's theme and wait until its stylesheet applies."""
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    page.wait_for_function(
        "(theme) => document.body.dataset.jpThemeName === theme", arg=theme, polling=100
    )
    # JupyterLab shows its splash screen over the page while a theme loads.
    page.locator("#jupyterlab-splash").wait_for(state="detached")


@pytest.mark.parametrize("name", THEMES)
def test_the_timeline_is_readable_in_each_theme(
    name: str, lab: JupyterServer, page: Page, tmp_path: Path
) -> None:
    errors = capture_errors(page)
    timeline, cells_ok = run_notebook(
        page, lab, "quickstart.ipynb", wait_for='.lgw-timeline[data-status="done"]'
    )
    assert cells_ok
    set_theme(page, THEMES[name])
    root = ".jp-OutputArea-output .lgw-timeline"
    measured = page.evaluate(CONTRAST_JS, [root, HEADER_TEXT + ENTRY_TEXT])
    seen = {m["selector"] for m in measured}
    assert seen == set(HEADER_TEXT + ENTRY_TEXT)  # each one measured at least once
    low = [m for m in measured if m["ratio"] < 4.5]
    assert low == [], f"{THEMES[name]}: text below 4.5:1: {low}"
    shot_dir = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    shot_dir.mkdir(parents=True, exist_ok=True)
    shot = shot_dir / f"theme-{name}.png"
    timeline.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert errors.page_errors == []
