"""Python values as the JSON the LangGraph API server would send for them.

What a watched graph yields in this kernel (LangChain messages, pydantic
models, ``Send``, dataclasses, ...) is turned into the JSON text the server's
serializer (``langgraph_api.serde``) makes of it, so a watched run and a
served one show the same records.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import enum
import json
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any


def _default(obj: Any) -> Any:
    """What the LangGraph API server's serializer (``langgraph_api.serde``)
    makes of objects JSON has no type for; anything else unknown becomes its
    ``repr`` (the server would send ``null``)."""
    if isinstance(obj, type):
        return repr(obj)
    if type(obj).__name__ == "Send" and hasattr(obj, "node") and hasattr(obj, "arg"):
        return {"node": obj.node, "args": obj.arg}  # langgraph.types.Send
    for method in ("model_dump", "dict", "_asdict"):  # pydantic v2, v1, named tuples
        dump = getattr(obj, method, None)
        if callable(dump):
            try:
                return dump()
            except Exception:  # a dump that needs arguments, or fails: try the next
                continue
    if dataclasses.is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, BaseException):
        return {"error": type(obj).__name__, "message": str(obj)}
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, datetime.timedelta):
        return obj.total_seconds()
    if isinstance(obj, datetime.tzinfo):
        return obj.tzname(None)
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, (uuid.UUID, PurePath)):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (bytes, bytearray)):
        return base64.b64encode(obj).decode()
    if isinstance(obj, Iterable) and not isinstance(obj, (str, Mapping)):
        return list(obj)  # deque, generators of values, ...
    return repr(obj)


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON types (used when orjson is not installed)."""
    if depth > 200:
        return repr(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {
            (k if isinstance(k, str) else str(_plain(k, depth + 1))): _plain(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)) and not hasattr(value, "_asdict"):
        return [_plain(v, depth + 1) for v in value]
    return _plain(_default(value), depth + 1)


def to_json(value: Any) -> str:
    """``value`` as the JSON text the LangGraph API server would send for it:
    messages and pydantic models by ``model_dump()``, dataclasses and named
    tuples as objects, tuples and sets as arrays, exceptions as
    ``{"error", "message"}``."""
    try:
        import orjson  # what the server uses; installed with langgraph
    except ImportError:  # pragma: no cover - langgraph brings orjson
        return json.dumps(_plain(value), ensure_ascii=False)
    try:
        return orjson.dumps(
            value, default=_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        ).decode()
    except (TypeError, orjson.JSONEncodeError):  # cycles, huge ints, ...
        return json.dumps(_plain(value), ensure_ascii=False, default=repr)


def error_data(exc: BaseException) -> dict[str, str]:
    """An exception as the server's ``error`` event data."""
    return {"error": type(exc).__name__, "message": str(exc)}
