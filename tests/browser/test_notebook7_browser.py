"""The quickstart in Notebook 7 (its own server), driven in headless Chromium."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright")
pytest.importorskip("notebook")

from jupyter_browser import JupyterServer, capture_errors, run_notebook
from playwright.sync_api import Page
from quickstart_checks import RECORDER, assert_quickstart_timeline

pytestmark = pytest.mark.browser

# Notebook 7.6's shortcuts settings plugin throws this while the page starts, in
# any notebook (a plain `1+1` one too, with or without lgwidget).
NOTEBOOK7_STARTUP_ERROR = "Cannot read properties of undefined (reading 'schema')"
INIT_SCRIPT = RECORDER  # run in every page before Notebook 7 loads (conftest.py)


def test_quickstart_runs_live_in_notebook_7(notebook7: JupyterServer, page: Page) -> None:
    errors = capture_errors(page)
    timeline, cells_ok = run_notebook(
        page, notebook7, "quickstart.ipynb", wait_for='.lgw-timeline[data-status="done"]'
    )
    assert cells_ok
    # Notebook 7's own page, not JupyterLab's: one notebook, no launcher or tabs.
    assert "/notebooks/quickstart.ipynb" in page.url
    assert page.locator("#main-panel .jp-NotebookPanel").count() == 1
    assert_quickstart_timeline(page, timeline)
    assert [e for e in errors.all() if e != NOTEBOOK7_STARTUP_ERROR] == []
