"""Re-running a notebook cell replaces the timelines its previous run made.

ipywidgets holds every open widget until it is closed, so a timeline whose
cell was re-run (its output replaced, the variable rebound) is never garbage
and its task would stream on unseen. Each timeline is therefore recorded with
the cell that made it (JupyterLab and Notebook 7 send the cell's id with each
execution); when an execution of the same cell makes a new timeline, the
timelines of its previous executions are closed: their tasks stop and their
connections close. Their runs go on on the server (``cancel()`` stops those).
Several timelines made by one execution all stay.

Outside a kernel, or when the front end sends no cell id, nothing happens.
"""

from __future__ import annotations

import weakref
from typing import Any, Protocol


class Closable(Protocol):
    """What this module needs of a timeline: that it can be closed."""

    def close(self) -> None: ...


# cell id -> (id of the execution request, the timelines it made)
_by_cell: dict[str, tuple[str, list[weakref.ref[Closable]]]] = {}


def current_cell() -> tuple[str, str] | None:
    """``(cell id, execution message id)`` of the cell the kernel runs now, or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return None
    try:
        parent: Any = kernel.get_parent("shell")  # ipykernel >= 6
    except Exception:
        return None
    if not isinstance(parent, dict):
        return None
    header = parent.get("header") or {}
    if header.get("msg_type") != "execute_request":
        return None  # e.g. a comm message: a button was pressed, no cell runs
    cell_id = (parent.get("metadata") or {}).get("cellId")
    msg_id = header.get("msg_id")
    if not cell_id or not msg_id:
        return None
    return str(cell_id), str(msg_id)


def adopt(timeline: Closable) -> None:
    """Record ``timeline`` with the current cell, closing what that cell's
    previous executions made."""
    cell = current_cell()
    if cell is None:
        return
    cell_id, execution = cell
    previous = _by_cell.get(cell_id)
    if previous is not None and previous[0] == execution:
        previous[1].append(weakref.ref(timeline))
        return
    _by_cell[cell_id] = (execution, [weakref.ref(timeline)])
    for ref in previous[1] if previous else []:
        old = ref()
        if old is not None:
            old.close()
