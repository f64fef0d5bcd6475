"""``lgwidget demo``: the embedded LangGraph API server plus JupyterLab on the quickstart."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .server import free_port, local_server

_REPO_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_PACKAGED_NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def _notebook_dir(requested: str | None) -> Path:
    """The repository's notebooks/ in a checkout; otherwise a copy of the
    packaged quickstart in ./lgwidget-demo (never overwriting an edited one)."""
    if requested:
        return Path(requested).resolve()
    if (_REPO_NOTEBOOKS / "quickstart.ipynb").exists():
        return _REPO_NOTEBOOKS
    target = Path.cwd() / "lgwidget-demo"
    target.mkdir(exist_ok=True)
    if not (target / "quickstart.ipynb").exists():
        shutil.copy(_PACKAGED_NOTEBOOKS / "quickstart.ipynb", target)
    return target


def demo(no_browser: bool, port: int | None, notebook_dir: str | None) -> int:
    root = _notebook_dir(notebook_dir)
    with local_server() as url:
        lab_port = port or free_port()
        token = secrets.token_hex(16)
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={lab_port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={token}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--ServerApp.open_browser={not no_browser}",
            "--ServerApp.default_url=/lab/tree/quickstart.ipynb",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        print(f"LangGraph API server: {url}", flush=True)
        print(
            f"JupyterLab: http://127.0.0.1:{lab_port}/lab/tree/quickstart.ipynb?token={token}",
            flush=True,
        )
        print("Press Ctrl-C to stop both.", flush=True)
        # The quickstart reads LGWIDGET_URL and uses this server instead of starting one.
        lab = subprocess.Popen(
            cmd,
            cwd=root,
            env=dict(os.environ, LGWIDGET_URL=url),
            stdin=subprocess.DEVNULL,  # no "shutdown? (y/n)" prompt on Ctrl-C
        )
        try:
            return lab.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            if lab.poll() is None:
                lab.terminate()
                try:
                    lab.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    lab.kill()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lgwidget", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo_parser = commands.add_parser(
        "demo", help="start the embedded server and JupyterLab on the quickstart notebook"
    )
    demo_parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    demo_parser.add_argument("--port", type=int, default=None, help="JupyterLab's port")
    demo_parser.add_argument("--notebook-dir", default=None, help="where the notebooks are")
    args = parser.parse_args(argv)
    return demo(args.no_browser, args.port, args.notebook_dir)


if __name__ == "__main__":
    sys.exit(main())
