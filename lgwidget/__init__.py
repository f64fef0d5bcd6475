"""lgwidget: watch a LangGraph run live in Jupyter, as a timeline that grows node by node."""

from .api import RunTimeline, history, join, replay, stream, watch
from .errors import (
    LGWidgetConnectionError,
    LGWidgetError,
    LGWidgetHTTPError,
    LGWidgetServerError,
    LGWidgetStreamError,
)
from .server import LocalServer, local_server

__version__ = "0.1.0"

__all__ = [
    "LGWidgetConnectionError",
    "LGWidgetError",
    "LGWidgetHTTPError",
    "LGWidgetServerError",
    "LGWidgetStreamError",
    "LocalServer",
    "RunTimeline",
    "history",
    "join",
    "local_server",
    "replay",
    "stream",
    "watch",
]
