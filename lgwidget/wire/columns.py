"""Compact per-event columns for the event log.

A long run has tens of thousands of events, and a short one may carry only
a few bytes of data each (a token, a tick): what the log keeps beside the
data must stay small. A ``str`` per id and per name costs 50 to 80 bytes,
a ``float`` 24; here integers sit in arrays whose item size grows with
their values, so an event's id takes about 5 bytes and its name 1.
"""

from __future__ import annotations

import re
from array import array

from .headers import DECIMAL, split_server_id

_MS_SEQ = re.compile(r"(\d+)-(\d+)")
# A number id (the thread event stream's: 1, 2, ...).
_NUMBER = re.compile(DECIMAL)


def id_key(event_id: str) -> tuple[int, int, str]:
    """Ids in stream order: ``"<ms>-<seq>"`` numerically, anything else as
    text before them (``""`` for none)."""
    match = _MS_SEQ.fullmatch(event_id)
    return (int(match[1]), int(match[2]), "") if match else (-1, -1, event_id)


class IntColumn:
    """Integers in order, in an array whose item size is the smallest that
    holds every value so far: it widens (one copy) when a value needs it."""

    __slots__ = ("_codes", "items")

    def __init__(self, *, signed: bool) -> None:
        self._codes = "bhiq" if signed else "BHIQ"
        #: The values, to read in a loop (widening replaces the array: read
        #: it again after an append).
        self.items = array(self._codes[0])

    def append(self, value: int) -> None:
        try:
            self.items.append(value)
        except OverflowError:
            self._widen(value)
            self.items.append(value)

    def _widen(self, value: int) -> None:
        for code in self._codes[self._codes.index(self.items.typecode) + 1 :]:
            try:
                array(code, [value])
            except OverflowError:
                continue
            self.items = array(code, self.items)
            return
        kind = "signed" if self._codes[0] == "b" else "unsigned"
        raise OverflowError(f"{value} is out of range for {kind} 64-bit integers")

    def __getitem__(self, index: int) -> int:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)


# What an id's ``_kinds`` entry holds besides a server id's sequence number + _SERVER.
_NO_ID, _TEXT_ID, _NUMBER_ID, _SERVER = 0, 1, 2, 3


class IdColumn:
    """Event ids in order: a server id ``<ms>-<seq>`` as two small integers
    (its milliseconds after the first server id's, its sequence number), a
    number as an integer, any other id kept as text beside them, no id as None."""

    __slots__ = ("_base", "_kinds", "_ms", "_text")

    def __init__(self) -> None:
        self._base: int | None = None  # the first server id's milliseconds
        self._ms = IntColumn(signed=True)  # a server id's ms - _base, a number, else 0
        self._kinds = IntColumn(signed=False)  # a server id's seq + _SERVER, else the kind
        self._text: dict[int, str] = {}

    def append(self, event_id: str | None) -> None:
        server_id = split_server_id(event_id) if event_id else None
        if server_id is None:
            if event_id and _NUMBER.fullmatch(event_id):
                self._ms.append(int(event_id))
                self._kinds.append(_NUMBER_ID)
                return
            if event_id:
                self._text[len(self._kinds)] = event_id
            self._ms.append(0)
            self._kinds.append(_TEXT_ID if event_id else _NO_ID)
            return
        ms, seq = server_id
        if self._base is None:
            self._base = ms
        self._ms.append(ms - self._base)
        self._kinds.append(seq + _SERVER)

    def __getitem__(self, index: int) -> str | None:
        kind = self._kinds[index]
        if kind >= _SERVER:
            return f"{self._ms[index] + (self._base or 0)}-{kind - _SERVER}"
        if kind == _NUMBER_ID:
            return str(self._ms[index])
        return self._text[index % len(self._kinds)] if kind == _TEXT_ID else None

    def key(self, index: int) -> tuple[int, int, str]:
        """:func:`id_key` of id ``index`` (``""`` for none), without the text."""
        kind = self._kinds[index]
        if kind >= _SERVER:
            return (self._ms[index] + (self._base or 0), kind - _SERVER, "")
        return id_key(self[index] or "")

    def __len__(self) -> int:
        return len(self._kinds)


class NameColumn:
    """Event names in order, as indices into :attr:`names` (the distinct
    names, in order of first use): names repeat endlessly."""

    __slots__ = ("_index", "ids", "names")

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        #: Per event, the index of its name in :attr:`names`.
        self.ids = IntColumn(signed=False)

    def append(self, name: str) -> None:
        index = self._index.get(name)
        if index is None:
            index = self._index[name] = len(self.names)
            self.names.append(name)
        self.ids.append(index)

    def __getitem__(self, index: int) -> str:
        return self.names[self.ids[index]]

    def __len__(self) -> int:
        return len(self.ids)
