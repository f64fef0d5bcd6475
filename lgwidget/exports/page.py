"""One self-contained HTML file that shows a run: ``tl.to_html(path)``.

The page holds everything it needs, so it opens anywhere (a mail
attachment, a bug report) and loads nothing from the network:

- the front end's standalone bundle (``lgwidget/static/standalone.{js,css}``:
  the notebook's own view on a model with no kernel behind it), inlined;
- the run: the header fields and every event with its data as the kernel holds
  it (nothing clipped), as JSON in a ``<script type="application/json">``
  where ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped, so no text in
  the data can end the element early;
- a Content-Security-Policy that runs only the page's own script (by nonce)
  and allows no fetch, image or font from anywhere but the page itself.

:mod:`lgwidget.exports.nbconvert` puts the same page into an nbconvert HTML export.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..timeline.runner import Timeline
from .header import header_of

#: The version of the embedded run's shape (``{"lgwidget", "traits", "events", "omitted"}``).
PAYLOAD_FORMAT = 1

#: The model traits a page shows (the header: status, ids, count, elapsed, ...).
TRAITS = (
    "status",
    "assistant_id",
    "run_id",
    "thread_id",
    "url",
    "count",
    "error",
    "started",
    "elapsed",
    "interrupts",
    "paused_at",
    "runs",
    "steps",
)

_STATIC = Path(__file__).parent.parent / "static"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
# What would end (or, for ``<!--``, confuse) a <script> or <style> element
# holding the bundle. In the minified bundle they can only stand in strings,
# regular expressions and comments, where ``<\/`` and ``<\!`` mean the same.
_SCRIPT_END = re.compile(r"<(/script|!--)", re.IGNORECASE)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)


def script_json(value: Any) -> str:
    """``value`` as JSON text that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their
    ``\\uXXXX`` escapes parse to the same text; U+2028/U+2029 are escaped too
    for readers that take the text as JavaScript.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def inline_script(js: str) -> str:
    """JavaScript source made safe to inline in a ``<script>`` element."""
    return _SCRIPT_END.sub(lambda m: "<\\" + m.group(1), js)


def inline_style(css: str) -> str:
    """A style sheet made safe to inline in a ``<style>`` element."""
    return _STYLE_END.sub(lambda m: "<\\/" + m.group(1), css)


def _bundle(name: str) -> str:
    path = _STATIC / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"lgwidget's standalone bundle {path} is missing: it is built from js/ by the "
            "Python build. Reinstall with `pip install -e .` (needs Node.js and npm)."
        ) from None


def page_event(header: Sequence[Any], data: bytes) -> list[Any]:
    """One event of a page: ``[event, id, t, data text]`` (``+ [1]`` when raw),
    from an :class:`~lgwidget.wire.eventlog.EventLog` header and its data bytes."""
    event, event_id, t, _nbytes, *raw = header
    return [event, event_id, t, data.decode("utf-8", "replace"), *raw[:1]]


def page_payload(
    traits: Mapping[str, Any], events: Iterable[list[Any]], omitted: int = 0
) -> dict[str, Any]:
    """The run a page embeds: the :data:`TRAITS` of ``traits``, the
    :func:`page_event` lists, and how many events of the run it leaves out."""
    return {
        "lgwidget": PAYLOAD_FORMAT,
        "traits": {key: traits[key] for key in TRAITS if key in traits},
        "events": list(events),
        "omitted": omitted,
    }


def render_page(payload: Mapping[str, Any]) -> str:
    """The whole HTML document that shows ``payload`` (see :func:`page_payload`)."""
    run_id = str(payload.get("traits", {}).get("run_id") or "")
    title = html.escape(f"lgwidget run {run_id}" if run_id else "lgwidget run")
    nonce = secrets.token_urlsafe(16)
    csp = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="lgwidget">\n'
        f"<title>{title}</title>\n"
        f"<style>{inline_style(_bundle('standalone.css'))}</style>\n"
        '</head>\n<body>\n<div id="lgw-root"></div>\n'
        f'<script type="application/json" id="lgw-run">{script_json(payload)}</script>\n'
        f'<script nonce="{nonce}">{inline_script(_bundle("standalone.js"))}</script>\n'
        "</body>\n</html>\n"
    )


def timeline_payload(tl: Timeline) -> dict[str, Any]:
    """The page payload of ``tl``: its header fields and every event, whole."""
    log = tl.events
    events = (page_event(log.header(seq), log.raw_data(seq)) for seq in range(len(log)))
    return page_payload(header_of(tl), events)


def write_html(tl: Timeline, path: str | os.PathLike[str]) -> Path:
    """Write ``tl`` as one self-contained HTML page to ``path``; returns the path."""
    target = Path(path)
    target.write_text(render_page(timeline_payload(tl)), encoding="utf-8")
    return target
