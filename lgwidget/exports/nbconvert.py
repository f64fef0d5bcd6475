"""Show lgwidget timelines in nbconvert's HTML export, offline.

A notebook saved with its widget state keeps each timeline's model in
``metadata.widgets`` (the ``_snapshot`` trait, status, ids, ...). nbconvert's
HTML page renders widgets with a widget manager loaded from a CDN, so offline
it shows nothing. :class:`TimelinePreprocessor` replaces each timeline's
widget view with the self-contained page of :mod:`lgwidget.exports.page`, in a
sandboxed ``<iframe srcdoc>``, and drops those models from the widget state
(with it nbconvert's CDN loader, when no other widget is left)::

    jupyter nbconvert --to html \\
        --HTMLExporter.preprocessors='["lgwidget.exports.nbconvert.TimelinePreprocessor"]' run.ipynb

The page shows what the notebook saved: the snapshot, whose long strings and
events beyond its budget are clipped (see :mod:`lgwidget.wire.snapshot`).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator, Mapping
from typing import Any

import traitlets
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

from ..wire.snapshot import snapshot_data, snapshot_headers
from .page import page_event, page_payload, render_page

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# anywidget names each model's class in its state: "lgwidget.api.RunTimeline", ...
_ANYWIDGET_ID = "_anywidget_id"
_MODEL_REF = "IPY_MODEL_"


def is_timeline(model: Mapping[str, Any]) -> bool:
    """Whether a model of the widget state is an lgwidget timeline.

    anywidget's class id says so; a state saved without default values
    (``ipywidgets.embed``) lacks it, and then the timeline's traits do.
    """
    state = model.get("state")
    if model.get("model_name") != "AnyModel" or not isinstance(state, Mapping):
        return False
    if _ANYWIDGET_ID in state:
        return str(state[_ANYWIDGET_ID]).startswith("lgwidget.")
    return "status" in state and "_snapshot" in state


def _saved_snapshot(model: Mapping[str, Any]) -> dict[str, Any]:
    """The model's ``_snapshot`` with its saved buffers (base64, each with the
    path of its place in the state) put back in place."""
    snapshot = model["state"].get("_snapshot")
    if not isinstance(snapshot, Mapping):
        return {}
    snapshot = {key: list(v) if isinstance(v, list) else v for key, v in snapshot.items()}
    for buf in model.get("buffers") or ():
        path = list(buf.get("path", ()))
        if len(path) < 2 or path[0] != "_snapshot":
            continue
        text = str(buf.get("data", ""))
        data = base64.b64decode(text) if buf.get("encoding") == "base64" else text.encode()
        key, *index = path[1:]
        if not index:
            snapshot[key] = data
        elif isinstance(snapshot.get(key), list) and 0 <= index[0] < len(snapshot[key]):
            snapshot[key][index[0]] = data
    return snapshot


def model_payload(model: Mapping[str, Any]) -> dict[str, Any]:
    """The page payload of a saved timeline model: its traits and snapshot events."""
    snapshot = _saved_snapshot(model)
    try:
        headers = snapshot_headers(snapshot)
    except ValueError:
        headers = []  # a damaged notebook: show the run's header fields at least
    data = snapshot_data(snapshot) if headers else b""
    events, offset = [], 0
    for header in headers:
        nbytes = int(header[3])
        events.append(page_event(header, data[offset : offset + nbytes]))
        offset += nbytes
    omitted = snapshot.get("omitted")
    return page_payload(model["state"], events, omitted if isinstance(omitted, int) else 0)


def page_iframe(page: str, height: int) -> str:
    """``page`` in a sandboxed iframe: scripts run, but in an opaque origin
    that cannot reach the export's page."""
    return (
        f'<iframe class="lgwidget-page" title="lgwidget timeline" sandbox="allow-scripts" '
        f'style="width: 100%; height: {height}px; border: 0; resize: vertical;" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def _references(value: Any) -> Iterator[str]:
    """Model ids that ``value`` (a model's state) refers to."""
    if isinstance(value, str) and value.startswith(_MODEL_REF):
        yield value[len(_MODEL_REF) :]
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


class TimelinePreprocessor(Preprocessor):
    """Render saved lgwidget timelines as self-contained HTML (see the module)."""

    height = traitlets.Int(
        640, help="Height in pixels of each timeline's frame (it can be resized)."
    ).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        widgets = nb.metadata.get("widgets")
        state = (widgets or {}).get(WIDGET_STATE, {}).get("state")
        if not isinstance(state, Mapping):
            return nb, resources
        timelines = {mid for mid, model in state.items() if is_timeline(model)}
        if not timelines:
            return nb, resources
        pages: dict[str, str] = {}
        for cell in nb.cells:
            for output in cell.get("outputs", ()):
                view = output.get("data", {}).get(WIDGET_VIEW)
                model_id = view.get("model_id") if isinstance(view, Mapping) else None
                if not isinstance(model_id, str) or model_id not in timelines:
                    continue
                if model_id not in pages:
                    pages[model_id] = page_iframe(
                        render_page(model_payload(state[model_id])), self.height
                    )
                del output.data[WIDGET_VIEW]
                output.data["text/html"] = pages[model_id]
        self._drop_models(nb, state, timelines)
        return nb, resources

    @staticmethod
    def _drop_models(nb: NotebookNode, state: Any, timelines: set[str]) -> None:
        """Remove the timelines and the models only they refer to (their
        layouts) from the widget state, and the state itself once empty, so
        that nbconvert leaves out its CDN widget loader."""
        owned = {ref for mid in timelines for ref in _references(state[mid]["state"])}
        kept = set(state) - timelines - owned
        still_used = {ref for mid in kept for ref in _references(state[mid].get("state"))}
        for mid in timelines | (owned - still_used):
            state.pop(mid, None)
        if not state:
            del nb.metadata.widgets[WIDGET_STATE]
            if not nb.metadata.widgets:
                del nb.metadata["widgets"]
