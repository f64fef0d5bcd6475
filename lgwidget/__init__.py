"""lgwidget: watch a LangGraph run live in Jupyter, as a timeline that grows node by node."""

from .errors import (
    LGWidgetConnectionError,
    LGWidgetError,
    LGWidgetHTTPError,
    LGWidgetServerError,
    LGWidgetStreamError,
)
from .export import replay
from .runs import stream
from .server import LocalServer, local_server
from .sources import history, join, watch
from .timeline import RunTimeline

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
