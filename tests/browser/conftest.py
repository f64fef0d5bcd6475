"""Browser-test fixtures: one Chromium and one JupyterLab (or Notebook 7) per test module.

JupyterLab's root, ``notebook_dir``, holds a copy of the quickstart notebook
unless a module provides its own; a module may set ``INIT_SCRIPT``:
JavaScript run in every page before JupyterLab loads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("jupyterlab")

from jupyter_browser import JupyterServer, jupyter_lab, jupyter_notebook, launch_chromium
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
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copy(Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb", folder)
    return folder


@pytest.fixture(scope="module")
def lab(notebook_dir: Path, server_url: str) -> Iterator[JupyterServer]:
    # Kernels inherit LGWIDGET_URL and use the session's server instead of starting one.
    with jupyter_lab(notebook_dir, env={"LGWIDGET_URL": server_url}) as srv:
        yield srv


@pytest.fixture(scope="module")
def notebook7(notebook_dir: Path, server_url: str) -> Iterator[JupyterServer]:
    """Notebook 7 instead of JupyterLab, same root and environment."""
    pytest.importorskip("notebook")
    with jupyter_notebook(notebook_dir, env={"LGWIDGET_URL": server_url}) as srv:
        yield srv


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    script = getattr(request.module, "INIT_SCRIPT", None)
    if script:
        context.add_init_script(script)
    yield context.new_page()
    context.close()
