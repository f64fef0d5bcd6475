"""Fixtures the kernel writes for the front end's tests (js/test/fixtures), so
both sides agree byte for byte on what one encodes and the other decodes."""

from __future__ import annotations

import os
from pathlib import Path

JS_FIXTURES = Path(__file__).parents[1] / "js" / "test" / "fixtures"


def check_fixture(name: str, text: str, test_file: str) -> None:
    """Assert ``js/test/fixtures/<name>`` holds ``text``; with
    ``LGWIDGET_WRITE_FIXTURES=1`` write it first."""
    path = JS_FIXTURES / name
    if os.environ.get("LGWIDGET_WRITE_FIXTURES") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"regenerate with LGWIDGET_WRITE_FIXTURES=1 pytest {test_file}"
    )
