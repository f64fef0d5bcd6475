"""Hatch build hook: bundle js/ into lgwidget/static/ with esbuild.

Runs for editable installs, sdists and wheels so every install ships the
bundle that anywidget loads from `_esm`/`_css`. The bundle is never in git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE = ("widget.js", "widget.css", "standalone.js", "standalone.css")


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


class JSBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        js, static = root / "js", root / "lgwidget" / "static"
        bundle = [static / name for name in BUNDLE]
        if not (js / "package.json").exists():
            # A wheel built from an sdist without js/: the sdist's bundle must be there.
            missing = [str(p) for p in bundle if not p.exists()]
            if missing:
                raise RuntimeError(f"no js/ sources and no prebuilt bundle: {missing}")
            return
        fresh = all(p.exists() for p in bundle) and min(p.stat().st_mtime for p in bundle) >= max(
            _newest_mtime(js / "src"), (js / "package-lock.json").stat().st_mtime
        )
        if fresh and not os.environ.get("LGWIDGET_FORCE_JS_BUILD"):
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("building lgwidget needs Node.js and npm to bundle js/ (see README)")
        if not (js / "node_modules").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=js, check=True)
        subprocess.run([npm, "run", "build"], cwd=js, check=True)
