"""A run's events as a pandas DataFrame: ``tl.to_dataframe()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..timeline.runner import Timeline
from ..wire.events import node_of

if TYPE_CHECKING:
    import pandas  # an optional extra, imported when a DataFrame is asked for


def to_dataframe(tl: Timeline) -> pandas.DataFrame:
    """``tl``'s events as a pandas DataFrame, one row per event (see
    :meth:`RunTimeline.to_dataframe`)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "tl.to_dataframe() needs pandas, an optional extra of lgwidget: "
            "pip install 'lgwidget[pandas]'"
        ) from exc
    columns: dict[str, list[Any]] = {
        name: [] for name in ("seq", "event", "mode", "ns", "node", "t", "id", "data", "raw")
    }
    for record in tl.events:
        for name in ("seq", "event", "mode", "ns", "t", "id", "data"):
            columns[name].append(record.get(name))
        columns["node"].append(node_of(record))
        columns["raw"].append(bool(record.get("raw")))
    # Explicit dtypes: the same for an empty run as for a full one, and None
    # stays None (pandas would infer a string dtype with NaN for the ids).
    dtypes = {"seq": "int64", "t": "float64", "raw": "bool"}
    return pandas.DataFrame(
        {
            name: pandas.Series(values, dtype=dtypes.get(name, "object"))
            for name, values in columns.items()
        }
    )
