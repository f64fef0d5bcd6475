"""TimelinePreprocessor: saved timelines become self-contained pages in nbconvert's HTML."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

import nbformat
import pytest
from ipywidgets import IntSlider
from ipywidgets.embed import dependency_state, embed_data

from lgwidget import RunTimeline
from lgwidget.exports.nbconvert import (
    WIDGET_STATE,
    WIDGET_VIEW,
    TimelinePreprocessor,
    is_timeline,
    model_payload,
)
from lgwidget.wire.snapshot import STRING_CHARS

pytest.importorskip("nbconvert")


def finished_timeline() -> RunTimeline:
    tl = RunTimeline(assistant_id="weather")
    tl.add_message("metadata", json.dumps({"run_id": "run-1"}))
    tl.add_message("updates", json.dumps({"agent": {"messages": [{"type": "ai", "content": "é"}]}}))
    tl.add_message("custom", json.dumps({"long": "y" * 9000}))
    tl._finish("done")
    return tl


def notebook_with(*widgets: Any, drop_defaults: bool = False) -> nbformat.NotebookNode:
    """A notebook as JupyterLab saves it: an output per widget, the widget state in its metadata."""
    # Only these widgets' state: embed_data alone takes every live widget's.
    state = dependency_state(list(widgets), drop_defaults=drop_defaults)
    data = embed_data(views=list(widgets), drop_defaults=drop_defaults, state=state)
    nb = nbformat.v4.new_notebook()
    for widget, spec in zip(widgets, data["view_specs"], strict=True):
        output = nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: spec, "text/plain": repr(widget)}
        )
        nb.cells.append(nbformat.v4.new_code_cell("w", outputs=[output]))
    nb.metadata["widgets"] = {WIDGET_STATE: data["manager_state"]}
    return nbformat.from_dict(json.loads(json.dumps(nb)))  # as read from a file


def page_payload_of(output: Any) -> dict[str, Any]:
    srcdoc = re.search(r'srcdoc="([^"]*)"', output.data["text/html"])
    assert srcdoc is not None
    page = html.unescape(srcdoc.group(1))
    found = re.search(r'<script type="application/json" id="lgw-run">(.*?)</script>', page, re.S)
    assert found is not None
    payload: dict[str, Any] = json.loads(found.group(1))
    return payload


@pytest.mark.parametrize("drop_defaults", [False, True])
def test_a_timeline_becomes_a_page_and_leaves_the_widget_state(drop_defaults: bool) -> None:
    tl = finished_timeline()
    nb = notebook_with(tl, drop_defaults=drop_defaults)
    nb, _ = TimelinePreprocessor().preprocess(nb, {})
    output = nb.cells[0].outputs[0]
    assert set(output.data) == {"text/html", "text/plain"}
    assert output.data["text/html"].startswith('<iframe class="lgwidget-page"')
    assert 'sandbox="allow-scripts"' in output.data["text/html"]
    payload = page_payload_of(output)
    assert payload["traits"]["status"] == "done"
    assert payload["traits"]["run_id"] == "run-1"
    assert payload["traits"]["count"] == 3
    texts = [event[3] for event in payload["events"]]
    assert [event[0] for event in payload["events"]] == ["metadata", "updates", "custom"]
    assert json.loads(texts[1]) == {"agent": {"messages": [{"type": "ai", "content": "é"}]}}
    # What the notebook saved: the snapshot, with its long strings clipped.
    long = json.loads(texts[2])["long"]
    assert long.startswith("y" * STRING_CHARS)
    assert "clipped in the saved notebook" in long
    # Nothing left for nbconvert's CDN widget manager to load.
    assert "widgets" not in nb.metadata


def test_other_widgets_and_their_state_stay() -> None:
    tl, slider = finished_timeline(), IntSlider(3)
    nb = notebook_with(tl, slider)
    layouts = {tl.layout.model_id, slider.layout.model_id}
    assert layouts <= set(nb.metadata.widgets[WIDGET_STATE]["state"])
    nb, _ = TimelinePreprocessor(height=300).preprocess(nb, {})
    assert "height: 300px" in nb.cells[0].outputs[0].data["text/html"]
    assert set(nb.cells[1].outputs[0].data) == {WIDGET_VIEW, "text/plain"}
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    assert tl.model_id not in state
    assert tl.layout.model_id not in state
    assert slider.model_id in state
    assert slider.layout.model_id in state
    assert slider.style.model_id in state


def test_a_notebook_without_timelines_is_left_as_it_is() -> None:
    nb = notebook_with(IntSlider(1))
    before = json.dumps(nb, sort_keys=True)
    nb, _ = TimelinePreprocessor().preprocess(nb, {})
    assert json.dumps(nb, sort_keys=True) == before
    empty = nbformat.v4.new_notebook()
    assert TimelinePreprocessor().preprocess(empty, {})[0] == nbformat.v4.new_notebook()


def test_only_lgwidget_anywidgets_are_timelines() -> None:
    state = {"status": "done", "_snapshot": {}}
    assert is_timeline(
        {
            "model_name": "AnyModel",
            "state": {**state, "_anywidget_id": "lgwidget.api.RunTimeline"},
        }
    )
    assert not is_timeline(
        {"model_name": "AnyModel", "state": {**state, "_anywidget_id": "other.Widget"}}
    )
    assert not is_timeline({"model_name": "IntSliderModel", "state": state})
    assert not is_timeline({"model_name": "AnyModel", "state": None})


def test_a_timeline_saved_before_its_first_event_shows_its_header() -> None:
    payload = model_payload(
        {"model_name": "AnyModel", "state": {"status": "connecting", "_snapshot": {}}}
    )
    assert payload["traits"] == {"status": "connecting"}
    assert payload["events"] == []
    assert payload["omitted"] == 0


def saved_buffer(path: list[Any], data: bytes) -> dict[str, Any]:
    return {"path": path, "encoding": "base64", "data": base64.b64encode(data).decode()}


def test_a_notebook_saved_with_the_older_snapshot_shape_still_shows_its_events() -> None:
    """Before transport v3 the snapshot kept JSON headers and one data buffer."""
    first, second = b'{"run_id":"r-1"}', b'{"agent":{"n":1}}'
    state = {
        "status": "done",
        "_snapshot": {
            "events": [["metadata", "1-0", 0.0, len(first)], ["updates", None, 0.5, len(second)]],
            "omitted": 7,
        },
    }
    model = {"model_name": "AnyModel", "state": state}
    payload = model_payload(
        {**model, "buffers": [saved_buffer(["_snapshot", "data"], first + second)]}
    )
    assert payload["events"] == [
        ["metadata", "1-0", 0.0, first.decode()],
        ["updates", None, 0.5, second.decode()],
    ]
    assert payload["omitted"] == 7


def test_damaged_snapshot_headers_show_the_header_fields_only() -> None:
    state = {"status": "done", "_snapshot": {"v": 3, "names": [], "omitted": 0}}
    model = {
        "model_name": "AnyModel",
        "state": state,
        "buffers": [saved_buffer(["_snapshot", "headers"], b"\x00\x00\x05")],  # names no event
    }
    payload = model_payload(model)
    assert payload["traits"] == {"status": "done"}
    assert payload["events"] == []
