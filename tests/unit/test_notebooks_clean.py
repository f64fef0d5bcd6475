"""The notebooks in the repo carry their checked outputs, not widget state.

Executing a notebook (nbconvert, JupyterLab with "save widget state") stores
every widget's state, bundle included, in its metadata: megabytes of noise
in git that nbval does not need.
"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_saved_widget_state(path: Path) -> None:
    notebook = json.loads(path.read_text())
    assert "widgets" not in notebook["metadata"], f"strip metadata.widgets from {path.name}"
    assert path.stat().st_size < 100_000


def test_every_notebook_is_found() -> None:
    assert {"quickstart.ipynb", "tour.ipynb"} <= {p.name for p in NOTEBOOKS}
