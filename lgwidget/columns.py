"""Compact per-event columns, shared by the event log and the reconnect ledger.

A long run has tens of thousands of events; a ``str`` per id and per name
costs 50 to 80 bytes each. Here an id takes 16 bytes and a name 4.
"""

from __future__ import annotations

from array import array

from .wire import split_server_id

# ``_ms`` values that are not a server id's milliseconds.
_NO_ID, _TEXT_ID = -1, -2


class IdColumn:
    """Event ids in order: a server id ``<ms>-<seq>`` as two integers, any
    other id kept as text beside them, no id as None."""

    __slots__ = ("_ms", "_seqs", "_text")

    def __init__(self) -> None:
        self._ms = array("q")  # a server id's milliseconds, else _NO_ID / _TEXT_ID
        self._seqs = array("q")  # a server id's sequence number
        self._text: dict[int, str] = {}

    def append(self, event_id: str | None) -> None:
        server_id = split_server_id(event_id) if event_id else None
        if server_id is not None:
            ms, seq = server_id
        else:
            ms, seq = (_TEXT_ID if event_id else _NO_ID), 0
            if event_id:
                self._text[len(self._ms)] = event_id
        self._ms.append(ms)
        self._seqs.append(seq)

    def __getitem__(self, index: int) -> str | None:
        ms = self._ms[index]
        if ms >= 0:
            return f"{ms}-{self._seqs[index]}"
        return self._text[index % len(self._ms)] if ms == _TEXT_ID else None

    def __len__(self) -> int:
        return len(self._ms)


class NameColumn:
    """Event names in order, as indices into :attr:`names` (the distinct
    names, in order of first use): names repeat endlessly."""

    __slots__ = ("_index", "ids", "names")

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        #: Per event, the index of its name in :attr:`names`.
        self.ids = array("I")

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
