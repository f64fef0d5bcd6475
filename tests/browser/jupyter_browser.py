"""Drive JupyterLab 4 (or Notebook 7) in headless Chromium with Playwright (sync API).

Adapted from the workplace's verified recipe (../shared/browser/): adds an
``env`` for the server (its kernels inherit it) and saves widget state with
the notebook, as a user who shares notebooks would.

Typical use::

    with jupyter_lab(notebook_dir) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        errors = capture_errors(page)      # before the first goto
        probe, cells_ok = run_notebook(page, server, "demo.ipynb",
                                       wait_for=".probe",
                                       screenshot=tmp_path / "demo.png")
        assert cells_ok and not errors.all()

The server runs with --LabApp.expose_app_in_browser=True, so the page has
window.jupyterapp; the helpers use it to check kernel state and to run
JupyterLab commands instead of clicking menus.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# Debian's chromium package; Playwright drives it with its own bundled driver.
CHROMIUM_PATH = shutil.which("chromium") or "chromium"

# Keep Chromium off the network except for the pages we open: on a machine
# without internet access its background traffic (component updates, sync,
# QUIC probes) is refused and only slows things down. --no-sandbox is needed
# when running as root (containers, CI). Debian's wrapper script adds its
# own defaults and forwards these.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# True once the notebook `path` is the current widget and its kernel is
# connected and idle. Needs the server flag --LabApp.expose_app_in_browser=True
# (window.jupyterapp).
_KERNEL_IDLE_JS = """(path) => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return false;
    const ctx = panel.sessionContext;
    const kernel = ctx && ctx.session && ctx.session.kernel;
    return !!(panel.context.isReady && kernel
              && kernel.connectionStatus === 'connected'
              && kernel.status === 'idle');
}"""

# Resolves once execution finished: true if every cell ran, false as soon as
# one raised (JupyterLab stops "run all" at the first error).
_RUN_ALL_JS = """() =>
    window.jupyterapp.commands.execute('notebook:run-all-cells')"""

# User settings written into the throw-away settings dir. fetchNews=false stops
# the "Would you like to get notified about official Jupyter news?" toast,
# which JupyterLab 4 shows even when the server's news feed is disabled.
_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Save widget state into the notebook, so a reopened notebook shows widgets.
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
}


@dataclass(frozen=True)
class JupyterServer:
    base_url: str  # e.g. "http://127.0.0.1:8899" (no trailing slash)
    token: str
    root_dir: Path
    pid: int
    log_path: Path
    app: str = "lab"  # "lab" (JupyterLab 4) or "notebook" (Notebook 7)

    def url(self, path: str) -> str:
        """Absolute URL for `path` (e.g. "lab/tree/x.ipynb") with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def notebook_url(self, name: str) -> str:
        """URL that opens notebook `name` (relative to the root) in this app."""
        if self.app == "notebook":
            return self.url(f"notebooks/{quote(name)}")
        # ?reset: start from an empty workspace, otherwise JupyterLab reopens the
        # tabs of the previous page and "run all" may hit the wrong notebook.
        return self.url(f"lab/tree/{quote(name)}?reset")


