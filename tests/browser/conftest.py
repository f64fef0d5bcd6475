"""Browser-test fixtures: one Chromium and one JupyterLab per test module.

A module provides ``notebook_dir`` (JupyterLab's root) and may set
``INIT_SCRIPT``: JavaScript run in every page before JupyterLab loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("jupyterlab")

from jupyter_browser import JupyterServer, jupyter_lab, launch_chromium
from playwright.sync_api import Browser, Page, sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Not per session: Playwright's sync API keeps an event loop running in this
    # thread until it stops, and the other tests call asyncio.run().
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(notebook_dir: Path, server_url: str) -> Iterator[JupyterServer]:
    # Kernels inherit LGWIDGET_URL and use the session's server instead of starting one.
    with jupyter_lab(notebook_dir, env={"LGWIDGET_URL": server_url}) as srv:
        yield srv


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    script = getattr(request.module, "INIT_SCRIPT", None)
    if script:
        context.add_init_script(script)
    yield context.new_page()
    context.close()
