"""The one exception family of lgwidget; every message names the URL involved."""

from __future__ import annotations

from typing import Any


class LGWidgetError(Exception):
    """Base class of every error lgwidget raises.

    ``timeline`` is the :class:`~lgwidget.RunTimeline` that failed, when there
    is one, so that the events received before the failure are never lost.
    (It is typed ``Any`` because this module lies below the timeline: every
    layer raises these errors.)
    """

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.timeline: Any = None


class LGWidgetConnectionError(LGWidgetError):
    """The server could not be reached (refused, unknown host, timeout)."""


class LGWidgetHTTPError(LGWidgetError):
    """The server answered with an HTTP error; carries its status and ``detail``."""

    def __init__(self, status: int, detail: Any, *, url: str, method: str = "POST") -> None:
        super().__init__(f"{method} {url} failed with HTTP {status}: {detail}", url=url)
        self.status = status
        self.detail = detail


class LGWidgetStreamError(LGWidgetError):
    """The run failed while streaming: an ``error`` event, or a broken stream."""


class LGWidgetServerError(LGWidgetError):
    """The embedded LangGraph API server could not be started."""