@dataclass
class BrowserErrors:
    """Errors reported by the page; lists fill in as events arrive."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(
    root_dir: os.PathLike | str,
    *,
    timeout: float = 60.0,
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> Iterator[JupyterServer]:
    """Run JupyterLab serving `root_dir` on a free 127.0.0.1 port (see `jupyter_app`)."""
    lab_args = [
        # No outbound requests: news feed and update check off.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # Exposes window.jupyterapp so tests can call JupyterLab commands.
        "--LabApp.expose_app_in_browser=True",
    ]
    with jupyter_app(
        "lab", root_dir, timeout=timeout, extra_args=[*lab_args, *extra_args], env=env
    ) as srv:
        yield srv


@contextlib.contextmanager
def jupyter_notebook(
    root_dir: os.PathLike | str,
    *,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
) -> Iterator[JupyterServer]:
    """Run Notebook 7 serving `root_dir` on a free 127.0.0.1 port (see `jupyter_app`).

    Notebook 7 is built on JupyterLab's application, so window.jupyterapp
    and its notebook commands are the same.
    """
    args = ["--JupyterNotebookApp.expose_app_in_browser=True"]
    with jupyter_app("notebook", root_dir, timeout=timeout, extra_args=args, env=env) as srv:
        yield srv


@contextlib.contextmanager
def jupyter_app(
    app: str,
    root_dir: os.PathLike | str,
    *,
    timeout: float = 60.0,
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> Iterator[JupyterServer]:
    """Run `app` ("lab" or "notebook") serving `root_dir` on a free 127.0.0.1 port.

    Settings, workspaces and runtime files go to a throw-away directory
    (removed on exit, server log included) so every run starts from a clean
    UI state. On exit only this process is stopped (SIGTERM to its pid, then
    SIGKILL after 20 s); the server shuts its kernels down itself.
    """
    root = Path(root_dir).resolve()
    port = free_port()
    token = secrets.token_hex(16)
    state_dir = Path(tempfile.mkdtemp(prefix="jupyterlab-state-"))
    log_path = state_dir / "server.log"
    for rel, values in _USER_SETTINGS.items():
        settings_file = state_dir / "settings" / rel
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(values))
    env = dict(
        os.environ,
        **(env or {}),
        JUPYTERLAB_SETTINGS_DIR=str(state_dir / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"),
    )
    cmd = [
        sys.executable,
        "-m",
        {"lab": "jupyterlab", "notebook": "notebook"}[app],
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        *extra_args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers/CI often run as root
    base_url = f"http://127.0.0.1:{port}"
    ready_url = f"{base_url}/api/status?token={token}"
    try:
        with serve_process(cmd, ready_url, log_path, cwd=root, env=env, timeout=timeout) as proc:
            yield JupyterServer(base_url, token, root, proc.pid, log_path, app)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


@contextlib.contextmanager
def serve_process(
    cmd: Sequence[str],
    ready_url: str,
    log_path: Path,
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float = 60.0,
) -> Iterator[subprocess.Popen]:
    """Start the server `cmd` (output to `log_path`), wait until `ready_url`
    answers 200, and on exit stop that process only (see `_stop`)."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(proc, ready_url, timeout, log_path)
        yield proc
    finally:
        _stop(proc)


def _wait_until_up(proc: subprocess.Popen, url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"{' '.join(map(str, proc.args[:4]))} exited with {proc.returncode}:\n"
                + log_path.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise TimeoutError(
        f"server not answering after {timeout}s:\n" + log_path.read_text(errors="replace")[-3000:]
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()  # SIGTERM to this pid only; the server stops its kernels
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def launch_chromium(playwright, **kwargs):
    """Launch Debian's Chromium through Playwright (no downloaded browser)."""
    args = list(CHROMIUM_ARGS) + list(kwargs.pop("args", []))
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH, headless=True, args=args, **kwargs
    )


def capture_errors(page) -> BrowserErrors:
    """Collect console errors and uncaught page exceptions from `page`."""
    errors = BrowserErrors()

    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            errors.console_errors.append(f"{msg.text} ({loc.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.page_errors.append(str(exc)))
    return errors


def write_notebook(path: os.PathLike | str, cells: Sequence[str]) -> Path:
    """Write a minimal nbformat-4 notebook of code cells (python3 kernel).

    The kernelspec metadata matters: without it JupyterLab opens a
    "Select Kernel" dialog instead of starting a kernel.
    """
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": src,
            }
            for src in cells
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = Path(path)
    path.write_text(json.dumps(nb, indent=1))
    return path


def wait_for_kernel_idle(page, path: str, timeout_ms: float = 60_000) -> None:
    """Wait until notebook `path` is the active tab with an idle kernel."""
    page.wait_for_function(_KERNEL_IDLE_JS, arg=path, timeout=timeout_ms, polling=200)


def run_notebook(
    page,
    server: JupyterServer,
    name: str,
    *,
    wait_for: str,
    screenshot: os.PathLike | str | None = None,
    timeout_ms: float = 60_000,
):
    """Open notebook `name` (relative to the server root), run all cells,
    wait until `wait_for` (CSS/Playwright selector) is visible inside an
    output area, optionally save a full-page screenshot.

    Returns (locator of the first match, True if every cell ran without
    raising). Cells are run through the JupyterLab command
    "notebook:run-all-cells" via window.jupyterapp, which does not depend on
    keyboard focus or menu layout, and resolves when execution has finished.
    """
    page.set_default_timeout(timeout_ms)
    page.goto(server.notebook_url(name))
    wait_for_kernel_idle(page, name, timeout_ms)
    cells_ok = page.evaluate(_RUN_ALL_JS)
    target = page.locator(f".jp-OutputArea-output {wait_for}").first
    target.wait_for(state="visible", timeout=timeout_ms)
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    return target, cells_ok
