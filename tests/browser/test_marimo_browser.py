"""Live timelines in a marimo app (``mo.ui.anywidget``), served by ``marimo run``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("marimo")

from jupyter_browser import capture_errors, free_port, serve_process
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

APP = Path(__file__).with_name("marimo_app.py")


@pytest.fixture(scope="module")
def marimo_url(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``marimo run`` of marimo_app.py on a free 127.0.0.1 port; its kernel gets LGWIDGET_URL."""
    port = free_port()
    cmd = [
        *(sys.executable, "-m", "marimo", "run", "--headless", "--no-token"),
        *("--host", "127.0.0.1", "--port", str(port), str(APP)),
    ]
    log = tmp_path_factory.mktemp("marimo") / "marimo.log"
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, LGWIDGET_URL=server_url)
    with serve_process(cmd, f"{url}/health", log, cwd=APP.parent, env=env):
        yield url


def test_marimo_shows_runs_live_through_mo_ui_anywidget(marimo_url: str, page: Page) -> None:
    errors = capture_errors(page)
    page.set_default_timeout(60_000)
    page.goto(marimo_url)
    # marimo renders each widget in a shadow root; Playwright's CSS locators pierce it.
    ticker = page.locator(".lgw-timeline").filter(has_text="ticker")
    weather = page.locator(".lgw-timeline").filter(has_text="weather")
    # Caught while it streams: some ticks shown, not all of them yet.
    streaming = ticker.and_(page.locator('[data-status="streaming"]'))
    streaming.locator('.lgw-entry[data-lgw-node="tick"]').first.wait_for()
    assert 1 <= ticker.locator('.lgw-entry[data-lgw-node="tick"]').count() < 8
    page.locator('.lgw-timeline[data-status="done"]').nth(1).wait_for()
    assert weather.get_attribute("data-status") == "done"
    assert ticker.get_attribute("data-count") == "9"  # metadata + 8 ticks
    nodes = weather.locator(".lgw-entry[data-lgw-node]")
    assert [nodes.nth(i).get_attribute("data-lgw-node") for i in range(nodes.count())] == [
        "agent",
        "action",
        "agent",
    ]
    assert weather.locator('[data-lgw-node="action"]').get_by_text("Sunny").count() >= 1
    assert weather.get_by_text("The weather in Los Angeles is sunny").count() == 1
    assert errors.all() == []
