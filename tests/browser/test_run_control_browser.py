"""Run control in real JupyterLab: Stop mid-run, Resume an interrupt, Continue
from a breakpoint, by clicking the widget's buttons (no cell is busy meanwhile)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("playwright")
pytest.importorskip("jupyterlab")

from jupyter_browser import (
    JupyterServer,
    capture_errors,
    run_notebook,
    write_notebook,
)
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

START = "import os\nimport lgwidget\nURL = os.environ['LGWIDGET_URL']\n"
APPROVAL = "input={'messages': [{'role': 'user', 'content': 'send the weekly report'}]}"


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run-control")


def header_id(page: Page, field: str) -> str:
    text: str = page.locator(f".lgw-timeline .lgw-{field} .lgw-id").first.inner_text()
    return text.strip()


def nodes(page: Page) -> list[str]:
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.lgw-timeline .lgw-entry[data-lgw-node]')]
                 .map((e) => e.getAttribute('data-lgw-node'))"""
    )
    return found


def test_stop_mid_run_cancels_the_run_on_the_server(
    lab: JupyterServer, notebook_dir: Path, page: Page, server_url: str
) -> None:
    errors = capture_errors(page)
    write_notebook(
        notebook_dir / "stop.ipynb",
        [START + "tl = lgwidget.stream(URL, 'ticker', input={'n': 100, 'pause': 0.1})\ntl"],
    )
    run_notebook(page, lab, "stop.ipynb", wait_for='.lgw-timeline[data-status="streaming"]')
    page.wait_for_function(
        "() => Number(document.querySelector('.lgw-timeline').dataset.count) >= 3"
    )
    page.locator('.lgw-timeline button[data-lgw-action="stop"]').click()
    page.locator('.lgw-timeline[data-status="cancelled"]').wait_for()
    thread_id, run_id = header_id(page, "thread"), header_id(page, "run")
    deadline = time.monotonic() + 10
    while True:
        run = httpx.get(f"{server_url}/threads/{thread_id}/runs/{run_id}").json()
        if run["status"] not in ("pending", "running"):
            break
        assert time.monotonic() < deadline, f"run still {run['status']}"
        time.sleep(0.2)
    assert run["status"] == "interrupted"  # how a cancelled run reads on the server
    count = page.locator(".lgw-timeline").get_attribute("data-count")
    time.sleep(0.5)
    assert page.locator(".lgw-timeline").get_attribute("data-count") == count
    assert errors.page_errors == []


def test_resume_answers_the_interrupt_and_continue_passes_the_breakpoint(
    lab: JupyterServer, notebook_dir: Path, page: Page
) -> None:
    errors = capture_errors(page)
    write_notebook(
        notebook_dir / "hitl.ipynb",
        [
            START
            + f"tl = lgwidget.stream(URL, 'approval', {APPROVAL}, interrupt_before=['tools'])\ntl"
        ],
    )
    run_notebook(page, lab, "hitl.ipynb", wait_for='.lgw-timeline[data-status="interrupted"]')
    timeline = page.locator(".lgw-timeline").first
    assert timeline.get_by_text("Send this email?").count() >= 1
    assert nodes(page)[0] == "agent"
    # Resume with a JSON answer typed into the resume box.
    timeline.locator("textarea").fill('{"approved": true}')
    timeline.locator('button[data-lgw-action="resume"]').click()
    page.locator(
        '.lgw-timeline[data-status="interrupted"] button[data-lgw-action="continue"]'
    ).wait_for()
    assert "tools" not in nodes(page)  # paused before the tool
    timeline.locator('button[data-lgw-action="continue"]').click()
    page.locator('.lgw-timeline[data-status="done"]').wait_for()
    shown = nodes(page)
    assert shown.index("review") < shown.index("tools") < len(shown) - 1
    assert shown[-1] == "agent"
    assert timeline.get_by_text("Done: I sent 'Weekly report'").count() >= 1
    assert timeline.get_attribute("data-count") == "9"  # three runs, one timeline
    assert errors.page_errors == []
