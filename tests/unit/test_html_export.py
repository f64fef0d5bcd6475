"""tl.to_html(): one self-contained page, the run embedded safely."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lgwidget import RunTimeline
from lgwidget.exports import page as html_export
from lgwidget.exports.page import inline_script, inline_style, render_page, script_json

ATTACK = "</script><script>window.__pwned=1</script>"
LINE_SEPARATORS = "a\u2028b\u2029c"


class Elements(HTMLParser):
    """The tags of a page with their attributes, and each <script>'s text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def hostile_timeline() -> RunTimeline:
    tl = RunTimeline(assistant_id="agent", url="http://127.0.0.1:2024")
    tl.add_message("metadata", json.dumps({"run_id": "run-<&>-1"}))
    tl.add_message("custom", json.dumps({"text": ATTACK, "sep": LINE_SEPARATORS}))
    tl.add_message("custom", f"not json {ATTACK} <!-- {LINE_SEPARATORS}", raw=True)
    tl.add_message("custom", json.dumps({"big": "x" * 20_000}))  # the snapshot would clip it
    tl.add_message("error", b'{"error": "bad \xff bytes"}', raw=True)
    tl._finish("done")
    return tl


def test_event_data_cannot_end_the_script_element(tmp_path: Path) -> None:
    tl = hostile_timeline()
    page = tl.to_html(tmp_path / "run.html").read_text(encoding="utf-8")
    scripts = parse(page).scripts
    # The JSON and the bundle, nothing injected.
    assert [attrs.get("type") for attrs, _ in scripts] == ["application/json", None]
    assert ATTACK not in page
    assert "<script>window" not in page
    assert "\u2028" not in scripts[0][1]
    assert "\u2029" not in scripts[0][1]
    assert not re.search("[<>&]", scripts[0][1])
    payload = json.loads(scripts[0][1])
    texts = [event[3] for event in payload["events"]]
    assert json.loads(texts[1]) == {"text": ATTACK, "sep": LINE_SEPARATORS}
    assert texts[2] == f"not json {ATTACK} <!-- {LINE_SEPARATORS}"


def test_the_page_holds_the_header_and_every_event_whole(tmp_path: Path) -> None:
    tl = hostile_timeline()
    page = tl.to_html(tmp_path / "run.html").read_text(encoding="utf-8")
    payload = json.loads(parse(page).scripts[0][1])
    assert payload["lgwidget"] == 1
    assert payload["omitted"] == 0
    traits = payload["traits"]
    assert traits["status"] == "done"
    assert traits["run_id"] == "run-<&>-1"
    assert traits["assistant_id"] == "agent"
    assert traits["count"] == 5
    assert traits["elapsed"] == tl.elapsed
    assert [event[:2] for event in payload["events"]] == [
        [name, None] for name in ("metadata", "custom", "custom", "custom", "error")
    ]
    assert [len(event) for event in payload["events"]] == [4, 4, 5, 4, 5]  # raw ones flagged
    assert json.loads(payload["events"][3][3]) == {"big": "x" * 20_000}  # not clipped
    assert payload["events"][4][3] == '{"error": "bad \ufffd bytes"}'
    assert "<title>lgwidget run run-&lt;&amp;&gt;-1</title>" in page


def test_the_page_loads_nothing_from_the_network(tmp_path: Path) -> None:
    page = hostile_timeline().to_html(tmp_path / "run.html").read_text(encoding="utf-8")
    elements = parse(page)
    assert [tag for tag, attrs in elements.tags if {"src", "href"} & set(attrs)] == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    csp = next(
        attrs["content"]
        for tag, attrs in elements.tags
        if tag == "meta" and attrs.get("http-equiv")
    )
    assert csp is not None
    assert "default-src 'none'" in csp
    nonce = elements.scripts[1][0]["nonce"]
    assert nonce
    assert f"script-src 'nonce-{nonce}'" in csp
    # The bundle itself is inlined.
    bundle = (html_export._STATIC / "standalone.js").read_text(encoding="utf-8")
    assert inline_script(bundle) in page


def test_each_page_gets_its_own_nonce() -> None:
    payload = html_export.page_payload({"status": "done"}, [])
    nonces = {parse(render_page(payload)).scripts[1][0]["nonce"] for _ in range(3)}
    assert len(nonces) == 3


def test_script_json_escapes_what_html_or_js_would_read() -> None:
    text = script_json({"k": "</script>&<!--\u2028\u2029"})
    assert text == '{"k":"\\u003c/script\\u003e\\u0026\\u003c!--\\u2028\\u2029"}'
    assert json.loads(text) == {"k": "</script>&<!--\u2028\u2029"}


def test_inlined_bundles_cannot_close_their_element() -> None:
    assert inline_script("a='</SCRIPT>';b=/<!--/") == "a='<\\/SCRIPT>';b=/<\\!--/"
    assert inline_style('a::after{content:"</style>"}') == 'a::after{content:"<\\/style>"}'


def test_a_missing_bundle_says_how_to_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_export, "_STATIC", tmp_path)
    with pytest.raises(FileNotFoundError, match=r"standalone.css is missing.*pip install -e"):
        RunTimeline().to_html(tmp_path / "run.html")
    assert not (tmp_path / "run.html").exists()


def test_a_page_saved_mid_run_has_the_time_so_far(tmp_path: Path) -> None:
    tl = RunTimeline()
    tl.mark_started()
    tl.status = "streaming"
    tl.add_message("custom", '"half way"')
    payload = json.loads(parse(tl.to_html(tmp_path / "live.html").read_text()).scripts[0][1])
    assert payload["traits"]["status"] == "streaming"
    assert payload["traits"]["elapsed"] >= 0
    assert payload["traits"]["count"] == 1
